"""The webhook guard: a request becomes a verified `Delivery` or is refused.

Shopify signs the raw body (HMAC-SHA256 with the app secret, base64 in
`X-Shopify-Hmac-Sha256`); the topic, shop and id come from headers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shopify_app.errors import BadRequest, Unauthorized
from shopify_app.shopify import gids
from shopify_app.shopify.domains import normalize_shop_domain
from shopify_app.shopify.signatures import verify_webhook
from shopify_app.webhooks import payloads

# Shopify retries a delivery 8 times over 4 hours, keeping its `X-Shopify-Triggered-At`: older
# than this (with a margin for queueing) it cannot be Shopify's, only a stored copy replayed.
MAX_DELIVERY_AGE = timedelta(hours=5)
# A clock a little ahead of ours is tolerated; a time further in the future is forged.
MAX_CLOCK_SKEW = timedelta(minutes=5)
# How long a delivery's de-duplication record must be kept (a purge job deletes older ones):
# a copy of it is refused by its age after this.
DEDUP_RETENTION = MAX_DELIVERY_AGE + MAX_CLOCK_SKEW


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
    # The app secret that verified it: handlers derive keys from it (never logged).
    secret: str = field(default="", repr=False, compare=False)


class OutsideWindow(Unauthorized):
    code = "webhook_outside_window"
    title = "The webhook is too old or from the future"


def verify_delivery(
    headers: Mapping[str, str], body: bytes, secrets: str | Sequence[str], now: datetime
) -> Delivery:
    """The guard: HMAC of the raw body with any of `secrets` (the current one, and the old one
    during a rotation) first (401), then the headers we route on (400), then what the unsigned
    headers claim against the window and the signed body (401, see `payloads`)."""
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    signature = headers.get("x-shopify-hmac-sha256")
    if not any(verify_webhook(body, signature, key) for key in keys):
        raise InvalidWebhook("The webhook is not signed by Shopify.")
    topic = (headers.get("x-shopify-topic") or "").strip().lower()
    shop = normalize_shop_domain(headers.get("x-shopify-shop-domain"))
    if not topic or shop is None:
        raise BadRequest("Missing or invalid X-Shopify-Topic / X-Shopify-Shop-Domain.")
    triggered_at = gids.parse_datetime((headers.get("x-shopify-triggered-at") or "")[:64])
    if triggered_at is None or not (
        now - MAX_DELIVERY_AGE <= triggered_at <= now + MAX_CLOCK_SKEW
    ):
        raise OutsideWindow("X-Shopify-Triggered-At is missing or outside the delivery window.")
    try:
        payload = json.loads(body) if body else {}
    except (ValueError, RecursionError):
        raise BadRequest("The webhook body is not JSON.") from None
    checked = payloads.check_payload(topic, shop, payload)
    # Without an id (never from Shopify itself), identical bodies count as one delivery.
    webhook_id = (headers.get("x-shopify-webhook-id") or "").strip()[:128]
    if not webhook_id:
        webhook_id = "sha256:" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()
    return Delivery(topic, shop, webhook_id, dict(checked), triggered_at, keys[0])
