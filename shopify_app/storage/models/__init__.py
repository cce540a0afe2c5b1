"""Tortoise models, one module per concern. `MODEL_MODULES` is what Tortoise loads."""

from __future__ import annotations

from shopify_app.storage.models.api_keys import ApiKey, RateLimitWindow
from shopify_app.storage.models.cancel_attempts import CancelAttempt
from shopify_app.storage.models.contracts import SubscriptionContract
from shopify_app.storage.models.customers import Customer, RedactedCustomer
from shopify_app.storage.models.jobs import CustomerDataExport, ImportRun
from shopify_app.storage.models.links import IdempotentRequest, LinkStat, ShortLink
from shopify_app.storage.models.portal import PortalEvent, PortalRedemption, SpentToken
from shopify_app.storage.models.schedules import OrderNowClaim, ScheduledResume
from shopify_app.storage.models.shops import OAuthState, Shop
from shopify_app.storage.models.signals import ChangeSignal
from shopify_app.storage.models.skips import SkippedCycle
from shopify_app.storage.models.webhooks import WebhookDelivery

MODEL_MODULES = [
    "shopify_app.storage.models.shops",
    "shopify_app.storage.models.customers",
    "shopify_app.storage.models.contracts",
    "shopify_app.storage.models.api_keys",
    "shopify_app.storage.models.links",
    "shopify_app.storage.models.portal",
    "shopify_app.storage.models.webhooks",
    "shopify_app.storage.models.jobs",
    "shopify_app.storage.models.signals",
    "shopify_app.storage.models.cancel_attempts",
    "shopify_app.storage.models.schedules",
    "shopify_app.storage.models.skips",
]

__all__ = [
    "MODEL_MODULES",
    "ApiKey",
    "CancelAttempt",
    "ChangeSignal",
    "Customer",
    "CustomerDataExport",
    "IdempotentRequest",
    "ImportRun",
    "LinkStat",
    "OAuthState",
    "OrderNowClaim",
    "PortalEvent",
    "PortalRedemption",
    "RateLimitWindow",
    "RedactedCustomer",
    "ScheduledResume",
    "Shop",
    "ShortLink",
    "SkippedCycle",
    "SpentToken",
    "SubscriptionContract",
    "WebhookDelivery",
]
