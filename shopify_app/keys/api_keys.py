"""External API keys: random, prefixed, shown once, stored as a SHA-256 hash, revocable.

A key looks like `ssp_4f9c2a7b_<43 random characters>`: `ssp_4f9c2a7b` is its visible prefix
(lists and logs may show it), the rest is 256 random bits. Only `sha256(key)` is stored, so a
database leak reveals no usable key; the hash is also the lookup index.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from shopify_app.errors import BadRequest, NotFound, Unauthorized
from shopify_app.storage import signals
from shopify_app.storage.models import ApiKey, Shop

logger = logging.getLogger("shopify_app.keys.api_keys")
KEY_PREFIX = "ssp_"
MAX_KEY_LENGTH = 128
MAX_NAME_LENGTH = 100
# Writing last_used_at on every call would add a write to the hot path; a minute is precise
# enough for "is this key still in use?".
LAST_USED_PRECISION = timedelta(minutes=1)


class MissingApiKey(Unauthorized):
    code = "missing_api_key"
    title = "API key required"


class InvalidApiKey(Unauthorized):
    code = "invalid_api_key"
    title = "Invalid API key"


class ShopUninstalled(Unauthorized):
    code = "shop_uninstalled"
    title = "The shop has uninstalled the app"


class InvalidKeyName(BadRequest):
    code = "invalid_key_name"
    title = "Invalid key name"


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"
    title = "API key not found"


def hash_key(raw_key: str) -> str:
    digest = _SHA256.copy()  # a copy skips OpenSSL's digest lookup: a third cheaper
    digest.update(raw_key.encode())
    return digest.hexdigest()


_SHA256 = hashlib.sha256()


def generate_key() -> tuple[str, str]:
    """(visible prefix, full key)."""
    prefix = f"{KEY_PREFIX}{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME_LENGTH or not clean.isprintable():
        raise InvalidKeyName(f"A key name is 1-{MAX_NAME_LENGTH} printable characters.")
    return clean


async def create_key(shop: Shop, name: str) -> tuple[ApiKey, str]:
    """A new key for `shop`; the raw key is returned here once and never again."""
    clean = _check_name(name)
    prefix, raw = generate_key()
    key = await ApiKey.create(shop=shop, name=clean, prefix=prefix, key_hash=hash_key(raw))
    return key, raw


async def authenticate(raw_key: str, now: datetime) -> ApiKey:
    """The live key `raw_key` with its shop loaded, or a 401 with a stable code."""
    if not raw_key:
        raise MissingApiKey("Send your API key in the X-API-Key header.")
    if len(raw_key) > MAX_KEY_LENGTH or not raw_key.startswith(KEY_PREFIX):
        raise InvalidApiKey("The API key is not valid.")
    key = await ApiKey.get_or_none(key_hash=hash_key(raw_key)).select_related("shop")
    if key is None or key.revoked_at is not None:
        raise InvalidApiKey("The API key is not valid.")
    if not key.shop.installed:
        raise ShopUninstalled("The shop of this API key has uninstalled the app.")
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        await ApiKey.filter(id=key.id).update(last_used_at=now)
        key.last_used_at = now
    return key


async def list_keys(shop: Shop) -> list[ApiKey]:
    """Every key of the shop, revoked ones included, oldest first (no secret is stored)."""
    return await ApiKey.filter(shop_id=shop.id).order_by("id")


async def revoke(key_id: int, now: datetime) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first time."""
    async with in_transaction():
        key = await ApiKey.get_or_none(id=key_id)
        if key is None:
            raise ApiKeyNotFound(f"There is no API key {key_id}.")
        if key.revoked_at is None:
            key.revoked_at = now
            await key.save(update_fields=["revoked_at"])
            await signals.bump(signals.AUTH)  # every process's key cache drops it at once
    return key


