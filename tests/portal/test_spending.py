from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopify_app.models import Shop, SpentToken
from shopify_app.portal import spending
from tests.support.databases import backend

EXPIRES = datetime.now(UTC) + timedelta(hours=1)


async def test_exactly_one_of_fifty_racers_wins(bare_shop: Shop) -> None:
    results = await asyncio.gather(
        *(
            spending.spend("jti-race", shop=bare_shop, customer_id=1, expires_at=EXPIRES)
            for _ in range(50)
        )
    )
    assert results.count(True) == 1
    assert await SpentToken.filter(jti="jti-race").count() == 1
    assert await spending.is_spent("jti-race")
    assert not await spending.is_spent("jti-other")


async def test_purge_drops_only_expired_keys(bare_shop: Shop) -> None:
    now = datetime.now(UTC)
    await spending.spend(
        "old", shop=bare_shop, customer_id=1, expires_at=now - timedelta(seconds=1)
    )
    await spending.spend("new", shop=bare_shop, customer_id=1, expires_at=now + timedelta(hours=1))
    assert await spending.purge(now) == 1
    assert await spending.is_spent("new") and not await spending.is_spent("old")


_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime, timedelta
    from shopify_app import db
    from shopify_app.models import Shop
    from shopify_app.portal import spending

    async def main(url: str) -> None:
        await db.init(url)
        shop = await Shop.get(domain="demo-shop.myshopify.com")
        expires = datetime.now(UTC) + timedelta(hours=1)
        wins = await asyncio.gather(*(
            spending.spend("jti-multi", shop=shop, customer_id=1, expires_at=expires)
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
