"""Spend-once keys on the `SpentToken` primary key: exactly one INSERT wins a race.

Single-use link tokens are spent by their `jti`; change forms spend the nonce of the session
value they carry (prefixed `n:` so the two kinds never collide). No read-then-write: the
database's unique key is the arbiter, on SQLite and on PostgreSQL alike, across workers.

A key is worth keeping only until its token or session expires. Rather than a scheduled job,
a small fraction of spends also deletes a bounded batch of expired keys: the table stays near
the number of live links and sessions, and no single request pays for a big clean-up.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from shopify_app.links.tokens import LEEWAY
from shopify_app.storage.models import Shop, SpentToken

NONCE_PREFIX = "n:"
# Tokens and sessions are still accepted `LEEWAY` after they expire, and workers' clocks
# differ: a key deleted any sooner could be spent a second time.
KEEP_AFTER_EXPIRY = LEEWAY + timedelta(minutes=5)


@dataclass(frozen=True)
class PurgePolicy:
    """How often a spend also purges (`chance` per spend) and how many rows at most."""

    chance: float = 1 / 50
    batch: int = 200
    roll: Callable[[], float] = field(default=random.random)  # injected by tests


DEFAULT_PURGE = PurgePolicy()


async def spend(
    key: str,
    *,
    shop: Shop,
    customer_id: int,
    expires_at: datetime,
    now: datetime,
    purge_policy: PurgePolicy = DEFAULT_PURGE,
) -> bool:
    """True for the one caller that spent `key`, False for every other."""
    try:
        await SpentToken.create(
            jti=key, shop_id=shop.id, customer_id=customer_id, expires_at=expires_at
        )
    except IntegrityError:
        return False
    if purge_policy.roll() < purge_policy.chance:
        await purge(now, limit=purge_policy.batch)
    return True


async def is_spent(key: str) -> bool:
    return await SpentToken.filter(jti=key).exists()


async def purge(now: datetime, *, limit: int | None = None) -> int:
    """Drop keys whose token or session can no longer be presented anyway (at most `limit`)."""
    cutoff = now - KEEP_AFTER_EXPIRY
    expired = SpentToken.filter(expires_at__lt=cutoff)
    if limit is None:
        deleted: int = await expired.delete()
        return deleted
    # Portable bounded delete: pick the keys, then delete those still expired.
    keys = await expired.limit(limit).values_list("jti", flat=True)
    if not keys:
        return 0
    deleted = await SpentToken.filter(jti__in=list(keys), expires_at__lt=cutoff).delete()
    return deleted
