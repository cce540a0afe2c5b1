"""Two app instances on one database, as two uvicorn workers: the rate limit is shared, the
limit is per shop, and every answer reports it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from shopify_app.sandbox.demo import ALICE_ID
from tests.api.conftest import Api
from tests.api.workers import second_worker

BASE = "/api/external/v2/manage-subscription-link"


@pytest.mark.parametrize("limit", [5, 40, 120])
async def test_two_workers_together_never_admit_more_than_the_limit(api: Api, limit: int) -> None:
    api.shop.mint_rate_limit = limit
    await api.shop.save()
    api.now = api.now.replace(second=5)
    async with second_worker(api) as other:
        clients = [api.client, other.client]

        async def call(i: int) -> httpx.Response:
            return await clients[i % 2].get(f"{BASE}/{ALICE_ID}", headers=api.headers())

        # Twice the limit, interleaved over both workers, half of it concurrently.
        answers = [await call(i) for i in range(limit)]
        answers += await asyncio.gather(*(call(i) for i in range(limit, 2 * limit)))
        admitted = [a for a in answers if a.status_code == 200]
        refused = [a for a in answers if a.status_code != 200]
        assert len(admitted) <= limit
        # Batching may strand fewer than a batch per worker (`Limiter`), never more.
        assert len(admitted) >= limit - 2 * max(1, limit // 20)
        assert {a.status_code for a in refused} == {429}
        for answer in answers:
            assert answer.headers["ratelimit-limit"] == str(limit)
            assert int(answer.headers["ratelimit-reset"]) == 55
            assert 0 <= int(answer.headers["ratelimit-remaining"]) <= limit
        for answer in refused:
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "rate_limited"
            assert answer.headers["retry-after"] == "55"
            assert answer.headers["ratelimit-remaining"] == "0"
        # The next minute opens a fresh window on both workers.
        api.now += timedelta(seconds=55)
        assert (await call(0)).status_code == 200 and (await call(1)).status_code == 200


async def test_the_limit_is_per_shop(api: Api) -> None:
    """Another shop's limit is its own: raising it does not lift this shop's."""
    from shopify_app.keys import api_keys
    from shopify_app.sandbox.demo import OTHER_SHOP
    from tests.support.store import register_shop

    other = await register_shop(api.store, OTHER_SHOP)
    other.mint_rate_limit = 1000
    await other.save()
    _, other_key = await api_keys.create_key(other, "b")
    api.shop.mint_rate_limit = 2
    await api.shop.save()
    api.now = api.now.replace(second=30)
    mine = [await api.get(f"{BASE}/{ALICE_ID}") for _ in range(3)]
    assert [r.status_code for r in mine] == [200, 200, 429]
    theirs = await api.get("/api/external/v2/subscription-contract-details/customers",
                           key=other_key)
    assert theirs.status_code == 200 and theirs.headers["ratelimit-limit"] == "1000"


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        (f"{BASE}/{ALICE_ID}", {}, 200),
        (f"{BASE}/abc", {}, 400),
        (f"{BASE}/999999999", {}, 404),
        (BASE, {"emailId": "nobody@example.com"}, 400),
        ("/api/external/v2/subscription-contract-details/customers", {"size": "0"}, 400),
        ("/api/external/v2/subscription-contract-details/customers", {}, 200),
    ],
)
async def test_rate_limit_headers_on_successes_and_errors(
    api: Api, path: str, params: dict[str, str], status: int
) -> None:
    response = await api.get(path, **params)
    assert response.status_code == status
    assert response.headers["ratelimit-limit"] == "120"
    assert response.headers["ratelimit-remaining"] == "119"
    assert response.headers["ratelimit-reset"] == "60"
