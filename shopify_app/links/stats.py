"""Counters of link mints and redemptions per shop, API key, source and day.

One row per (shop, key, source, day), bumped with an atomic `UPDATE … SET n = n + 1`; the first
event of a day inserts the row, and a concurrent worker that loses that insert race (unique key)
falls back to the update. Works the same on SQLite and PostgreSQL, with no row per event.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from shopify_app.storage.models import LinkStat, Shop

logger = logging.getLogger("shopify_app.links.stats")


async def _bump(
    shop_id: int, api_key_id: int, source: str, day: date, counter: str, by: int = 1
) -> None:
    rows = LinkStat.filter(shop_id=shop_id, api_key_id=api_key_id, source=source, day=day)
    for _ in range(3):
        if await rows.update(**{counter: F(counter) + by}):
            return
        try:
            values: dict[str, Any] = {"api_key_id": api_key_id, "source": source, counter: by}
            await LinkStat.create(shop_id=shop_id, day=day, **values)
            return
        except IntegrityError:
            continue  # another worker inserted the row first: update it instead
    raise RuntimeError("link statistics row could neither be updated nor created")


async def record_mint(shop: Shop, api_key_id: int, source: str, now: datetime) -> None:
    """Count one minted link."""
    await _bump(shop.id, api_key_id, source, now.date(), "mints")


async def record_redemption(shop: Shop, api_key_id: int, source: str, now: datetime) -> None:
    """Count one link turned into a portal visit (called by the portal)."""
    await _bump(shop.id, api_key_id, source, now.date(), "redemptions")


@dataclass(frozen=True)
class StatRow:
    day: date
    api_key_id: int
    source: str
    mints: int
    redemptions: int


async def stats_for(shop: Shop, *, since: date | None = None) -> list[StatRow]:
    """The shop's counters, newest day first (for the merchant's view and support)."""
    query = LinkStat.filter(shop_id=shop.id)
    if since is not None:
        query = query.filter(day__gte=since)
    return [
        StatRow(row.day, row.api_key_id, row.source, row.mints, row.redemptions)
        for row in await query.order_by("-day", "api_key_id", "source")
    ]


StatKey = tuple[int, int, str, date]


class MintCounter:
    """`record_mint` for the hot path, off it: a mint adds to an in-memory sum and returns.
    The sums are written (one `+ n` per row) by a background task: at once when the last write
    is older than `interval` (a quiet shop), else by a timer, so a burst costs a few writes a
    second and no request waits for one. At most `interval` of counts is at risk if the process
    dies; the app's shutdown flushes; a failed write keeps its counts for the next one."""

    def __init__(self, interval: timedelta = timedelta(milliseconds=250)) -> None:
        self.interval = interval
        self._pending: dict[StatKey, int] = {}
        self._last_write: datetime | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return sum(self._pending.values())

    async def add(self, shop: Shop, api_key_id: int, source: str, now: datetime) -> None:
        key = (shop.id, api_key_id, source, now.date())
        self._pending[key] = self._pending.get(key, 0) + 1
        if self._last_write is None or abs(now - self._last_write) >= self.interval:
            self._last_write = now
            self._spawn()
        elif self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.interval.total_seconds(), self._spawn)

    def _spawn(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        task = asyncio.ensure_future(self._write())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for the writes already started (not for the buffered counts)."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def flush(self, now: datetime | None = None) -> None:
        """Write every pending count now (shutdown, tests)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        await self.settle()
        self._last_write = now or datetime.now(UTC)
        await self._write()

    async def _write(self) -> None:
        pending, self._pending = self._pending, {}
        for (shop_id, api_key_id, source, day), count in pending.items():
            try:
                await _bump(shop_id, api_key_id, source, day, "mints", count)
            except Exception:
                logger.warning("link statistics not written yet; kept for the next write",
                               exc_info=True)
                key = (shop_id, api_key_id, source, day)
                self._pending[key] = self._pending.get(key, 0) + count
