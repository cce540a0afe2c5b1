"""Spend-once keys on the `SpentToken` primary key: exactly one INSERT wins a race.

Single-use link tokens are spent by their `jti`; change forms spend the nonce of the session
value they carry (prefixed `n:` so the two kinds never collide). No read-then-write: the
database's unique key is the arbiter, on SQLite and on PostgreSQL alike, across workers.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from shopify_app.models import Shop, SpentToken

NONCE_PREFIX = "n:"


async def spend(key: str, *, shop: Shop, customer_id: int, expires_at: datetime) -> bool:
    """True for the one caller that spent `key`, False for every other."""
    try:
        await SpentToken.create(
            jti=key, shop_id=shop.id, customer_id=customer_id, expires_at=expires_at
        )
    except IntegrityError:
        return False
    return True


async def is_spent(key: str) -> bool:
    return await SpentToken.filter(jti=key).exists()


async def purge(now: datetime) -> int:
    """Drop keys whose token or session can no longer be presented anyway."""
    deleted: int = await SpentToken.filter(expires_at__lt=now).delete()
    return deleted
