"""Contract webhooks (`subscription_contracts/*`) applied to the mirror."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shopify_app.mirror import contracts
from shopify_app.shopify import gids
from shopify_app.storage.models import Shop, SubscriptionContract


def _payload_id(payload: Mapping[str, Any], gid_key: str, id_key: str) -> int | None:
    return gids.numeric_id(payload.get(gid_key)) or gids.numeric_id(
        payload.get(id_key)
    )


async def _is_stale(
    shop: Shop, contract_id: int, revision: int | None, event_time: datetime
) -> bool:
    """Older than what the mirror holds: by `revision_id` when both sides have one (Shopify
    increases it with every change of the contract, so two updates within one second are
    ordered too), else by the event time."""
    known = await SubscriptionContract.get_or_none(shop_id=shop.pk, contract_id=contract_id)
    if known is None:
        return False
    if revision is not None and known.revision_id is not None:
        return bool(revision <= known.revision_id)
    return known.updated_at is not None and known.updated_at > event_time


async def apply(shop_domain: str, payload: Mapping[str, Any], event_time: datetime) -> None:
    """Keep the contract mirror and the customer's counters fresh, with no Admin API call
    (webhooks must answer fast): upsert the contract row from the payload, then recount the
    customer from the mirror (a customer first seen here is created). An event older than
    what the mirror holds (a late retry, or a sync that read a newer state) changes nothing.
    `event_time`: when Shopify says the event happened (`X-Shopify-Triggered-At`)."""
    shop = await Shop.get_or_none(domain=shop_domain)
    customer_id = _payload_id(payload, "admin_graphql_api_customer_id", "customer_id")
    if shop is None or customer_id is None:
        return
    # The customer row first (created if missing): it serialises writers of this customer.
    await contracts.claim_customers(shop.pk, [customer_id])
    contract_id = _payload_id(payload, "admin_graphql_api_id", "id")
    status = str(payload.get("status") or "").strip().lower()
    revision = gids.numeric_id(payload.get("revision_id"))
    if contract_id is not None and status and not await _is_stale(
        shop, contract_id, revision, event_time
    ):
        next_billing_date = gids.parse_datetime(payload.get("next_billing_date"))
        currency = str(payload.get("currency_code") or "")
        row = contracts.ContractRow(
            contract_id=contract_id, customer_id=customer_id, status=status[:16],
            next_billing_date=next_billing_date, currency=currency[:8], updated_at=event_time,
            revision_id=revision,
        )
        # What the payload does not say, the mirror keeps (a sync may have read it).
        keep = [name for name, known in (("next_billing_date", next_billing_date),
                                         ("currency", currency)) if not known]
        await contracts.upsert_contracts(shop.pk, [row], keep=keep)
    await contracts.recount_customers(shop.pk, [customer_id])
