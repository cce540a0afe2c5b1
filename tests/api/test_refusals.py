"""Refusals cost less than successes: an exhausted window is refused from memory until it
resets, an unknown key is looked up once, and an address sending unknown keys is throttled
before the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shopify_app.api import guard, rate_limits
from shopify_app.errors import AppError, RateLimited
from shopify_app.http.errors import problem
from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.storage.models import ApiKey
from tests.api.conftest import Api
from tests.support.factories import NOW, make_shop

BASE = "/api/external/v2/manage-subscription-link"


async def test_an_exhausted_window_is_refused_from_memory_until_it_resets(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _ = await api_keys.create_key(await make_shop(), "k")
    limiter = rate_limits.Limiter()
    reservations = 0
    real = rate_limits._reserve

    async def counting(*args: Any) -> tuple[int, int]:
        nonlocal reservations
        reservations += 1
        return await real(*args)

    monkeypatch.setattr(rate_limits, "_reserve", counting)
    for _ in range(2):
        await limiter.consume(key.id, 2, NOW)
    with pytest.raises(RateLimited):
        await limiter.consume(key.id, 2, NOW)  # finds the shared window exhausted
    before = reservations
    for seconds in range(0, 50, 5):
        with pytest.raises(RateLimited) as caught:
            await limiter.consume(key.id, 2, NOW + timedelta(seconds=seconds))
        assert caught.value.headers["Retry-After"] == str(50 - seconds)
    assert reservations == before  # no query while the window lasts
    assert (await limiter.consume(key.id, 2, NOW + timedelta(seconds=50))).remaining == 1


class Lookups:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = ApiKey.get_or_none

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(ApiKey, "get_or_none", counting)


async def test_an_unknown_key_is_looked_up_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = Lookups(monkeypatch)
    unknown = "ssp_00000000_" + "x" * 43
    answers = [await api.get(f"{BASE}/{ALICE_ID}", key=unknown) for _ in range(10)]
    assert {a.status_code for a in answers} == {401}
    assert {a.json()["code"] for a in answers} == {"invalid_api_key"}
    assert lookups.count == 1


async def test_an_address_sending_unknown_keys_is_throttled_before_the_database(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = Lookups(monkeypatch)
    budget = guard.UNKNOWN_KEY_BURST
    answers = [await api.get(f"{BASE}/{ALICE_ID}", key=f"ssp_{n:08x}_" + "y" * 43)
               for n in range(budget + 20)]
    assert [a.status_code for a in answers[:budget]] == [401] * budget
    assert {a.status_code for a in answers[budget:]} == {429}
    assert all("retry-after" in a.headers for a in answers[budget:])
    assert lookups.count == budget
    # The key this address really holds still works (it is known here already or costs one
    # lookup once the budget refills); another address is not affected at all.
    api.now += timedelta(seconds=guard.UNKNOWN_KEY_REFILL_SECONDS * 2)
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200


async def test_a_known_key_is_served_while_its_address_is_throttled(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200  # cached
    for n in range(guard.UNKNOWN_KEY_BURST + 5):
        await api.get(f"{BASE}/{ALICE_ID}", key=f"ssp_{n:08x}_" + "z" * 43)
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200


async def test_a_known_key_whose_cache_entry_expired_is_not_throttled(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    api.now += api.app.state.app_state.keys.ttl  # the entry expired: the database decides
    for n in range(guard.UNKNOWN_KEY_BURST + 5):
        await api.get(f"{BASE}/{ALICE_ID}", key=f"ssp_{n:08x}_" + "w" * 43)
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200


@pytest.mark.parametrize("error", [
    RateLimited("Retry in 7 s.", retry_after=7, headers={"RateLimit-Limit": "2"}),
    api_keys.InvalidApiKey("The API key is not valid.",
                           headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'}),
    api_keys.ShopUninstalled("gone é", extra={"parameter": "x"}),
])
async def test_a_refusal_sends_what_the_error_handler_sends(error: AppError) -> None:
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    await guard.send_problem(send, error)  # type: ignore[arg-type]
    reference = problem(error)
    assert sent == [
        {"type": "http.response.start", "status": error.status, "headers": reference.raw_headers},
        {"type": "http.response.body", "body": reference.body},
    ]


async def test_the_api_answers_nosniff_on_success_and_refusal(api: Api) -> None:
    ok = await api.get(f"/api/external/v2/manage-subscription-link/{ALICE_ID}")
    refused = await api.get(f"/api/external/v2/manage-subscription-link/{ALICE_ID}", key="bad")
    missing = await api.client.get("/nowhere")
    for response in (ok, refused, missing):
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors" not in ok.headers.get("content-security-policy", "")


async def test_the_next_minute_is_reserved_before_it_starts(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a minute's turn every request would wait for the new window's first reservation;
    it is taken in the background during the last seconds of the old one instead."""
    from shopify_app.storage.models import RateLimitWindow

    key, _ = await api_keys.create_key(await make_shop(), "k")
    limiter = rate_limits.Limiter()
    end = NOW.replace(second=59)  # NOW is 12:00:10
    await limiter.consume(key.id, 1000, end)
    await limiter.settle()
    minute = int(end.timestamp()) // 60
    rows = {r.window_start: r.count for r in await RateLimitWindow.filter(api_key_id=key.id)}
    assert rows[minute + 1] == limiter.batch_size(1000)  # the next window, reserved
    assert minute in rows  # the current one kept for the other workers
    reservations = 0
    real = rate_limits._reserve

    async def counting(*args: Any) -> tuple[int, int]:
        nonlocal reservations
        reservations += 1
        return await real(*args)

    monkeypatch.setattr(rate_limits, "_reserve", counting)
    quota = await limiter.consume(key.id, 1000, end + timedelta(seconds=1))
    assert reservations == 0  # served from the reserved batch, no waiting
    assert quota.remaining == 1000 - 1
