"""The webhook guard: a request becomes a verified `Delivery` or is refused.

Shopify signs the raw body (HMAC-SHA256 with the app secret, base64 in
`X-Shopify-Hmac-Sha256`); the topic, shop and id come from headers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopify_app.errors import BadRequest, Unauthorized
from shopify_app.shopify import gids
from shopify_app.shopify.domains import normalize_shop_domain
from shopify_app.shopify.signatures import verify_webhook


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
