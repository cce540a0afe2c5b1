"""Installing the app through a link: OAuth authorization code grant for an expiring offline
token. (Shopify-managed install is token exchange: `install/token_exchange.py`; both end in the
same stored credentials, written by `register_shop`.)

1. Shopify (or the merchant) opens the install URL with `shop`, `timestamp` and `hmac`;
   we check the HMAC, remember a `state` nonce and send the merchant to the authorize page.
2. Shopify redirects back to the callback with `code`, `shop`, `state`, `timestamp`, `hmac`;
   we check all of them, spend the nonce, exchange the code and store the shop.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from shopify_app.errors import AppError, BadRequest, Unauthorized
from shopify_app.install.shops import register_shop
from shopify_app.jobs import queue
from shopify_app.settings import Settings
from shopify_app.shopify import oauth
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.domains import require_shop_domain
from shopify_app.shopify.signatures import parse_query, verify_oauth_query
from shopify_app.shopify.urls import shop_origin
from shopify_app.storage.models import OAuthState, Shop

logger = logging.getLogger("shopify_app.install.flow")

# What SHOPIFY.md lists; `shopify.app.toml` must ask for the same (a test compares them).
SCOPES = (
    "read_customers",
    "write_customers",
    "read_orders",
    "read_own_subscription_contracts",
    "write_own_subscription_contracts",
    "read_customer_payment_methods",
    "write_app_proxy",
)
INSTALL_PATH = "/auth/install"
CALLBACK_PATH = "/auth/callback"
STATE_LIFETIME = timedelta(minutes=10)
# Shopify's own libraries refuse signed admin requests older (or newer) than this.
TIMESTAMP_TOLERANCE_SECONDS = 90


class InvalidHmac(Unauthorized):
    code = "invalid_hmac"
    title = "Invalid signature"


class InvalidState(BadRequest):
    code = "invalid_state"
    title = "Installation expired"


class NotConfigured(AppError):
    status = 503
    code = "app_not_configured"
    title = "The app has no Shopify credentials"


def _secret(settings: Settings) -> str:
    if settings.sandbox:
        raise NotConfigured("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to install on a store.")
    return settings.secret


def verified_shop(settings: Settings, query_string: str, now: datetime) -> str:
    """The shop of a request Shopify signed with `hmac`; its domain is checked first (400),
    then the signature and its timestamp (401): a signed URL cannot be replayed later."""
    _secret(settings)
    params = dict(parse_query(query_string))
    shop = require_shop_domain(params.get("shop"))
    # During a client secret rotation Shopify may still sign with the old one.
    if not any(verify_oauth_query(query_string, key) for key in settings.secrets):
        raise InvalidHmac("The request is not signed by Shopify.")
    timestamp = params.get("timestamp", "")
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > (
        TIMESTAMP_TOLERANCE_SECONDS
    ):
        raise InvalidHmac("The signed request is too old. Please open the app again.")
    return shop


def callback_url(settings: Settings) -> str:
    return f"{settings.app_url}{CALLBACK_PATH}"


def app_url_in_admin(settings: Settings, shop: str) -> str:
    """Where the merchant lands after installing: the app inside the shop's admin."""
    return f"{shop_origin(settings, shop)}/admin/apps/{settings.api_key}"


async def begin(settings: Settings, query_string: str, *, now: datetime) -> str:
    """Check the install request and return the authorize URL to redirect to."""
    return await _authorize(settings, verified_shop(settings, query_string, now), now)


async def _authorize(settings: Settings, shop: str, now: datetime) -> str:
    """Remember a fresh `state` nonce for `shop` and build its authorize URL."""
    # Housekeeping: nonces of installs that were never completed.
    await OAuthState.filter(created_at__lt=now - STATE_LIFETIME).delete()
    state = secrets.token_urlsafe(32)
    await OAuthState.create(nonce=state, shop_domain=shop)
    return oauth.authorize_url(settings, shop, scopes=",".join(SCOPES),
                               redirect_uri=callback_url(settings), state=state)


async def _spend_state(state: str, shop: str, now: datetime) -> None:
    row = await OAuthState.get_or_none(nonce=state) if state else None
    # The DELETE decides: of two callbacks with one nonce, only one deletes the row.
    spent = await OAuthState.filter(nonce=state).delete() if row else 0
    if row is None or spent != 1 or row.shop_domain != shop:
        raise InvalidState("This installation link was already used. Please install again.")
    if row.created_at + STATE_LIFETIME < now:
        raise InvalidState("This installation link expired. Please install again.")


async def complete(settings: Settings, admin: AdminClient, query_string: str, *,
                   now: datetime) -> tuple[Shop, str]:
    """Finish the callback: returns the stored shop and the URL to send the merchant to."""
    shop_domain = verified_shop(settings, query_string, now)
    params = dict(parse_query(query_string))
    await _spend_state(params.get("state", ""), shop_domain, now)
    code = params.get("code", "")
    if not code:
        raise BadRequest("The callback carries no authorization code.", code="missing_code")
    grant = await oauth.exchange_code(admin.http, settings, shop_domain, code, now=now)
    shop = await register_shop(admin, shop_domain, grant, now=now)
    logger.info("installed on %s (scopes %s)", shop.domain, grant.scope)
    # The first import runs in the background: the merchant lands in the app at once.
    await queue.enqueue_first_import(shop.domain)
    return shop, app_url_in_admin(settings, shop.domain)
