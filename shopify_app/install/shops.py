"""Registering a shop (its credentials and what the Admin API says about it, in one write) and
uninstalling it.

Used by the OAuth callback (expiring offline token + refresh token) and by `shops add`
(a token the merchant already has, e.g. from a custom app).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from shopify_app.errors import NotFound
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.credentials import grant_fields
from shopify_app.shopify.domains import require_shop_domain
from shopify_app.shopify.oauth import TokenGrant
from shopify_app.storage import signals
from shopify_app.storage.models import ApiKey, Shop

logger = logging.getLogger("shopify_app.install.shops")


@dataclass(frozen=True)
class ShopInfo:
    name: str
    myshopify_domain: str
    primary_host: str | None  # None when the storefront has no custom domain
    timezone: str
    currency: str


def parse_shop_info(data: dict[str, Any], domain: str) -> ShopInfo:
    shop = data.get("shop") or {}
    host = ((shop.get("primaryDomain") or {}).get("host") or "").lower() or None
    myshopify = str(shop.get("myshopifyDomain") or domain).lower()
    return ShopInfo(
        name=str(shop.get("name") or ""),
        myshopify_domain=myshopify,
        primary_host=None if host in (None, myshopify, domain) else host,
        timezone=str(shop.get("ianaTimezone") or "UTC"),
        currency=str(shop.get("currencyCode") or "USD"),
    )


async def fetch_shop_info(admin: AdminClient, shop: Shop) -> ShopInfo:
    """The `ShopInfo` operation: name, domains, timezone and currency."""
    return parse_shop_info(await admin.query(shop, "ShopInfo"), shop.domain)


async def register_shop(admin: AdminClient, domain: str, grant: TokenGrant, *,
                        now: datetime) -> Shop:
    """Store `grant` and the shop's details, creating the row or updating it (reinstall).

    The Admin API is asked first, with the new token, so a token that does not work is never
    stored; credentials and details are then written in one transaction."""
    domain = require_shop_domain(domain)
    probe = Shop(domain=domain, **grant_fields(grant))  # unsaved: only carries the token
    info = await fetch_shop_info(admin, probe)
    values: dict[str, Any] = {
        **grant_fields(grant),
        "scopes": grant.scope,
        "name": info.name,
        "primary_domain": info.primary_host,
        "timezone": info.timezone,
        "currency": info.currency,
        "installed_at": now,
        "uninstalled_at": None,
        "refresh_lease_owner": None,
        "refresh_lease_until": None,
    }
    try:
        return await _store(domain, values)
    except IntegrityError:
        # Two first installs of one new shop: both saw no row and both inserted; the loser's
        # insert hit the unique domain. The row exists now, so the retry updates it.
        return await _store(domain, values)


async def _store(domain: str, values: dict[str, Any]) -> Shop:
    async with in_transaction() as conn:
        shop = await Shop.filter(domain=domain).using_db(conn).select_for_update().first()
        if shop is None:
            shop = await Shop.create(domain=domain, using_db=conn, **values)
        else:
            shop.update_from_dict(values)
            await shop.save(using_db=conn)
    return shop


async def registered_shop(domain: str) -> Shop:
    """The stored shop of `domain` (installed or not), or `NotFound` (`shop_not_found`)."""
    shop = await Shop.get_or_none(domain=require_shop_domain(domain))
    if shop is None:
        raise NotFound(f"No shop {domain} is registered (see `shops add`).",
                       code="shop_not_found")
    return shop


def token_grant(access_token: str, scopes: str = "") -> TokenGrant:
    """A non-expiring token handed to us directly (custom apps, development stores)."""
    return TokenGrant(access_token=access_token, scope=scopes, expires_at=None,
                      refresh_token=None, refresh_token_expires_at=None)


async def uninstall(domain: str, now: datetime) -> None:
    """`app/uninstalled`: revoke what the shop gave us: its tokens go, its API keys stop
    working. An unknown shop is a no-op."""
    shop = await Shop.get_or_none(domain=domain)
    if shop is None:
        return
    async with in_transaction():
        await Shop.filter(pk=shop.pk).update(
            access_token=None, access_token_expires_at=None, refresh_token=None,
            refresh_token_expires_at=None, refresh_lease_owner=None, refresh_lease_until=None,
            uninstalled_at=now,
        )
        revoked = await ApiKey.filter(shop_id=shop.pk, revoked_at__isnull=True).update(
            revoked_at=now)
        await signals.bump(signals.AUTH)  # every worker's key cache forgets the shop's keys
    logger.info("uninstalled from %s: credentials deleted, %d API keys revoked",
                shop.domain, revoked)
