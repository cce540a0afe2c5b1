"""Re-reading one customer from the Admin API into the mirror (the `refresh_customer` job).

Webhooks that change what the listing shows without carrying it (a billing attempt that
succeeded raises the amount spent; a skipped cycle may move the next order) queue this: one
query, then the same writes as a `sync` page, so the result is what a full import would give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from shopify_app.mirror.contracts import (
    claim_customers,
    recount_customers,
    upsert_contracts,
)
from shopify_app.mirror.sync import customer_profile, parse_page
from shopify_app.shopify.gids import numeric_id

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient
    from shopify_app.storage.models import Shop

OPERATION = "CustomerMirror"


async def refresh_customer(admin: AdminClient, shop: Shop, customer_id: int) -> bool:
    """Mirror the customer as Shopify has it now; False when Shopify no longer has it."""
    data = await admin.query(shop, OPERATION, {"id": f"gid://shopify/Customer/{customer_id}"})
    node = data.get("customer")
    if not isinstance(node, dict) or numeric_id(node.get("id")) != customer_id:
        return False
    contracts = (node.get("subscriptionContracts") or {}).get("nodes") or []
    customer = {key: value for key, value in node.items() if key != "subscriptionContracts"}
    page = parse_page([{**contract, "customer": customer} for contract in contracts])
    async with in_transaction():
        profile = customer_profile(customer_id, customer)
        await claim_customers(shop.id, [customer_id], {customer_id: profile})
        await upsert_contracts(shop.id, page.contracts)
        await recount_customers(shop.id, [customer_id])
    return True
