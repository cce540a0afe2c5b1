"""The compliance topics Shopify requires of every app (`customers/data_request`,
`customers/redact`, `shop/redact`): they concern every table that holds a customer or a shop."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from shopify_app.jobs import queue
from shopify_app.links import revocation
from shopify_app.storage.models import OAuthState, Shop
from shopify_app.webhooks.verification import Delivery

logger = logging.getLogger("shopify_app.webhooks.compliance")


def _customer_id(delivery: Delivery) -> int | None:
    customer = delivery.payload.get("customer") or {}
    raw = customer.get("id") if isinstance(customer, dict) else None
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _customer_models() -> list[type[Model]]:
    """Every model holding per-customer rows of a shop: a `customer_id` field and a shop key.

    Found generically so that a model added later is redacted too."""
    found = []
    for app in Tortoise.apps.values():
        for model in app.values():
            fields = model._meta.fields_map
            if "customer_id" in fields and ("shop" in fields or "shop_domain" in fields):
                found.append(model)
    return found


async def on_customers_data_request(delivery: Delivery, now: datetime) -> None:
    """Answered in the background: a job assembles what we hold about the customer
    (`shopify_app/tasks/data_request.py`). The log names no person."""
    customer_id = _customer_id(delivery)
    request_id = str((delivery.payload.get("data_request") or {}).get("id", ""))[:64]
    if customer_id is None:
        return
    await queue.defer(queue.CUSTOMER_DATA_REQUEST, shop=delivery.shop_domain,
                      customer_id=customer_id, request_id=request_id)
    logger.info("customer data request %s for %s queued", request_id, delivery.shop_domain)


def _rows_of(model: type[Model], shop: Shop, customer_id: int) -> Any:
    if "shop" in model._meta.fields_map:
        return model.filter(shop_id=shop.pk, customer_id=customer_id)
    return model.filter(shop_domain=shop.domain, customer_id=customer_id)


async def on_customers_redact(delivery: Delivery, now: datetime) -> None:
    shop = await Shop.get_or_none(domain=delivery.shop_domain)
    customer_id = _customer_id(delivery)
    if shop is None or customer_id is None:
        return
    deleted = 0
    for model in _customer_models():
        deleted += await _rows_of(model, shop, customer_id).delete()
    if delivery.secret:
        await revocation.remember_redaction(shop, customer_id, delivery.secret, now)
    logger.info("customer redacted on %s: %d rows deleted", shop.domain, deleted)


async def on_shop_redact(delivery: Delivery, now: datetime) -> None:
    """Everything of the shop: its row, and through foreign-key cascades every row under it."""
    await OAuthState.filter(shop_domain=delivery.shop_domain).delete()
    deleted = await Shop.filter(domain=delivery.shop_domain).delete()
    logger.info("shop %s redacted (%d shop rows)", delivery.shop_domain, deleted)
