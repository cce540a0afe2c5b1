"""A key over its limit is answered before routing (`api.refusal_gate`) with the very bytes the
guard sends, until its window ends, and never after a revocation: the cheap path refuses
nothing the normal path would serve, and serves nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopify_app.api import guard
from shopify_app.sandbox.demo import ALICE_ID
from tests.api.conftest import Api
from tests.api.test_revocation import run_in_another_process
from tests.api.workers import second_worker

BASE = f"/api/external/v2/manage-subscription-link/{ALICE_ID}"


class GuardCalls:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = guard.require_api_caller

        async def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await real(*args, **kwargs)

        monkeypatch.setattr(guard, "require_api_caller", counting)
        for module in ("link_routes", "bulk_routes", "customer_routes"):
            target = f"shopify_app.api.{module}.require_api_caller"
            monkeypatch.setattr(target, counting, raising=False)


def _comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.headers.multi_items()), response.content


async def _exhaust(api: Api) -> httpx.Response:
    api.shop.mint_rate_limit = 2
    await api.shop.save()
    api.now = api.now.replace(second=20)
    for _ in range(2):
        assert (await api.get(BASE)).status_code == 200
    refused = await api.get(BASE)  # the guard's own 429: it blocks the key
    assert refused.status_code == 429
    return refused


async def test_a_blocked_key_gets_the_guards_bytes_without_routing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_guard = await _exhaust(api)
    calls = GuardCalls(monkeypatch)
    by_gate = await api.get(BASE)
    assert calls.count == 0  # answered before the route
    assert _comparable(by_gate) == _comparable(by_guard)
    assert by_gate.headers["x-content-type-options"] == "nosniff"
    api.now += timedelta(seconds=10)
    later = await api.get(BASE)
    assert later.headers["retry-after"] == later.headers["ratelimit-reset"] == "30"
    assert "Retry in 30 s." in later.json()["detail"]
    # Other paths of the API and other keys are not affected.
    assert calls.count == 0
    api.now += timedelta(seconds=30)  # the window ended: served again, by the guard
    assert (await api.get(BASE)).status_code == 200 and calls.count == 1


async def test_the_deprecated_query_key_takes_the_normal_path(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _exhaust(api)
    calls = GuardCalls(monkeypatch)
    response = await api.client.get(BASE, params={"api_key": api.key})
    assert response.status_code == 429 and response.headers["deprecation"] == "true"
    assert calls.count == 1


async def test_a_blocked_key_revoked_here_gets_its_401_at_once(api: Api) -> None:
    await _exhaust(api)
    await api.app.state.app_state.keys.revoke(api.key_id, api.now)
    response = await api.get(BASE)
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_a_blocked_key_revoked_in_another_worker_gets_its_401_at_once(api: Api) -> None:
    await _exhaust(api)
    async with second_worker(api) as other:
        await other.app.state.app_state.keys.revoke(api.key_id, api.now)
    response = await api.get(BASE)
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_a_blocked_key_revoked_by_the_command_line_gets_its_401_at_once(
    api: Api, database: str, tmp_path: Path
) -> None:
    await _exhaust(api)
    assert (await api.get(BASE)).status_code == 429  # from the gate
    run_in_another_process(database, tmp_path, "-m", "shopify_app", "api-keys", "revoke",
                           str(api.key_id))
    response = await api.get(BASE)
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_unusual_key_headers_take_the_normal_path(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _exhaust(api)
    calls = GuardCalls(monkeypatch)
    twice = await api.client.get(BASE, headers=[("X-API-Key", api.key), ("X-API-Key", api.key)])
    assert twice.status_code == 401 and calls.count == 1
    padded = await api.get(BASE, key=f"  {api.key} ")
    assert padded.status_code == 429 and calls.count == 1  # the same key: still blocked


def _random_key(n: int) -> str:
    return f"ssp_{n:08x}_" + "q" * 43


async def test_unknown_keys_from_a_throttled_address_are_refused_without_routing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await api.get(BASE)).status_code == 200  # the shop's real key, known here
    answers = [await api.get(BASE, key=_random_key(n))
               for n in range(guard.UNKNOWN_KEY_BURST + 1)]
    by_guard = answers[-1]
    assert by_guard.status_code == 429  # the guard's own refusal, the budget spent
    refused_key = _random_key(0)  # refused by the database before: the key cache's 401
    calls = GuardCalls(monkeypatch)
    by_gate = await api.get(BASE, key=_random_key(999))
    assert calls.count == 0
    assert _comparable(by_gate) == _comparable(by_guard)
    # What this process knows of is the guard's to answer, exactly as before.
    assert (await api.get(BASE, key=refused_key)).status_code == 401
    assert (await api.get(BASE)).status_code == 200  # the known key is still served
    assert calls.count == 2
    api.now += timedelta(seconds=guard.UNKNOWN_KEY_REFILL_SECONDS * 2)  # budget back: 401
    assert (await api.get(BASE, key=_random_key(1000))).status_code == 401
