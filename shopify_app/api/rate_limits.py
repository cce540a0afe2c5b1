"""Per-API-key rate limits shared by every worker through the database.

A fixed one-minute window: one counter row per (key, unix minute). A worker takes admissions
from it in batches (`Limiter`) with a conditional `UPDATE … SET count = count + n WHERE
count <= limit - n`, atomic on SQLite and PostgreSQL, so N workers together never admit more
than `limit` requests a minute. The first take of a minute inserts the row; losing that insert
race falls back to the update.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime
from typing import NamedTuple

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from shopify_app.errors import RateLimited
from shopify_app.storage.models import RateLimitWindow

WINDOW_SECONDS = 60
PREFETCH_SECONDS = 2  # the next minute's first batch is reserved this long before it starts
REQUESTS, BULK_ITEMS = 0, 1  # `RateLimitWindow.bucket`: what a window counts
logger = logging.getLogger("shopify_app.api.rate_limits")


class Quota(NamedTuple):
    """What the `RateLimit-*` headers report after a request was counted. (A named tuple: one
    is built per API request, and a frozen dataclass costs several times more to make.)"""

    limit: int
    remaining: int
    reset_seconds: int  # until the window ends

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """`headers()` as ASGI header pairs (lower-case names)."""
        return [
            (b"ratelimit-limit", b"%d" % self.limit),
            (b"ratelimit-remaining", b"%d" % self.remaining),
            (b"ratelimit-reset", b"%d" % self.reset_seconds),
        ]


def minute_window(now: datetime) -> tuple[int, int]:
    """(unix minute, seconds until it ends, at least 1). In whole seconds: the ceiling of
    (end - t) is end - floor(t), since the end is a whole second."""
    second = math.floor(now.timestamp())
    minute = second // WINDOW_SECONDS
    return minute, (minute + 1) * WINDOW_SECONDS - second


async def _reserve(
    api_key_id: int, minute: int, limit: int, want: int, *, bucket: int = REQUESTS,
    all_or_nothing: bool = False,
) -> tuple[int, int]:
    """Take up to `want` admissions from the shared window: (granted, count after). Unless
    `all_or_nothing`, a whole batch is tried first, then a single admission."""
    rows = RateLimitWindow.filter(api_key_id=api_key_id, bucket=bucket, window_start=minute)
    for size in (want,) if all_or_nothing else dict.fromkeys((want, 1)):
        for _ in range(2):
            if await rows.filter(count__lte=limit - size).update(count=F("count") + size):
                row = await rows.first()
                return size, row.count if row is not None else limit
            if await rows.exists():
                break
            try:
                await RateLimitWindow.create(api_key_id=api_key_id, bucket=bucket,
                                             window_start=minute, count=size)
            except IntegrityError:
                continue
            # Windows before the previous one go (the previous may still be read: a worker
            # reserves the next minute a little before it starts).
            await RateLimitWindow.filter(api_key_id=api_key_id, bucket=bucket,
                                         window_start__lt=minute - 1).delete()
            return size, size
    return 0, limit


def refusal(limit: int, reset: int) -> RateLimited:
    """The 429 of a key over its limit, `reset` seconds before its window ends."""
    return RateLimited(
        f"This API key may make {limit} requests a minute. Retry in {reset} s.",
        retry_after=reset,
        headers=Quota(limit, 0, reset).headers(),
    )


class Blocked:
    """Digests of keys this process found over their limit, for `api.refusal_gate`:
    digest -> (minute, limit, the key cache's generation when recorded)."""

    LIMIT = 10_000  # entries; past it they are dropped (the normal path still refuses them)

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, int, int]] = {}

    def __bool__(self) -> bool:
        return bool(self._entries)

    def block(self, digest: str, now: datetime, limit: int, generation: int) -> None:
        if len(self._entries) >= self.LIMIT:
            self._entries.clear()
        self._entries[digest] = (minute_window(now)[0], limit, generation)

    def refusal(self, digest: str, now: datetime, generation: int) -> tuple[int, int] | None:
        """(limit, seconds to reset) while the key's window lasts, unless the key cache's
        generation moved since (a revocation or an uninstall); else None, entry dropped."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        minute, limit, recorded = entry
        current, reset = minute_window(now)
        if current != minute or recorded != generation:
            del self._entries[digest]
            return None
        return limit, reset


class _Lease:
    """This process's admissions for one key in one window."""

    __slots__ = ("left", "minute", "shared")

    def __init__(self, minute: int, left: int, shared: int) -> None:
        self.minute = minute  # the unix minute the admissions belong to
        self.left = left  # admissions still unused here
        self.shared = shared  # the window row's count after our last take


