"""Shopify-managed install: app home's session token becomes the shop's offline credentials.

Shopify installs the app itself and opens app home with an `id_token`. A shop we hold no usable
credentials for (new install, reinstall, refresh token expired or revoked) is set up here: the
token is exchanged for an expiring offline token, the shop registered with what `ShopInfo` says
(in one transaction, by `register_shop`) and the first import of its contracts started in the
background.

Concurrent first loads (App Bridge, several tabs, several workers) exchange once: inside a
process an `asyncio.Lock` per shop; across processes a claim row (`OAuthState` with a reserved
nonce, unique in the database) that the others wait on, then they read the stored credentials.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from shopify_app.install.first_import import start_first_import
from shopify_app.install.flow import SCOPES
from shopify_app.install.shops import register_shop
from shopify_app.settings import Settings
from shopify_app.shopify import oauth
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUnavailable
from shopify_app.storage.models import OAuthState, Shop

logger = logging.getLogger("shopify_app.install.token_exchange")

Sleep = Callable[[float], Awaitable[None]]
CLAIM_LIFETIME = timedelta(seconds=30)  # a crashed exchanger's claim lapses after this
POLL_SECONDS = 0.05
MAX_POLLS = 600

_locks: dict[str, asyncio.Lock] = {}


def has_usable_credentials(shop: Shop | None, now: datetime) -> bool:
    """Installed, with an access token that works now or a refresh token that can renew it,
    and every scope the app needs (a scope change in the toml means a new exchange)."""
    if shop is None or not shop.installed or not shop.access_token:
        return False
    granted = {s.strip() for s in shop.scopes.split(",") if s.strip()}
    if granted and not set(SCOPES) <= granted:
        return False
    if shop.access_token_expires_at is None or shop.access_token_expires_at > now:
        return True
    expiry = shop.refresh_token_expires_at
    return bool(shop.refresh_token) and (expiry is None or expiry > now)


def _claim_nonce(domain: str) -> str:
    # Real `state` nonces are url-safe base64 without ':': no clash with OAuth installs.
    return "exchange:" + hashlib.sha256(domain.encode()).hexdigest()[:48]


async def _take_claim(domain: str, now: datetime) -> bool:
    nonce = _claim_nonce(domain)
    await OAuthState.filter(nonce=nonce, created_at__lt=now - CLAIM_LIFETIME).delete()
    try:
        await OAuthState.create(nonce=nonce, shop_domain=domain)
    except IntegrityError:
        return False
    return True


async def ensure_installed(
    settings: Settings, admin: AdminClient, domain: str, session_token: str, *, now: datetime,
    sleep: Sleep = asyncio.sleep,
) -> Shop:
    """The shop of a verified session token, with usable credentials: stored ones, or new ones
    from a token exchange (`OAuthExchangeFailed` when Shopify refuses the session token)."""
    shop = await Shop.get_or_none(domain=domain)
    if has_usable_credentials(shop, now):
        assert shop is not None
        return shop
    lock = _locks.setdefault(domain, asyncio.Lock())
    async with lock:
        for _poll in range(MAX_POLLS):
            shop = await Shop.get_or_none(domain=domain)
            if has_usable_credentials(shop, now):
                assert shop is not None
                return shop  # another request (or process) set it up while we waited
            if await _take_claim(domain, now):
                try:
                    return await _exchange(settings, admin, domain, session_token, now)
                finally:
                    await OAuthState.filter(nonce=_claim_nonce(domain)).delete()
            await sleep(POLL_SECONDS)
    raise ShopifyUnavailable(f"Another process is still installing {domain}")


async def _exchange(settings: Settings, admin: AdminClient, domain: str, session_token: str,
                    now: datetime) -> Shop:
    grant = await oauth.exchange_session_token(admin.http, settings, domain, session_token,
                                               now=now)
    shop = await register_shop(admin, domain, grant, now=now)
    logger.info("installed on %s by token exchange (scopes %s)", shop.domain, grant.scope)
    await start_first_import(admin, shop)
    return shop
