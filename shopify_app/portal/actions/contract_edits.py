"""The actions that edit the contract through a draft.

Frequency, quantity and discount apply/remove (and the address, in `addresses`) take this path:
`subscriptionContractUpdate` opens a draft → edits → `subscriptionDraftCommit`, committed only
when every edit succeeded. Shopify has no discard mutation, so an uncommitted draft simply
never applies.
"""

from __future__ import annotations

import json
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import MAX_QUANTITY, ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import Shop

MAX_CODE = 255


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
