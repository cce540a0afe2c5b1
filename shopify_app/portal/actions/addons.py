"""One-time add-ons: a product the merchant offers, added to the next order only.

`subscriptionBillingCycleContractEdit` opens a draft of that ONE billing cycle →
`subscriptionDraftLineAdd` (or `subscriptionDraftLineRemove`) →
`subscriptionBillingCycleContractDraftCommit`: the cycle bills with the add-on, the contract
and every later order stay as they were. Only a product the merchant offers can be added,
at its current price (read with the contract, `views.addon_reads`), and only an add-on that
is on an upcoming, unbilled order can be removed: forged values are refused before any
mutation.
"""

from __future__ import annotations

import json

from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import MAX_QUANTITY, ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import Shop


async def _edit_cycle(
    admin: AdminClient,
    shop: Shop,
    contract_gid: str,
    cycle_index: int,
    operation: str,
    variables: dict[str, object],
    payload: str,
) -> None:
    """Open the cycle's draft, make one edit, commit it (nothing applies unless all worked)."""
    opened = await admin.mutate(
        shop,
        "SubscriptionBillingCycleContractEdit",
        {"input": {"contractId": contract_gid, "selector": {"index": cycle_index}}},
        payload="subscriptionBillingCycleContractEdit",
    )
    draft_id = (opened.get("draft") or {}).get("id")
    if not isinstance(draft_id, str):
        raise ShopifyUserErrors([{"field": None, "message": "Shopify did not open a draft."}])
    await admin.mutate(shop, operation, {"draftId": draft_id, **variables}, payload=payload)
    await admin.mutate(
        shop,
        "SubscriptionBillingCycleContractDraftCommit",
        {"draftId": draft_id},
        payload="subscriptionBillingCycleContractDraftCommit",
    )


async def add_on(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    variant_gid = text_field(req.form, "variant_id")
    offered = next((o for o in detail.offered_addons if o.variant_gid == variant_gid), None)
    if offered is None or not offered.available:
        raise InvalidInput(
            "Please choose one of the offered products.", extra={"field": "variant_id"}
        )
    quantity = int_field(req.form, "quantity") or 1
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            f"Please choose a quantity from 1 to {MAX_QUANTITY}.", extra={"field": "quantity"}
        )
    cycle = detail.next_unskipped
    if cycle is None or cycle.status == "BILLED":
        raise InvalidInput("There is no upcoming order to add to.", extra={"field": "variant_id"})
    line = {
        "productVariantId": offered.variant_gid,
        "quantity": quantity,
        "currentPrice": f"{offered.price.amount:.2f}",
    }
    await _edit_cycle(
        admin,
        req.shop,
        detail.contract.gid,
        cycle.index,
        "SubscriptionDraftLineAdd",
        {"input": line},
        "subscriptionDraftLineAdd",
    )
    return json.dumps({"cycle_index": cycle.index, "variant_id": offered.variant_gid,
                       "quantity": quantity})


async def remove_add_on(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    index = int_field(req.form, "cycle_index")
    line_gid = text_field(req.form, "line_id")
    upcoming = {c.index for c in detail.upcoming if c.status != "BILLED"}
    found = next(
        (a for a in detail.addons.get(index or 0, []) if a.gid == line_gid),
        None,
    ) if index in upcoming else None
    if index is None or found is None:
        raise InvalidInput(
            "That product is not on an upcoming order.", extra={"field": "line_id"}
        )
    await _edit_cycle(
        admin,
        req.shop,
        detail.contract.gid,
        index,
        "SubscriptionDraftLineRemove",
        {"lineId": found.gid},
        "subscriptionDraftLineRemove",
    )
    return json.dumps({"cycle_index": index, "line_id": found.gid})