class Limiter:
    """`consume` with admissions taken from the shared window in batches, per process.

    One worker writes the window row once per batch instead of once per request, and takes the
    next batch in the background while a whole batch is still unused, so requests rarely wait
    for the database. The limit is never exceeded across workers; near it, a request may be
    refused while another worker still holds a few unused admissions (fewer than a batch)."""

    def __init__(self) -> None:
        self._leases: dict[int, _Lease] = {}
        # One reservation at a time: 64 requests finding the lease empty together must not
        # all go to the database.
        self._lock = asyncio.Lock()
        self._refills: dict[int, asyncio.Task[None]] = {}
        # key id -> the unix minute whose shared window this process found exhausted: until
        # it ends nothing can be reserved, so refusals need neither the lock nor a query.
        self._exhausted: dict[int, int] = {}
        # key id -> a batch already reserved in the next minute's window (see `_prefetch`).
        self._next: dict[int, _Lease] = {}
        # Digests of keys found over their limit, answered before routing (`api.refusal_gate`).
        self.blocked = Blocked()

    @staticmethod
    def batch_size(limit: int) -> int:
        return max(1, min(1000, limit // 20))

    def _lease(self, api_key_id: int, minute: int) -> _Lease | None:
        lease = self._leases.get(api_key_id)
        if lease is not None and lease.minute == minute:
            return lease
        ahead = self._next.get(api_key_id)
        if ahead is not None and ahead.minute == minute:  # the minute turned: use its batch
            del self._next[api_key_id]
            self._leases[api_key_id] = ahead
            return ahead
        return None

    def _prefetch(self, api_key_id: int, minute: int, limit: int) -> None:
        """Reserve a batch of the next minute in the background: at the turn of the minute
        every request would otherwise wait for the new window's first reservation (a stall
        measured under wrk when the database was busy)."""
        ahead = self._next.get(api_key_id)
        key = -api_key_id - 1  # its own slot among the refills
        if (ahead is not None and ahead.minute == minute) or key in self._refills:
            return

        async def reserve() -> None:
            granted, shared = await _reserve(api_key_id, minute, limit, self.batch_size(limit))
            if granted:
                self._next[api_key_id] = _Lease(minute, granted, shared)

        task = asyncio.ensure_future(reserve())
        self._refills[key] = task
        task.add_done_callback(lambda done: self._refill_done(key, done))

    async def settle(self) -> None:
        """Wait for the background reservations (tests, shutdown)."""
        while self._refills:
            await asyncio.gather(*self._refills.values(), return_exceptions=True)

    async def _take(self, api_key_id: int, minute: int, limit: int) -> None:
        """Add a batch to the lease (under the lock; a no-op if the window is exhausted)."""
        async with self._lock:
            lease = self._lease(api_key_id, minute)
            if lease is not None and lease.left >= self.batch_size(limit):
                return  # someone refilled while we waited
            granted, new_shared = await _reserve(api_key_id, minute, limit, self.batch_size(limit))
            if granted:
                # Re-read: requests consumed from the lease while the reservation ran.
                lease = self._lease(api_key_id, minute)
                if lease is None:
                    self._leases[api_key_id] = _Lease(minute, granted, new_shared)
                else:
                    lease.left += granted
                    lease.shared = new_shared

    def _refill_soon(self, api_key_id: int, minute: int, limit: int) -> None:
        if api_key_id in self._refills:
            return
        task = asyncio.ensure_future(self._take(api_key_id, minute, limit))
        self._refills[api_key_id] = task
        task.add_done_callback(lambda done: self._refill_done(api_key_id, done))

    def _refill_done(self, api_key_id: int, task: asyncio.Task[None]) -> None:
        self._refills.pop(api_key_id, None)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("rate limit refill failed", exc_info=task.exception())

    async def consume(self, api_key_id: int, limit: int, now: datetime) -> Quota:
        limit = max(1, limit)
        minute, reset = minute_window(now)
        if self._exhausted.get(api_key_id) == minute:
            raise refusal(limit, reset)
        lease = self._lease(api_key_id, minute)
        if lease is None or lease.left <= 0:
            await self._take(api_key_id, minute, limit)
            lease = self._lease(api_key_id, minute)
            if lease is None or lease.left <= 0:
                self._leases.pop(api_key_id, None)
                self._exhausted[api_key_id] = minute
                raise refusal(limit, reset)
        lease.left -= 1
        left, shared = lease.left, lease.shared
        batch = self.batch_size(limit)
        # The next batch is taken while a whole one is still left: a reservation queued behind
        # a slow write (a checkpoint) must not leave requests waiting with an empty lease.
        if batch > 1 and left < batch and shared < limit:
            self._refill_soon(api_key_id, minute, limit)
        if batch > 1 and reset <= PREFETCH_SECONDS:
            self._prefetch(api_key_id, minute + 1, limit)
        return Quota(limit, max(0, limit - shared + left), reset)


async def consume_items(api_key_id: int, limit: int, items: int, now: datetime) -> Quota:
    """Count a bulk request's `items` against the key's per-minute item budget, all or
    nothing: a batch that does not fit mints nothing and is refused with `Retry-After`."""
    limit = max(1, limit)
    minute, reset = minute_window(now)
    granted, count = (0, limit) if items > limit else await _reserve(
        api_key_id, minute, limit, items, bucket=BULK_ITEMS, all_or_nothing=True
    )
    if not granted:
        raise RateLimited(
            f"This API key may mint {limit} links a minute in bulk; this batch of {items} "
            f"does not fit in what is left. Retry in {reset} s or send a smaller batch.",
            retry_after=reset,
            headers={"Bulk-RateLimit-Limit": str(limit), "Bulk-RateLimit-Reset": str(reset)},
        )
    return Quota(limit, max(0, limit - count), reset)
