from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from shopify_app.api import rate_limits
from shopify_app.errors import RateLimited
from shopify_app.keys import api_keys
from shopify_app.storage.models import RateLimitWindow
from tests.support.factories import NOW, make_shop


async def key_id() -> int:
    key, _ = await api_keys.create_key(await make_shop(), "k")
    return key.id


@pytest.fixture
def limiter() -> rate_limits.Limiter:
    """Limits up to 39 a minute are taken one admission at a time (batch size 1)."""
    return rate_limits.Limiter()


async def test_counts_down_then_refuses_with_headers(
    database: str, limiter: rate_limits.Limiter
) -> None:
    kid = await key_id()
    quotas = [await limiter.consume(kid, 3, NOW) for _ in range(3)]
    assert [q.remaining for q in quotas] == [2, 1, 0]
    assert quotas[0].headers() == {
        "RateLimit-Limit": "3", "RateLimit-Remaining": "2", "RateLimit-Reset": "50"}
    with pytest.raises(RateLimited) as caught:
        await limiter.consume(kid, 3, NOW)
    assert caught.value.status == 429 and caught.value.code == "rate_limited"
    assert caught.value.headers["Retry-After"] == "50"
    assert caught.value.headers["RateLimit-Remaining"] == "0"


async def test_the_next_minute_starts_afresh_and_old_windows_go(
    database: str, limiter: rate_limits.Limiter
) -> None:
    kid = await key_id()
    for _ in range(2):
        await limiter.consume(kid, 2, NOW)
    later = NOW + timedelta(seconds=50)  # 12:01:00
    assert (await limiter.consume(kid, 2, later)).remaining == 1
    # The previous window is kept (another worker may have reserved this one early), older go.
    assert await RateLimitWindow.filter(api_key_id=kid).count() == 2
    assert (await limiter.consume(kid, 2, later + timedelta(minutes=1))).remaining == 1
    starts = await RateLimitWindow.filter(api_key_id=kid).values_list("window_start", flat=True)
    assert sorted(starts) == [int(later.timestamp()) // 60, int(later.timestamp()) // 60 + 1]


async def test_keys_have_separate_budgets(
    database: str, limiter: rate_limits.Limiter
) -> None:
    first = await key_id()
    second, _ = await api_keys.create_key(await make_shop("b.myshopify.com"), "k")
    await limiter.consume(first, 1, NOW)
    assert (await limiter.consume(second.id, 1, NOW)).remaining == 0


async def test_concurrent_requests_admit_exactly_the_limit(
    database: str, limiter: rate_limits.Limiter
) -> None:
    kid = await key_id()

    async def attempt() -> bool:
        try:
            await limiter.consume(kid, 10, NOW)
        except RateLimited:
            return False
        return True

    results = await asyncio.gather(*(attempt() for _ in range(25)))
    assert results.count(True) == 10
    row = await RateLimitWindow.get(api_key_id=kid)
    assert row.count == 10


@pytest.mark.parametrize(("second", "reset"), [(0, 60), (0.5, 60), (59, 1), (59.9, 1)])
async def test_reset_is_the_rest_of_the_minute(
    database: str, limiter: rate_limits.Limiter, second: float, reset: int
) -> None:
    kid = await key_id()
    moment = NOW.replace(second=0) + timedelta(seconds=second)
    assert (await limiter.consume(kid, 5, moment)).reset_seconds == reset


@pytest.mark.parametrize(("limit", "batch"), [(1, 1), (3, 1), (120, 6), (600, 30), (10**6, 1000)])
def test_batch_sizes(limit: int, batch: int) -> None:
    assert rate_limits.Limiter.batch_size(limit) == batch


async def test_batched_workers_never_exceed_the_limit_together(database: str) -> None:
    kid = await key_id()
    workers = [rate_limits.Limiter() for _ in range(3)]

    async def attempt(worker: rate_limits.Limiter) -> bool:
        try:
            await worker.consume(kid, 120, NOW)
        except RateLimited:
            return False
        return True

    results = await asyncio.gather(*(attempt(workers[i % 3]) for i in range(200)))
    admitted = results.count(True)
    # Never more than the limit; at most (batch - 1) per other worker left stranded.
    assert 120 - 2 * 5 <= admitted <= 120
    assert (await RateLimitWindow.get(api_key_id=kid)).count == 120


async def test_one_batched_worker_admits_exactly_the_limit(database: str) -> None:
    kid = await key_id()
    limiter = rate_limits.Limiter()
    remaining = [(await limiter.consume(kid, 120, NOW)).remaining for _ in range(120)]
    assert remaining == list(range(119, -1, -1))
    with pytest.raises(RateLimited):
        await limiter.consume(kid, 120, NOW)
    assert (await limiter.consume(kid, 120, NOW + timedelta(minutes=1))).remaining == 119
