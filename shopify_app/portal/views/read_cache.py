"""A short-lived, per-customer cache of what the portal read from the Admin API.

Repeat views (Back, Reload, a second tab, the overview after a subscription) cost Shopify
nothing for a minute, yet never show a state older than the customer's last change:
- the customer's own change forgets their entries at once in this process (`forget`), and
  is on record (`PortalEvent`) for the other workers;
- a contract webhook moves the mirror's `updated_at` for that customer;
so an entry read before the latest of those two moments is stale (`last_change`), whatever
its age. The time limit covers what no webhook told us (Shopify retries, or changes made
without one).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shopify_app.storage.models import PortalEvent, SubscriptionContract

TTL = timedelta(seconds=60)
LIMIT = 5000  # entries per process: a bounded memory, the oldest dropped first

Key = tuple[int, int, str, str]  # shop id, customer id, what, which


@dataclass(frozen=True)
class _Entry:
    read_at: datetime  # when the read was sent: changes after it are not in it
    value: Any


class ReadCache:
    def __init__(self, ttl: timedelta = TTL, limit: int = LIMIT) -> None:
        self.ttl = ttl
        self.limit = limit
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()

    def get(self, key: Key, now: datetime, changed_at: datetime | None) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        fresh = now - entry.read_at < self.ttl and now >= entry.read_at
        if not fresh or (changed_at is not None and changed_at >= entry.read_at):
            del self._entries[key]
            return None
        return entry.value

    def put(self, key: Key, value: Any, read_at: datetime) -> None:
        self._entries[key] = _Entry(read_at, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def forget(self, shop_id: int, customer_id: int) -> None:
        """Everything read for this customer: their own change makes it old."""
        for key in [k for k in self._entries if k[0] == shop_id and k[1] == customer_id]:
            del self._entries[key]


def app_read_cache(app_state: Any) -> ReadCache:
    """This process's portal read cache (Starlette's `app.state`), made at first use: one per
    app instance, shared by the proxy portal and the customer account's backend."""
    cache: ReadCache | None = getattr(app_state, "portal_read_cache", None)
    if cache is None:
        cache = ReadCache()
        app_state.portal_read_cache = cache
    return cache


async def last_change(shop_id: int, customer_id: int) -> datetime | None:
    """The latest moment this customer's subscriptions are known to have changed: a contract
    webhook (the mirror's `updated_at`) or the customer's own change (`PortalEvent`)."""
    webhook = (
        await SubscriptionContract.filter(
            shop_id=shop_id, customer_id=customer_id, updated_at__isnull=False
        )
        .order_by("-updated_at")
        .limit(1)
        .values_list("updated_at", flat=True)
    )
    own = (
        await PortalEvent.filter(shop_id=shop_id, customer_id=customer_id)
        .order_by("-created_at")
        .limit(1)
        .values_list("created_at", flat=True)
    )
    found: list[object] = [*webhook, *own]
    moments = [m for m in found if isinstance(m, datetime)]
    return max(moments, default=None)