class KeyCache:
    """Authenticated keys remembered for `ttl`, per process: the hot path skips the key query.

    A revocation or an uninstall, in any process, bumps the `auth` change signal in its
    transaction; the cache is dropped on the next request that sees the signal move (on SQLite
    without a query, see storage/signals). `ttl` bounds only how stale a shop's settings (its
    rate limit, link policy) may be here."""

    def __init__(self, ttl: timedelta = timedelta(seconds=10), max_entries: int = 1024,
                 watch: signals.ChangeWatch | None = None) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[ApiKey, datetime]] = {}
        self.watch = watch or signals.ChangeWatch(signals.AUTH)
        # Bumped by every clear: a lookup that began before a clear must not store its answer.
        self._generation = 0
        # Keys the database refused (unknown or revoked), by hash: a key never becomes valid,
        # so a client retrying a bad key costs no query. Bounded; forgetting costs one query.
        self._refused: dict[str, datetime] = {}
        self.refused_ttl = timedelta(minutes=10)
        self.max_refused = 10_000
        # Hashes of keys the database accepted lately, kept through clears and expiries: the
        # per-address throttle of unknown keys never stands in their way (see api/guard).
        self._accepted: set[str] = set()
        self._refreshing: set[str] = set()
        self._loading: dict[str, asyncio.Future[ApiKey]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def cached(self, raw_key: str, now: datetime) -> ApiKey | None:
        """The key from memory; `InvalidApiKey` for a key already found unknown or revoked;
        None when only the database can tell (`load`)."""
        if not self.watch.quiet() and await self.watch.changed():
            self.clear()
        digest = hash_key(raw_key) if raw_key else ""
        entry = self._entries.get(digest)
        # A request that began just before the entry was stored has an earlier `now`: still
        # served (only a clock more than `ttl` behind the entry asks the database).
        if entry is not None and (age := now - entry[1]) > -self.ttl:
            key = entry[0]
            if age >= self.ttl:
                # Stale settings: served once more while one lookup refreshes them, so the
                # requests of a busy key never all wait for the database together. (A
                # revocation or an uninstall does not wait for this: the signal drops entries.)
                self._refresh_soon(raw_key, digest, now)
            if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
                key.last_used_at = now
                self._spawn(ApiKey.filter(id=key.id).update(last_used_at=now))
            return key
        refused = self._refused.get(digest)
        if refused is not None and refused <= now < refused + self.refused_ttl:
            raise InvalidApiKey("The API key is not valid.")
        return None

    async def load(self, raw_key: str, now: datetime) -> ApiKey:
        """The database's answer, remembered (a refused key too: it never becomes valid). A
        stale entry keeps serving meanwhile (see `cached`); concurrent first requests of one
        key share one lookup."""
        digest = hash_key(raw_key) if raw_key else ""
        pending = self._loading.get(digest)
        if pending is None:
            created = asyncio.ensure_future(self._load(raw_key, digest, now))
            self._loading[digest] = pending = created

            def forget(_: object) -> None:
                if self._loading.get(digest) is created:
                    del self._loading[digest]

            created.add_done_callback(forget)
        return await asyncio.shield(pending)

    async def _load(self, raw_key: str, digest: str, now: datetime) -> ApiKey:
        generation = self._generation
        try:
            key = await authenticate(raw_key, now)
        except InvalidApiKey:
            if raw_key:
                if len(self._refused) >= self.max_refused:
                    self._refused.clear()
                self._refused[digest] = now
            raise
        if len(self._accepted) >= self.max_refused:
            self._accepted.clear()
        self._accepted.add(digest)
        if generation != self._generation:
            return key  # the cache was dropped meanwhile: this answer may predate the change
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[digest] = (key, now)
        return key

    async def authenticate(self, raw_key: str, now: datetime) -> ApiKey:
        return await self.cached(raw_key, now) or await self.load(raw_key, now)

    def _refresh_soon(self, raw_key: str, digest: str, now: datetime) -> None:
        if digest in self._refreshing:
            return
        self._refreshing.add(digest)

        async def refresh() -> None:
            try:
                await self.load(raw_key, now)
            except Exception:  # refused (or a database fault): the next request asks again
                self._entries.pop(digest, None)
            finally:
                self._refreshing.discard(digest)

        self._spawn(refresh())

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("API key bookkeeping failed", exc_info=task.exception())

    async def settle(self) -> None:
        """Wait for the background refreshes and last-used writes (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def generation(self) -> int:
        """Moves whenever the cache is cleared (a revocation, an uninstall, a change signal)."""
        return self._generation

    def holds(self, digest: str) -> bool:
        """Does this process know anything of the key (an entry, a refusal, an acceptance),
        whatever its age? (Then `cached` or the database decides, never the address throttle.)"""
        return digest in self._entries or digest in self._refused or digest in self._accepted

    def accepted_lately(self, raw_key: str) -> bool:
        """Did the database accept this key lately (whatever it says now)?"""
        return bool(raw_key) and hash_key(raw_key) in self._accepted

    async def revoke(self, key_id: int, now: datetime) -> ApiKey:
        key = await revoke(key_id, now)
        self.clear()
        return key

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._loading.clear()  # a lookup begun before the change serves no later request


def describe(key: ApiKey) -> dict[str, object]:
    """A key as the merchant's admin lists it: never the key, only its visible prefix."""
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat().replace("+00:00", "Z") if moment else None

    return {"id": key.id, "name": key.name, "prefix": key.prefix,
            "created_at": iso(key.created_at), "last_used_at": iso(key.last_used_at),
            "revoked_at": iso(key.revoked_at)}


async def revoke_shop_key(shop: Shop, key_id: int, now: datetime, cache: KeyCache) -> ApiKey:
    """Revoke one of `shop`'s keys (another shop's key is 404, as an unknown one), through the
    process's key cache so this process refuses the key at once."""
    if not await ApiKey.filter(id=key_id, shop_id=shop.id).exists():
        raise ApiKeyNotFound(f"There is no API key {key_id}.")
    return await cache.revoke(key_id, now)
