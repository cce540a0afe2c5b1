"""The self-service actions, each one Admin API use case with Shopify's `userErrors` surfaced.

Every action: known and enabled for the shop → input checked → contract loaded and proven to
be the visitor's (`reads.load_contract`) → fitting its status → mutation(s) → `PortalEvent`.
Multi-step edits go through a draft that is committed only when every edit succeeded;
Shopify has no discard mutation, so an uncommitted draft simply never applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shopify_app.errors import NotFound
from shopify_app.models import PortalEvent, Shop
from shopify_app.portal import policy
from shopify_app.portal.errors import ActionDisabled, InvalidInput
from shopify_app.portal.reads import load_contract
from shopify_app.portal.viewmodels import ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors

MAX_QUANTITY = 100
MAX_REASON = 500
MAX_CODE = 255
NEXT_DATE_HORIZON = timedelta(days=365)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
ADDRESS_FIELDS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province_code": "provinceCode",
    "zip": "zip",
    "country_code": "countryCode",
    "phone": "phone",
}
REQUIRED_ADDRESS = ("first_name", "last_name", "address1", "city", "zip", "country_code")


@dataclass(frozen=True)
class ActionRequest:
    shop: Shop
    customer_id: int
    contract_id: int
    action: str
    form: Mapping[str, str]
    now: datetime


@dataclass(frozen=True)
class ActionResult:
    message_key: str  # catalogue key of the success message


Handler = Callable[[AdminClient, ActionRequest, ContractDetail], Awaitable[str]]


def _field(form: Mapping[str, str], name: str, limit: int = 255) -> str:
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"The field {name} is too long.", extra={"field": name})
    return value


def _int_field(form: Mapping[str, str], name: str) -> int | None:
    raw = _field(form, name, 12)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise InvalidInput(f"The field {name} must be a whole number.", extra={"field": name})
    return int(raw)


async def _draft(
    admin: AdminClient, shop: Shop, contract_gid: str, edits: list[tuple[str, dict[str, Any], str]]
) -> None:
    """`subscriptionContractUpdate` → edits → `subscriptionDraftCommit`, committing only if
    every edit succeeded (any exception leaves the draft uncommitted: nothing applies)."""
    started = await admin.mutate(
        shop,
        "SubscriptionContractUpdate",
        {"contractId": contract_gid},
        payload="subscriptionContractUpdate",
    )
    draft_id = (started.get("draft") or {}).get("id")
    if not isinstance(draft_id, str):
        raise ShopifyUserErrors([{"field": None, "message": "Shopify did not open a draft."}])
    for operation, variables, payload in edits:
        result = await admin.mutate(
            shop, operation, {"draftId": draft_id, **variables}, payload=payload
        )
        rejection = (result.get("appliedDiscount") or {}).get("rejectionReason")
        if rejection:
            raise ShopifyUserErrors([{"field": ["redeemCode"], "message": str(rejection)}])
    await admin.mutate(
        shop, "SubscriptionDraftCommit", {"draftId": draft_id}, payload="subscriptionDraftCommit"
    )


async def _simple(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail, operation: str, payload: str
) -> None:
    await admin.mutate(req.shop, operation, {"contractId": detail.contract.gid}, payload=payload)


async def _pause(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    await _simple(admin, req, detail, "SubscriptionContractPause", "subscriptionContractPause")
    return ""


async def _resume(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    await _simple(
        admin, req, detail, "SubscriptionContractActivate", "subscriptionContractActivate"
    )
    return ""


async def _cancel(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    reason = _field(req.form, "reason", MAX_REASON)
    await _simple(admin, req, detail, "SubscriptionContractCancel", "subscriptionContractCancel")
    return json.dumps({"reason": reason}) if reason else ""


async def _skip_or_unskip(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail, skip: bool
) -> str:
    wanted = _int_field(req.form, "cycle_index")
    if wanted is None and skip and detail.next_unskipped is not None:
        wanted = detail.next_unskipped.index
    cycle = next((c for c in detail.cycles if c.index == wanted), None)
    if cycle is None or cycle.skipped == skip:
        raise InvalidInput("That order cannot be changed.", extra={"field": "cycle_index"})
    operation = "SubscriptionBillingCycleSkip" if skip else "SubscriptionBillingCycleUnskip"
    payload = "subscriptionBillingCycleSkip" if skip else "subscriptionBillingCycleUnskip"
    variables = {"contractId": detail.contract.gid, "cycleIndex": cycle.index}
    await admin.mutate(req.shop, operation, variables, payload=payload)
    return json.dumps({"cycle_index": cycle.index})


async def _skip(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    return await _skip_or_unskip(admin, req, detail, True)


async def _unskip(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    return await _skip_or_unskip(admin, req, detail, False)


async def _set_next_date(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    try:
        chosen = date.fromisoformat(_field(req.form, "date", 10))
    except ValueError as exc:
        raise InvalidInput("Please enter a date.", extra={"field": "date"}) from exc
    today = req.now.date()
    if not today < chosen <= today + NEXT_DATE_HORIZON:
        raise InvalidInput("Please choose a date within the next year.", extra={"field": "date"})
    # Noon UTC keeps the calendar day whatever the shop's time zone.
    variables = {"contractId": detail.contract.gid, "date": f"{chosen.isoformat()}T12:00:00Z"}
    await admin.mutate(
        req.shop,
        "SubscriptionContractSetNextBillingDate",
        variables,
        payload="subscriptionContractSetNextBillingDate",
    )
    return json.dumps({"date": chosen.isoformat()})


async def _change_frequency(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    frequency = policy.parse_frequency(req.shop, _field(req.form, "frequency", 32))
    if frequency is None:
        raise InvalidInput(
            "Please choose one of the offered frequencies.", extra={"field": "frequency"}
        )
    schedule = {"interval": frequency.interval, "intervalCount": frequency.count}
    draft_input = {"billingPolicy": schedule, "deliveryPolicy": schedule}
    await _draft(
        admin,
        req.shop,
        detail.contract.gid,
        [("SubscriptionDraftUpdate", {"input": draft_input}, "subscriptionDraftUpdate")],
    )
    return json.dumps({"frequency": frequency.key})


async def _change_quantity(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    line = detail.contract.line(_field(req.form, "line_id"))
    quantity = _int_field(req.form, "quantity")
    if line is None:
        raise InvalidInput(
            "That product is not part of this subscription.", extra={"field": "line_id"}
        )
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            f"Please choose a quantity from 1 to {MAX_QUANTITY}.", extra={"field": "quantity"}
        )
    edit = {"lineId": line.gid, "input": {"quantity": quantity}}
    await _draft(
        admin,
        req.shop,
        detail.contract.gid,
        [("SubscriptionDraftLineUpdate", edit, "subscriptionDraftLineUpdate")],
    )
    return json.dumps({"line_id": line.gid, "quantity": quantity})


def address_input(form: Mapping[str, str]) -> dict[str, str]:
    """The `MailingAddressInput` a form describes, or `InvalidInput` naming the first bad field."""
    values = {name: _field(form, name) for name in ADDRESS_FIELDS}
    values["country_code"] = values["country_code"].upper()
    for name in REQUIRED_ADDRESS:
        if not values[name]:
            raise InvalidInput(f"Please fill in {name}.", extra={"field": name})
    if not _COUNTRY.match(values["country_code"]):
        raise InvalidInput(
            "Please enter a two-letter country code.", extra={"field": "country_code"}
        )
    return {ADDRESS_FIELDS[name]: value for name, value in values.items() if value}


async def _change_address(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    address = address_input(req.form)
    draft_input = {"deliveryMethod": {"shipping": {"address": address}}}
    await _draft(
        admin,
        req.shop,
        detail.contract.gid,
        [("SubscriptionDraftUpdate", {"input": draft_input}, "subscriptionDraftUpdate")],
    )
    return json.dumps(
        {"city": address.get("city", ""), "countryCode": address.get("countryCode", "")}
    )


async def _payment_email(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    payment = detail.contract.payment
    if payment is None or payment.revoked:
        raise InvalidInput("This subscription has no payment method to update.")
    await admin.mutate(
        req.shop,
        "CustomerPaymentMethodSendUpdateEmail",
        {"customerPaymentMethodId": payment.gid},
        payload="customerPaymentMethodSendUpdateEmail",
    )
    return ""


async def _apply_discount(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    code = _field(req.form, "code", MAX_CODE)
    if not code:
        raise InvalidInput("Please enter a discount code.", extra={"field": "code"})
    await _draft(
        admin,
        req.shop,
        detail.contract.gid,
        [
            (
                "SubscriptionDraftDiscountCodeApply",
                {"redeemCode": code},
                "subscriptionDraftDiscountCodeApply",
            )
        ],
    )
    return json.dumps({"code": code})


async def _remove_discount(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    discount = detail.contract.discount(_field(req.form, "discount_id"))
    if discount is None:
        raise InvalidInput(
            "That discount is not on this subscription.", extra={"field": "discount_id"}
        )
    await _draft(
        admin,
        req.shop,
        detail.contract.gid,
        [
            (
                "SubscriptionDraftDiscountRemove",
                {"discountId": discount.gid},
                "subscriptionDraftDiscountRemove",
            )
        ],
    )
    return json.dumps({"discount": discount.title})


HANDLERS: dict[str, Handler] = {
    "pause": _pause,
    "resume": _resume,
    "cancel": _cancel,
    "skip": _skip,
    "unskip": _unskip,
    "set_next_date": _set_next_date,
    "change_frequency": _change_frequency,
    "change_quantity": _change_quantity,
    "change_address": _change_address,
    "payment_email": _payment_email,
    "apply_discount": _apply_discount,
    "remove_discount": _remove_discount,
}


async def perform(admin: AdminClient, req: ActionRequest) -> ActionResult:
    """Run one action for the visitor, or raise (nothing applied) with a stable code."""
    handler = HANDLERS.get(req.action)
    if handler is None:
        raise NotFound("There is no such change.", code="unknown_action")
    if not policy.action_enabled(req.shop, req.action):
        raise ActionDisabled("This store does not offer this change online.")
    detail = await load_contract(admin, req.shop, req.customer_id, req.contract_id, req.now)
    if not policy.action_available(req.shop, req.action, detail.contract.status):
        raise ActionDisabled("This change is not possible for this subscription right now.")
    event_detail = await handler(admin, req, detail)
    await PortalEvent.create(
        shop_id=req.shop.id,
        customer_id=req.customer_id,
        contract_id=req.contract_id,
        action=req.action,
        detail=event_detail,
    )
    return ActionResult(message_key=f"flash.{req.action}")
