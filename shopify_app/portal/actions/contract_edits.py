"""The actions that edit the contract through a draft.

Frequency, quantity, address and discount apply/remove all take the same path:
`subscriptionContractUpdate` opens a draft → edits → `subscriptionDraftCommit`, committed only
when every edit succeeded. Shopify has no discard mutation, so an uncommitted draft simply
never applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import MAX_QUANTITY, ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import Shop

MAX_CODE = 255
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
            raise ShopifyUserErrors(
                [{"field": ["redeemCode"], "message": str(rejection), "code": str(rejection)}]
            )
    await admin.mutate(
        shop, "SubscriptionDraftCommit", {"draftId": draft_id}, payload="subscriptionDraftCommit"
    )


def current_frequency(detail: ContractDetail) -> policy.Frequency:
    contract = detail.contract
    return policy.Frequency(
        contract.delivery_interval or contract.billing_interval,
        contract.delivery_count or contract.billing_count,
    )


async def change_frequency(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    chosen = text_field(req.form, "frequency", 32)
    frequency = policy.parse_frequency(req.shop, chosen)
    if frequency is None and chosen == current_frequency(detail).key:
        frequency = current_frequency(detail)  # keeping one no longer offered is fine
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


async def change_quantity(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    line = detail.contract.line(text_field(req.form, "line_id"))
    quantity = int_field(req.form, "quantity")
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
    values = {name: text_field(form, name) for name in ADDRESS_FIELDS}
    values["country_code"] = values["country_code"].upper()
    for name in REQUIRED_ADDRESS:
        if not values[name]:
            raise InvalidInput(f"Please fill in {name}.", extra={"field": name})
    if not _COUNTRY.match(values["country_code"]):
        raise InvalidInput(
            "Please enter a two-letter country code.", extra={"field": "country_code"}
        )
    return {ADDRESS_FIELDS[name]: value for name, value in values.items() if value}


async def change_address(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
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


async def apply_discount(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    code = text_field(req.form, "code", MAX_CODE)
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


async def remove_discount(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    discount = detail.contract.discount(text_field(req.form, "discount_id"))
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
