"""A shop's offline access token, refreshed before it expires, one refresh per shop at a time.

Refresh tokens rotate: the refresh grant answers a new refresh token and spends the old one.
Two workers refreshing the same shop at once would both send the same refresh token and one of
them would lose the shop's credentials. So a refresh is serialised per shop across processes:

- PostgreSQL: `SELECT ... FOR UPDATE` on the shop row, in a transaction around the refresh;
- SQLite (no row locks): a lease, taken by a conditional UPDATE of `refresh_lease_owner` and
  `refresh_lease_until`; the others poll the row until the lease is released.

Whoever waited re-reads the row afterwards: if another process already refreshed, its token is
used and no second refresh is sent. Within a process an `asyncio.Lock` per shop keeps the
waiters off the database.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from shopify_app.settings import Settings
from shopify_app.shopify import oauth
from shopify_app.shopify.errors import ShopifyAuthFailed, ShopifyUnavailable
from shopify_app.storage.models import Shop

logger = logging.getLogger("shopify_app.shopify.credentials")

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]

REFRESH_MARGIN = timedelta(minutes=5)  # refresh this long before the access token expires
LEASE_DURATION = timedelta(seconds=30)  # a crashed holder's lease lapses after this
POLL_SECONDS = 0.05
_MAX_POLLS = 2000  # bounds the wait even with an instant test `sleep` and a frozen clock


def is_fresh(shop: Shop, now: datetime) -> bool:
    """The stored access token can be used for a while yet (or never expires)."""
    if not shop.access_token:
        return False
    expires_at = shop.access_token_expires_at
    return expires_at is None or expires_at - REFRESH_MARGIN > now


def _copy_credentials(source: Shop, target: Shop) -> None:
    target.access_token = source.access_token
    target.access_token_expires_at = source.access_token_expires_at
    target.refresh_token = source.refresh_token
    target.refresh_token_expires_at = source.refresh_token_expires_at


def grant_fields(grant: oauth.TokenGrant) -> dict[str, object]:
    """The shop columns a token grant sets, always together."""
    return {
        "access_token": grant.access_token,
        "access_token_expires_at": grant.expires_at,
        "refresh_token": grant.refresh_token,
        "refresh_token_expires_at": grant.refresh_token_expires_at,
    }


class Credentials:
    """Hands out a usable access token for a shop, refreshing it when needed."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: Settings,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        owner: str | None = None,
        row_lock: bool | None = None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        # Names this process (this client) in a lease; unique per instance.
        self.owner = owner or uuid.uuid4().hex
        # None: row locks where the database has them (PostgreSQL), the lease elsewhere.
        self.row_lock = row_lock
        self._locks: dict[str, asyncio.Lock] = {}

    async def access_token(self, shop: Shop) -> str:
        """A token for `shop`, refreshed first when it expires within `REFRESH_MARGIN`.

        `shop` is updated in place with the credentials in use."""
        now = self.clock()
        if is_fresh(shop, now):
            assert shop.access_token is not None
            return shop.access_token
        if not shop.refresh_token or shop.pk is None:
            # Nothing to refresh with: a token that has not expired yet is still good.
            expires_at = shop.access_token_expires_at
            if shop.access_token and (expires_at is None or expires_at > now):
                return shop.access_token
            raise ShopifyAuthFailed(f"{shop.domain} has no valid access token")
        lock = self._locks.setdefault(shop.domain, asyncio.Lock())
        async with lock:
            row_lock = self.row_lock
            if row_lock is None:
                row_lock = Shop._meta.db.capabilities.support_for_update
            if row_lock:
                await self._refresh_under_row_lock(shop)
            else:
                await self._refresh_under_lease(shop)
        assert shop.access_token is not None
        return shop.access_token

    async def _refresh(self, shop: Shop) -> oauth.TokenGrant:
        now = self.clock()
        if not shop.refresh_token:
            raise ShopifyAuthFailed(f"{shop.domain} has no refresh token")
        expires_at = shop.refresh_token_expires_at
        if expires_at is not None and expires_at <= now:
            raise ShopifyAuthFailed(f"The refresh token of {shop.domain} expired: reinstall")
        grant = await oauth.refresh_grant(
            self.http, self.settings, shop.domain, shop.refresh_token, now=now
        )
        logger.info("refreshed the access token of %s", shop.domain)
        return grant

    async def _refresh_under_row_lock(self, shop: Shop) -> None:
        async with in_transaction() as conn:
            row = await Shop.select_for_update().using_db(conn).get(pk=shop.pk)
            # Re-read under the lock: another process may have refreshed meanwhile.
            if not is_fresh(row, self.clock()):
                grant = await self._refresh(row)
                await Shop.filter(pk=shop.pk).using_db(conn).update(**grant_fields(grant))
                row = await Shop.get(pk=shop.pk, using_db=conn)
        _copy_credentials(row, shop)

    async def _refresh_under_lease(self, shop: Shop) -> None:
        for _ in range(_MAX_POLLS):
            row = await Shop.get(pk=shop.pk)
            if is_fresh(row, self.clock()):
                _copy_credentials(row, shop)
                return
            if await self._take_lease(shop):
                try:
                    row = await Shop.get(pk=shop.pk)
                    if not is_fresh(row, self.clock()):
                        grant = await self._refresh(row)
                        await Shop.filter(pk=shop.pk, refresh_lease_owner=self.owner).update(
                            **grant_fields(grant)
                        )
                        row = await Shop.get(pk=shop.pk)
                finally:
                    await Shop.filter(pk=shop.pk, refresh_lease_owner=self.owner).update(
                        refresh_lease_owner=None, refresh_lease_until=None
                    )
                _copy_credentials(row, shop)
                return
            await self.sleep(POLL_SECONDS)
        raise ShopifyUnavailable(f"The token refresh of {shop.domain} is taking too long")

    async def _take_lease(self, shop: Shop) -> bool:
        now = self.clock()
        free = Q(refresh_lease_until__isnull=True) | Q(refresh_lease_until__lt=now)
        taken = await Shop.filter(Q(pk=shop.pk) & free).update(
            refresh_lease_owner=self.owner, refresh_lease_until=now + LEASE_DURATION
        )
        return taken == 1
