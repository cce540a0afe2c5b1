"""Webhook deliveries: verified once, recorded once, dispatched by topic.

Shopify retries a delivery (8 times over 4 hours) until it gets a 2xx quickly, so the same
`X-Shopify-Webhook-Id` can arrive more than once. The delivery row is inserted first, in the same
transaction as the handler: its primary key lets exactly one copy through, and a handler that
fails rolls the row back so Shopify's retry is processed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from shopify_app import contract_mirror
from shopify_app.errors import BadRequest, Unauthorized
from shopify_app.models import ApiKey, OAuthState, Shop, SubscriptionContract, WebhookDelivery
from shopify_app.shopify import gids
from shopify_app.shopify.domains import normalize_shop_domain
from shopify_app.signatures import verify_webhook

logger = logging.getLogger("shopify_app.webhooks")


class InvalidWebhook(Unauthorized):
    code = "invalid_webhook_signature"
    title = "Invalid webhook signature"


@dataclass(frozen=True)
class Delivery:
    """A verified webhook delivery."""

    topic: str
    shop_domain: str
    webhook_id: str
    payload: dict[str, Any]
    # `X-Shopify-Triggered-At`: when the event happened. Deliveries arrive out of order (retries
    # over hours), so this, not the arrival time, orders updates of one record.
    triggered_at: datetime | None = None


def verify_delivery(headers: Mapping[str, str], body: bytes, secret: str) -> Delivery:
    """The guard: HMAC of the raw body first (401), then the headers we route on (400)."""
    if not verify_webhook(body, headers.get("x-shopify-hmac-sha256"), secret):
        raise InvalidWebhook("The webhook is not signed by Shopify.")
    topic = (headers.get("x-shopify-topic") or "").strip().lower()
    shop = normalize_shop_domain(headers.get("x-shopify-shop-domain"))
    if not topic or shop is None:
        raise BadRequest("Missing or invalid X-Shopify-Topic / X-Shopify-Shop-Domain.")
    try:
        payload = json.loads(body) if body else {}
    except ValueError:
        raise BadRequest("The webhook body is not JSON.") from None
    # Without an id (never from Shopify itself), identical bodies count as one delivery.
    webhook_id = (headers.get("x-shopify-webhook-id") or "").strip()[:128]
    if not webhook_id:
        webhook_id = "sha256:" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()
    triggered_at = gids.parse_datetime(headers.get("x-shopify-triggered-at"))
    return Delivery(topic, shop, webhook_id, payload if isinstance(payload, dict) else {},
                    triggered_at)


async def receive(delivery: Delivery, *, now: datetime) -> bool:
    """Handle `delivery` once. False when it was a duplicate (already handled)."""
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
        handler = on_subscription_contract
    if handler is None:
        logger.info("webhook %s for %s ignored", delivery.topic, delivery.shop_domain)
        return
    await handler(delivery, now)


async def on_app_uninstalled(delivery: Delivery, now: datetime) -> None:
    """Revoke what the shop gave us: its tokens go, its API keys stop working."""
    shop = await Shop.get_or_none(domain=delivery.shop_domain)
    if shop is None:
        return
    await Shop.filter(pk=shop.pk).update(
        access_token=None, access_token_expires_at=None, refresh_token=None,
        refresh_token_expires_at=None, refresh_lease_owner=None, refresh_lease_until=None,
        uninstalled_at=now,
    )
    revoked = await ApiKey.filter(shop_id=shop.pk, revoked_at__isnull=True).update(revoked_at=now)
    logger.info("uninstalled from %s: credentials deleted, %d API keys revoked",
                shop.domain, revoked)


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
    """We hold only what our tables show; the merchant answers from Shopify's own data.
    The log names no person: the shop, our count of rows, the request id."""
    shop = await Shop.get_or_none(domain=delivery.shop_domain)
    customer_id = _customer_id(delivery)
    rows = 0
    if shop is not None and customer_id is not None:
        for model in _customer_models():
            rows += await _rows_of(model, shop, customer_id).count()
    request_id = (delivery.payload.get("data_request") or {}).get("id", "")
    logger.info("customer data request %s for %s: %d rows held", request_id, delivery.shop_domain,
                rows)


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
    logger.info("customer redacted on %s: %d rows deleted", shop.domain, deleted)


async def on_shop_redact(delivery: Delivery, now: datetime) -> None:
    """Everything of the shop: its row, and through foreign-key cascades every row under it."""
    await OAuthState.filter(shop_domain=delivery.shop_domain).delete()
    deleted = await Shop.filter(domain=delivery.shop_domain).delete()
    logger.info("shop %s redacted (%d shop rows)", delivery.shop_domain, deleted)


def _payload_id(payload: Mapping[str, Any], gid_key: str, id_key: str) -> int | None:
    return gids.numeric_id(payload.get(gid_key)) or gids.numeric_id(
        payload.get(id_key)
    )


async def _is_stale(shop: Shop, contract_id: int, event_time: datetime) -> bool:
    known = await SubscriptionContract.get_or_none(shop_id=shop.pk, contract_id=contract_id)
    updated_at = known.updated_at if known is not None else None
    return updated_at is not None and updated_at > event_time


async def on_subscription_contract(delivery: Delivery, now: datetime) -> None:
    """Keep the contract mirror and the customer's counters fresh, with no Admin API call
    (webhooks must answer fast): upsert the contract row from the payload, then recount the
    customer from the mirror (a customer first seen here is created). A delivery older than
    what the mirror holds (a late retry, or a sync that read a newer state) changes nothing."""
    shop = await Shop.get_or_none(domain=delivery.shop_domain)
    payload = delivery.payload
    customer_id = _payload_id(payload, "admin_graphql_api_customer_id", "customer_id")
    if shop is None or customer_id is None:
        return
    # The customer row first (created if missing): it serialises writers of this customer.
    await contract_mirror.claim_customers(shop.pk, [customer_id])
    contract_id = _payload_id(payload, "admin_graphql_api_id", "id")
    status = str(payload.get("status") or "").strip().lower()
    event_time = delivery.triggered_at or now
    if contract_id is not None and status and not await _is_stale(shop, contract_id, event_time):
        next_billing_date = gids.parse_datetime(payload.get("next_billing_date"))
        currency = str(payload.get("currency_code") or "")
        row = contract_mirror.ContractRow(
            contract_id=contract_id, customer_id=customer_id, status=status[:16],
            next_billing_date=next_billing_date, currency=currency[:8], updated_at=event_time,
        )
        # What the payload does not say, the mirror keeps (a sync may have read it).
        keep = [name for name, known in (("next_billing_date", next_billing_date),
                                         ("currency", currency)) if not known]
        await contract_mirror.upsert_contracts(shop.pk, [row], keep=keep)
    await contract_mirror.recount_customers(shop.pk, [customer_id])


HANDLERS: dict[str, Handler] = {
    "app/uninstalled": on_app_uninstalled,
    "customers/data_request": on_customers_data_request,
    "customers/redact": on_customers_redact,
    "shop/redact": on_shop_redact,
}
