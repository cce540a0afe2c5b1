from __future__ import annotations

import asyncio
from datetime import timedelta

from shopify_app.links import stats
from shopify_app.storage.models import LinkStat
from tests.support.factories import NOW, make_shop


async def test_counts_per_key_source_and_day(database: str) -> None:
    shop = await make_shop()
    for _ in range(3):
        await stats.record_mint(shop, 1, "klaviyo", NOW)
    await stats.record_mint(shop, 1, "gorgias", NOW)
    await stats.record_mint(shop, 2, "klaviyo", NOW)
    await stats.record_mint(shop, 1, "klaviyo", NOW + timedelta(days=1))
    await stats.record_redemption(shop, 1, "klaviyo", NOW)
    rows = {(r.day.isoformat(), r.api_key_id, r.source): (r.mints, r.redemptions)
            for r in await stats.stats_for(shop)}
    assert rows == {
        ("2026-03-01", 1, "klaviyo"): (3, 1),
        ("2026-03-01", 1, "gorgias"): (1, 0),
        ("2026-03-01", 2, "klaviyo"): (1, 0),
        ("2026-03-02", 1, "klaviyo"): (1, 0),
    }


async def test_concurrent_first_mints_of_a_day_lose_no_count(database: str) -> None:
    shop = await make_shop()
    await asyncio.gather(*(stats.record_mint(shop, 1, "x", NOW) for _ in range(20)))
    row = await LinkStat.get(shop_id=shop.id, api_key_id=1, source="x")
    assert row.mints == 20


async def test_mint_counter_writes_a_quiet_mint_at_once_and_buffers_a_burst(database: str) -> None:
    shop = await make_shop()
    counter = stats.MintCounter(interval=timedelta(seconds=1))
    await counter.add(shop, 1, "x", NOW)
    await counter.settle()  # the write started at once, in the background
    assert (await LinkStat.get(shop_id=shop.id)).mints == 1
    for _ in range(5):
        await counter.add(shop, 1, "x", NOW + timedelta(milliseconds=100))
    await counter.settle()
    assert (await LinkStat.get(shop_id=shop.id)).mints == 1 and counter.pending == 5
    await counter.add(shop, 1, "x", NOW + timedelta(seconds=2))  # the interval has passed
    await counter.settle()
    assert (await LinkStat.get(shop_id=shop.id)).mints == 7 and counter.pending == 0
    await counter.add(shop, 1, "x", NOW + timedelta(seconds=2, milliseconds=1))
    await counter.flush()
    assert (await LinkStat.get(shop_id=shop.id)).mints == 8 and counter.pending == 0


async def test_mint_counter_keeps_counts_it_could_not_write(database: str) -> None:
    shop = await make_shop()
    counter = stats.MintCounter()
    ghost = await make_shop("ghost.myshopify.com")
    await ghost.delete()  # writing its row fails (foreign key)
    await counter.add(ghost, 1, "x", NOW)
    await counter.add(shop, 1, "x", NOW + timedelta(seconds=5))
    await counter.settle()
    assert counter.pending == 1
    assert (await LinkStat.get(shop_id=shop.id)).mints == 1
