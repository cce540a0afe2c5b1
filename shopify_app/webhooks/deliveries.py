"""Webhook deliveries: verified once, recorded once, dispatched by topic.

Shopify retries a delivery (8 times over 4 hours) until it gets a 2xx quickly, so the same
`X-Shopify-Webhook-Id` can arrive more than once. A copy older than
`verification.MAX_DELIVERY_AGE` is refused by its age, so a record is needed only for
`verification.DEDUP_RETENTION` (a purge job may delete older ones). The delivery row is
inserted first, in the same transaction as the handler: its primary key lets exactly one copy
through, and a handler that fails rolls the row back so Shopify's retry is processed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from shopify_app.install import shops
from shopify_app.mirror import contract_events, customer_events, skipped_cycles
from shopify_app.storage.models import Shop, WebhookDelivery
from shopify_app.webhooks import compliance, payloads
from shopify_app.webhooks.verification import Delivery

logger = logging.getLogger("shopify_app.webhooks.deliveries")


async def _check_shop_id(delivery: Delivery) -> None:
    """A payload's `shop_id` must be the shop's, once we know it; a payload naming the shop by
    both its domain (checked against the header) and its id teaches us the id."""
    shop_id = payloads.payload_shop_id(delivery.payload)
    if shop_id is None:
        return
    shop = await Shop.get_or_none(domain=delivery.shop_domain).only("id", "shopify_id")
    if shop is None:
        return
    if shop.shopify_id is not None and shop.shopify_id != shop_id:
        raise payloads.ShopMismatch("The webhook body names another shop than its header.")
    if shop.shopify_id is None and delivery.payload.get("shop_domain") is not None:
        await Shop.filter(domain=delivery.shop_domain, shopify_id__isnull=True).update(
            shopify_id=shop_id)


async def receive(delivery: Delivery, *, now: datetime) -> bool:
    """Handle `delivery` once. False when it was a duplicate (already handled)."""
    await _check_shop_id(delivery)
    try:
        async with in_transaction():
            try:
                await WebhookDelivery.create(
                    webhook_id=delivery.webhook_id, shop_domain=delivery.shop_domain,
                    topic=delivery.topic,
                )
            except IntegrityError as exc:
                # Only the delivery row's key means "duplicate"; a handler's own integrity
                # error must fail the delivery so that Shopify retries it.
                raise _Duplicate from exc
            await dispatch(delivery, now=now)
    except _Duplicate:
        logger.info("duplicate webhook %s (%s) dropped", delivery.webhook_id, delivery.topic)
        return False
    return True


class _Duplicate(Exception):
    pass


Handler = Callable[[Delivery, datetime], Awaitable[None]]


async def dispatch(delivery: Delivery, *, now: datetime) -> None:
    handler = HANDLERS.get(delivery.topic)
    if handler is None and delivery.topic.startswith("subscription_contracts/"):
        handler = _on_subscription_contract
    if handler is None:
        logger.info("webhook %s for %s ignored", delivery.topic, delivery.shop_domain)
        return
    await handler(delivery, now)


# Topic handlers live next to what they change (shops in install/, contracts in mirror/) and take
# plain arguments; these adapt a delivery to them. The compliance topics span every table.
async def _on_app_uninstalled(delivery: Delivery, now: datetime) -> None:
    await shops.uninstall(delivery.shop_domain, now)


async def _on_subscription_contract(delivery: Delivery, now: datetime) -> None:
    event_time = delivery.triggered_at or now
    await contract_events.apply(delivery.shop_domain, delivery.payload, event_time)


async def _on_customer_update(delivery: Delivery, now: datetime) -> None:
    await customer_events.apply_customer_update(delivery.shop_domain, delivery.payload,
                                                delivery.triggered_at or now)


async def _on_contract_billing(delivery: Delivery, now: datetime) -> None:
    await customer_events.queue_contract_customer_refresh(delivery.shop_domain, delivery.payload)


async def _on_cycle_skip(delivery: Delivery, now: datetime) -> None:
    await _on_contract_billing(delivery, now)
    skipped = delivery.topic.endswith("/skip")
    await skipped_cycles.apply_webhook(delivery.shop_domain, delivery.payload, skipped=skipped,
                                       event_at=delivery.triggered_at or now)


HANDLERS: dict[str, Handler] = {
    "app/uninstalled": _on_app_uninstalled,
    "customers/update": _on_customer_update,
    "subscription_billing_attempts/success": _on_contract_billing,
    "subscription_billing_cycles/skip": _on_cycle_skip,
    "subscription_billing_cycles/unskip": _on_cycle_skip,
    "customers/data_request": compliance.on_customers_data_request,
    "customers/redact": compliance.on_customers_redact,
    "shop/redact": compliance.on_shop_redact,
}
