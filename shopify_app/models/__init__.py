"""Tortoise models, one module per concern. `MODEL_MODULES` is what Tortoise loads."""

from __future__ import annotations

from shopify_app.models.api_keys import ApiKey, RateLimitWindow
from shopify_app.models.contracts import SubscriptionContract
from shopify_app.models.customers import Customer
from shopify_app.models.links import LinkStat
from shopify_app.models.portal import PortalEvent, PortalRedemption, SpentToken
from shopify_app.models.shops import OAuthState, Shop
from shopify_app.models.webhooks import WebhookDelivery

MODEL_MODULES = [
    "shopify_app.models.shops",
    "shopify_app.models.customers",
    "shopify_app.models.contracts",
    "shopify_app.models.api_keys",
    "shopify_app.models.links",
    "shopify_app.models.portal",
    "shopify_app.models.webhooks",
]

__all__ = [
    "MODEL_MODULES",
    "ApiKey",
    "Customer",
    "LinkStat",
    "OAuthState",
    "PortalEvent",
    "PortalRedemption",
    "RateLimitWindow",
    "Shop",
    "SpentToken",
    "SubscriptionContract",
    "WebhookDelivery",
]
