"""Sending a link to a customer: a support agent finds a subscriber by email or name in the local
mirror (no Shopify call) and gets a fresh portal link to paste into a reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from shopify_app.admin.setup_status import iso
from shopify_app.errors import BadRequest
from shopify_app.links import minting
from shopify_app.links.minting import Minter, MintOptions
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Customer, Shop

MAX_QUERY = 200
MAX_WORDS = 5
RESULTS = 10
SOURCE = "admin"  # links minted here are counted under this source


class InvalidSearch(BadRequest):
    code = "invalid_search"
    title = "Invalid search"


def _describe(customer: Customer) -> dict[str, Any]:
    return {
        "customer_id": customer.customer_id,
        "name": f"{customer.first_name} {customer.last_name}".strip(),
        "email": customer.email,
        "active_subscriptions": customer.active_subscriptions,
        "next_order_date": iso(customer.next_order_date),
    }


async def find_customers(shop: Shop, query: str) -> list[dict[str, Any]]:
    """Subscribers whose email contains `query`, or whose first or last name contains every
    word of it; at most `RESULTS`, most active first."""
    text = query.strip()
    if not text or len(text) > MAX_QUERY:
        raise InvalidSearch(f"Search with 1-{MAX_QUERY} characters.", extra={"field": "q"})
    words = text.split()[:MAX_WORDS]
    by_name = Q()
    for word in words:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    found = await Customer.filter(shop_id=shop.id).filter(
        Q(email__icontains=text.lower()) | by_name
    ).order_by("-active_subscriptions", "last_name", "first_name", "customer_id").limit(RESULTS)
    return [_describe(c) for c in found]


async def link_for(admin: AdminClient, shop: Shop, customer_id: int, minter: Minter, *,
                   now: datetime) -> dict[str, Any]:
    """A fresh link for one of the shop's customers, with the shop's default lifetime."""
    link = await minting.mint_link(admin, shop, customer_id, MintOptions(source=SOURCE), minter,
                                   now=now)
    return {"customer_id": link.customer_id, "url": link.url, "expires_at": iso(link.expires_at),
            "expires_in_minutes": minting.lifetime_minutes(shop, MintOptions())}
