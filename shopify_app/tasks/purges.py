"""Housekeeping: rows whose purpose has passed are deleted, each kind after its own window."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from shopify_app.mirror import skipped_cycles
from shopify_app.storage.models import (
    IdempotentRequest,
    OAuthState,
    OrderNowClaim,
    PortalRedemption,
    RateLimitWindow,
    ShortLink,
    SpentToken,
    WebhookDelivery,
)
from shopify_app.webhooks.verification import DEDUP_RETENTION

logger = logging.getLogger("shopify_app.tasks.purges")

# A delivery id must be remembered while Shopify may still send the same delivery again: it
# retries for 4 hours; 6 leaves room. The hardening of webhooks/ defines the replay window;
# this constant is where purging follows it.
WEBHOOK_RECORD_WINDOW = DEDUP_RETENTION  # the replay window: older deliveries are refused anyway
# Redemption audit rows (time, customer, source, key, hashed client address, user agent) are
# kept 180 days: long enough for the merchant's statistics and abuse questions, then deleted.
REDEMPTION_RETENTION = timedelta(days=180)
# Rate-limit windows are one minute long; the two newest are still being counted.
RATE_LIMIT_WINDOWS_KEPT = 2
OAUTH_STATE_LIFETIME = timedelta(minutes=10)
# An "order now" claim stops a second charge of the same cycle while the first is in flight or
# its outcome is unknown. Within days Shopify's cycle is settled either way (billed: the portal
# offers the next cycle; not billed: ordering again is right), so a month is ample.
ORDER_NOW_CLAIM_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Purged:
    spent_tokens: int
    webhook_deliveries: int
    rate_limit_windows: int
    redemptions: int
    oauth_states: int
    short_links: int = 0
    idempotent_requests: int = 0
    skipped_cycles: int = 0
    order_now_claims: int = 0


async def purge(now: datetime) -> Purged:
    """Delete spent link keys past their link's expiry (an expired link is refused anyway),
    webhook delivery records past `WEBHOOK_RECORD_WINDOW`, rate-limit windows that ended,
    redemption audit rows past `REDEMPTION_RETENTION`, abandoned install nonces, short links
    whose link expired, bulk answers past their 24 h `Idempotency-Key` lifetime, skipped-cycle
    hints whose cycle date has passed and "order now" claims past `ORDER_NOW_CLAIM_RETENTION`."""
    minute = int(now.timestamp()) // 60
    purged = Purged(
        spent_tokens=await SpentToken.filter(expires_at__lt=now).delete(),
        webhook_deliveries=await WebhookDelivery.filter(
            received_at__lt=now - WEBHOOK_RECORD_WINDOW).delete(),
        rate_limit_windows=await RateLimitWindow.filter(
            window_start__lte=minute - RATE_LIMIT_WINDOWS_KEPT).delete(),
        redemptions=await PortalRedemption.filter(
            created_at__lt=now - REDEMPTION_RETENTION).delete(),
        oauth_states=await OAuthState.filter(
            created_at__lt=now - OAUTH_STATE_LIFETIME).delete(),
        short_links=await ShortLink.filter(expires_at__lte=now).delete(),
        idempotent_requests=await IdempotentRequest.filter(expires_at__lte=now).delete(),
        skipped_cycles=await skipped_cycles.purge(now),
        order_now_claims=await OrderNowClaim.filter(
            created_at__lt=now - ORDER_NOW_CLAIM_RETENTION).delete(),
    )
    logger.info("purged %s", purged)
    return purged
