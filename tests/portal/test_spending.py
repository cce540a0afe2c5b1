from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopify_app.links.tokens import LEEWAY
from shopify_app.portal.entry import spending
from shopify_app.storage.models import Shop, SpentToken
from tests.support.databases import backend

NOW = datetime.now(UTC)
EXPIRES = NOW + timedelta(hours=1)


async def test_exactly_one_of_fifty_racers_wins(bare_shop: Shop) -> None:
    results = await asyncio.gather(
        *(
            spending.spend(
                "jti-race", shop=bare_shop, customer_id=1, expires_at=EXPIRES, now=NOW
            )
            for _ in range(50)
        )
    )
    assert results.count(True) == 1
    assert await SpentToken.filter(jti="jti-race").count() == 1
    assert await spending.is_spent("jti-race")
    assert not await spending.is_spent("jti-other")


async def test_purge_drops_only_expired_keys(bare_shop: Shop) -> None:
    now = datetime.now(UTC)
    kept = spending.KEEP_AFTER_EXPIRY
    await _spend(bare_shop, "old", now - kept - timedelta(seconds=1), now)
    await _spend(bare_shop, "new", now + timedelta(hours=1), now)
    assert await spending.purge(now) == 1
    assert await spending.is_spent("new") and not await spending.is_spent("old")


async def test_keys_within_the_expiry_leeway_are_kept(bare_shop: Shop) -> None:
    """A token is still accepted `LEEWAY` after its expiry: purging its key then would let a
    single-use link be redeemed twice."""
    now = datetime.now(UTC)
    await _spend(bare_shop, "just-expired", now - timedelta(seconds=10), now)
    assert await spending.purge(now) == 0
    assert not await _spend(bare_shop, "just-expired", now - timedelta(seconds=10), now)
    assert spending.KEEP_AFTER_EXPIRY > LEEWAY


NEVER = spending.PurgePolicy(chance=0.0)


async def _spend(
    shop: Shop, key: str, expires_at: datetime, now: datetime, policy: spending.PurgePolicy = NEVER
) -> bool:
    return await spending.spend(
        key, shop=shop, customer_id=1, expires_at=expires_at, now=now, purge_policy=policy
    )


@pytest.mark.parametrize(
    ("rolls", "batch", "left_expired"),
    [
        ([0.5], 10, 5),  # the dice say no: nothing purged
        ([0.0], 10, 0),  # yes: every expired key goes
        ([0.0], 2, 3),  # yes, but bounded: at most `batch` rows per spend
        ([0.0, 0.0], 2, 1),  # two lucky spends, two batches
    ],
)
async def test_some_spends_purge_a_bounded_batch_of_expired_keys(
    bare_shop: Shop, rolls: list[float], batch: int, left_expired: int
) -> None:
    now = datetime.now(UTC)
    for i in range(5):
        expired = now - spending.KEEP_AFTER_EXPIRY - timedelta(minutes=i + 1)
        await _spend(bare_shop, f"old-{i}", expired, now)
    dice = iter(rolls)
    policy = spending.PurgePolicy(chance=0.1, batch=batch, roll=lambda: next(dice))
    for i in range(len(rolls)):
        assert await _spend(bare_shop, f"live-{i}", now + timedelta(hours=1), now, policy)
    assert await SpentToken.filter(expires_at__lt=now).count() == left_expired
    assert await SpentToken.filter(expires_at__gt=now).count() == len(rolls)


def test_the_default_policy_purges_on_a_small_fraction_of_spends() -> None:
    assert 0 < spending.DEFAULT_PURGE.chance <= 0.05 and spending.DEFAULT_PURGE.batch > 0


_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime, timedelta
    from shopify_app.storage import db
    from shopify_app.storage.models import Shop
    from shopify_app.portal.entry import spending

    async def main(url: str) -> None:
        await db.init(url)
        shop = await Shop.get(domain="demo-shop.myshopify.com")
        expires = datetime.now(UTC) + timedelta(hours=1)
        wins = await asyncio.gather(*(
            spending.spend(
                "jti-multi", shop=shop, customer_id=1, expires_at=expires, now=datetime.now(UTC)
            )
            for _ in range(10)
        ))
        print(sum(wins))
        await db.close()

    asyncio.run(main(sys.argv[1]))
    """
)


@pytest.mark.postgres
@pytest.mark.skipif(backend() != "postgres", reason="several worker processes need PostgreSQL")
async def test_exactly_one_winner_across_worker_processes(bare_shop: Shop, database: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _WORKER, database, stdout=subprocess.PIPE, env=env, cwd=repo
        )
        for _ in range(5)
    ]
    outputs = [await p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(int(out.decode().strip()) for out, _ in outputs) == 1
    assert await SpentToken.filter(jti="jti-multi").count() == 1
