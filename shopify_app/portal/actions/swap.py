"""Swapping a subscription line to another product or variant the merchant allows.

`subscriptionContractProductChange` changes the live contract at once, at the price the
customer was shown (`swap_choices`). A variant the merchant does not offer for this line (a
forged form value) is refused here before any mutation; one Shopify will not sell under the
line's selling plan is refused by Shopify, and its reason shown.

`swap_line(admin, shop, detail, line_gid, variant_gid)` is the use case on its own, for any
flow that offers a swap (the cancel flow's offers link to the swap page, `views.swap_pages`).
"""

from __future__ import annotations

import json

from shopify_app.portal.actions.requests import ActionRequest, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.swap_choices import SwapChoice, load_swap_choices
from shopify_app.portal.views.viewmodels import ContractDetail, Line
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop


def line_of(detail: ContractDetail, line_gid: str) -> Line:
    line = detail.contract.line(line_gid)
    if line is None:
        raise InvalidInput(
            "That product is not part of this subscription.", extra={"field": "line_id"}
        )
    return line


async def allowed_choice(
    admin: AdminClient, shop: Shop, line: Line, variant_gid: str
) -> SwapChoice:
    """The offered choice `variant_gid` names, or `InvalidInput` (nothing sent to Shopify)."""
    choices = await load_swap_choices(admin, shop, line)
    chosen = next((c for c in choices if c.variant_gid == variant_gid), None)
    if chosen is None or not chosen.available:
        raise InvalidInput(
            "Please choose one of the offered products.", extra={"field": "variant_id"}
        )
    return chosen


async def swap_line(
    admin: AdminClient, shop: Shop, detail: ContractDetail, line_gid: str, variant_gid: str
) -> str:
    """Swap one line of the contract; returns the `PortalEvent.detail` to record."""
    line = line_of(detail, line_gid)
    chosen = await allowed_choice(admin, shop, line, variant_gid)
    await admin.mutate(
        shop,
        "SubscriptionContractProductChange",
        {
            "contractId": detail.contract.gid,
            "lineId": line.gid,
            "input": {
                "productVariantId": chosen.variant_gid,
                "currentPrice": f"{chosen.price.amount:.2f}",
            },
        },
        payload="subscriptionContractProductChange",
    )
    return json.dumps(
        {
            "line_id": line.gid,
            "from": line.variant_gid,
            "to": chosen.variant_gid,
            "price": f"{chosen.price.amount:.2f}",
        }
    )


async def swap(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    return await swap_line(
        admin,
        req.shop,
        detail,
        text_field(req.form, "line_id"),
        text_field(req.form, "variant_id"),
    )
