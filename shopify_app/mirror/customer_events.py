"""Webhooks about customers and billing, applied to the mirror.

`customers/update` carries the new profile: applied at once, unless the mirror already holds a
newer one. `subscription_billing_attempts/success` (the amount spent grew) and
`subscription_billing_cycles/skip|unskip` (the contract's schedule changed) say what happened but
not the new figures, so they queue a re-read of the customer (`refresh_customer`): the webhook
is answered at once, and several events for one customer share one waiting job.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shopify_app.jobs import queue
from shopify_app.mirror.contracts import parse_amount
from shopify_app.shopify import gids
from shopify_app.storage.models import Customer, Shop, SubscriptionContract


def _id(payload: Mapping[str, Any], gid_key: str, id_key: str) -> int | None:
    return gids.numeric_id(payload.get(gid_key)) or gids.numeric_id(payload.get(id_key))


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


async def apply_customer_update(shop_domain: str, payload: Mapping[str, Any],
                                event_time: datetime) -> bool:
    """Names, email (lower-cased) and amount spent of a customer the mirror holds; customers
    without subscriptions are not mirrored. True when the row changed."""
    shop = await Shop.get_or_none(domain=shop_domain)
    customer_id = _id(payload, "admin_graphql_api_id", "id")
    if shop is None or customer_id is None:
        return False
    changed_at = gids.parse_datetime(payload.get("updated_at")) or event_time
    row = await Customer.get_or_none(shop_id=shop.pk, customer_id=customer_id)
    if row is None or (row.profile_updated_at is not None and row.profile_updated_at >= changed_at):
        return False
    email = _text(payload.get("email"), 320).lower()
    values: dict[str, Any] = {
        "email": email or None,
        "first_name": _text(payload.get("first_name"), 255),
        "last_name": _text(payload.get("last_name"), 255),
        "profile_updated_at": changed_at,
    }
    spent = payload.get("amount_spent")
    if isinstance(spent, Mapping) and parse_amount(spent.get("amount")) is not None:
        values["lifetime_value"] = parse_amount(spent.get("amount"))
        values["currency"] = _text(spent.get("currency_code"), 8) or row.currency
    # Conditional on the profile time read above: of two racing deliveries the older loses.
    updated = await Customer.filter(pk=row.pk, profile_updated_at=row.profile_updated_at).update(
        **values)
    return updated == 1


async def queue_contract_customer_refresh(shop_domain: str, payload: Mapping[str, Any]) -> bool:
    """For a billing attempt or cycle event: re-read the contract's customer. True if queued
    (or already waiting); False for a contract the mirror does not know."""
    contract_id = _id(payload, "admin_graphql_api_subscription_contract_id",
                      "subscription_contract_id")
    shop = await Shop.get_or_none(domain=shop_domain)
    if shop is None or contract_id is None:
        return False
    contract = await SubscriptionContract.get_or_none(shop_id=shop.pk, contract_id=contract_id)
    if contract is None:
        return False
    await queue.enqueue_customer_refresh(shop_domain, contract.customer_id)
    return True
