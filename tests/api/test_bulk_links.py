"""`POST /api/external/v2/manage-subscription-links`: one result per item, in order; bad
bodies refused whole; `Idempotency-Key` replays; the per-minute bulk budget; short links and
per-link single-use."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest

from shopify_app.links import short_links
from shopify_app.links.tokens import verify
from shopify_app.sandbox.demo import (
    ALICE_EMAIL,
    ALICE_ID,
    BOB_EMAIL,
    BOB_ID,
    CAROL_ID,
    DAVE_ID,
    OLGA_ID,
)
from shopify_app.storage.models import IdempotentRequest, LinkStat, ShortLink
from tests.api.conftest import Api
from tests.api.openapi_check import check_answer

PATH = "/api/external/v2/manage-subscription-links"


async def _post(api: Api, body: Any, *, key: str | None = None,
                idempotency_key: str | None = None) -> httpx.Response:
    headers = api.headers()
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await api.client.post(PATH, content=content,
                                 headers={**headers, "Content-Type": "application/json"})


@pytest.fixture
async def document(api: Api) -> dict[str, Any]:
    doc: dict[str, Any] = (await api.client.get("/api/external/v2/openapi.json")).json()
    return doc


def _claims(api: Api, url: str) -> Any:
    token = url.split("token=", 1)[1]
    return verify(api.app.state.app_state.keyring, token, now=api.now)


async def test_one_result_per_item_in_order(api: Api, document: dict[str, Any]) -> None:
    items = [
        {"customerId": ALICE_ID, "source": "campaign", "expiresInMinutes": 60},
        {"emailId": BOB_EMAIL.upper()},
        {"customerId": "abc"},
        {"customerId": f"gid://shopify/Customer/{CAROL_ID}", "destination": "orders"},
        {"customerId": OLGA_ID},  # the other shop's customer
        {"emailId": "nobody@example.com"},
        {"customerId": DAVE_ID, "expiresInMinutes": 1},
        "not an object",
        {"customerId": BOB_ID, "colour": "blue"},
        {},
    ]
    response = await _post(api, {"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    results = body["results"]
    assert [r["index"] for r in results] == list(range(len(items)))
    assert (body["minted"], body["failed"]) == (3, 7)
    ok = {r["index"]: r for r in results if "manageSubscriptionLink" in r}
    assert sorted(ok) == [0, 1, 3]
    assert _claims(api, ok[0]["manageSubscriptionLink"]).customer_id == ALICE_ID
    assert _claims(api, ok[0]["manageSubscriptionLink"]).source == "campaign"
    assert ok[0]["expiresInMinutes"] == 60
    assert _claims(api, ok[1]["manageSubscriptionLink"]).customer_id == BOB_ID
    assert ok[1]["emailId"] == BOB_EMAIL.upper()  # echoed as sent, to match it up
    assert _claims(api, ok[3]["manageSubscriptionLink"]).destination == "orders"
    errors = {r["index"]: r["error"] for r in results if "error" in r}
    assert errors[2]["code"] == "invalid_customer_id"
    assert errors[4]["code"] == "customer_not_found"
    assert errors[5]["code"] == "email_not_found"
    assert (errors[6]["code"], errors[6]["parameter"]) == ("invalid_parameter", "expiresInMinutes")
    assert errors[7]["code"] == "invalid_batch"
    assert (errors[8]["code"], errors[8]["parameter"]) == ("invalid_parameter", "items[8].colour")
    assert errors[9]["code"] == "missing_customer"
    assert response.headers["bulk-ratelimit-remaining"] == str(10_000 - len(items))
    assert response.headers["cache-control"] == "no-store"
    check_answer(document, PATH, "post", response)
    await api.flush_stats()
    stats = await LinkStat.filter(shop_id=api.shop.id).values_list("source", "mints")
    assert sorted(stats) == [("", 2), ("campaign", 1)]  # type: ignore[type-var]


async def test_the_same_customer_twice_gets_two_links(api: Api) -> None:
    response = await _post(api, {"items": [{"customerId": ALICE_ID}, {"emailId": ALICE_EMAIL}]})
    first, second = (r["manageSubscriptionLink"] for r in response.json()["results"])
    assert first != second
    assert _claims(api, first).customer_id == _claims(api, second).customer_id == ALICE_ID


async def test_known_customers_cost_no_admin_api_call(api: Api) -> None:
    await _post(api, {"items": [{"customerId": ALICE_ID}, {"customerId": BOB_ID}]})  # learn them
    before = len(api.shopify.requests)
    response = await _post(api, {"items": [{"customerId": ALICE_ID}] * 200
                                 + [{"emailId": BOB_EMAIL}] * 200})
    assert response.json()["minted"] == 400
    assert len(api.shopify.requests) == before


async def test_a_shopify_outage_fails_its_items_once_not_per_item(api: Api) -> None:
    for _ in range(5):
        api.store.faults.push(None, "http_500")
    unknown = [{"customerId": 990000000000 + i} for i in range(20)]
    response = await _post(api, {"items": [{"customerId": ALICE_ID}, *unknown]})
    body = response.json()
    assert body["results"][0]["customerId"] == ALICE_ID  # known: minted without Shopify
    assert {r["error"]["code"] for r in body["results"][1:]} == {"shopify_unavailable"}
    assert len(api.shopify.requests) == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"not json", 400, "invalid_json"),
        (b"[" * 100_000, 400, "invalid_json"),
        (b'{"items": [' + b"[" * 5000 + b"]" * 5000 + b"]}", 400, "invalid_json"),
        (b"[]", 400, "invalid_batch"),
        (b"{}", 400, "invalid_batch"),
        (b'{"items": {}}', 400, "invalid_batch"),
        (b'{"items": []}', 400, "invalid_batch"),
        (b'{"items": [{"customerId": 1}], "size": 1}', 400, "invalid_batch"),
        (orjson.dumps({"items": [{"customerId": ALICE_ID}] * 1001}), 400, "too_many_items"),
        (b'{"items": ["' + b"x" * (1024 * 1024) + b'"]}', 413, "payload_too_large"),
    ],
    ids=["not-json", "deep-array", "deep-item", "list", "no-items", "items-object", "empty",
         "unknown-field", "1001-items", "oversized"],
)
async def test_bad_bodies_are_refused_whole(
    api: Api, document: dict[str, Any], body: bytes, status: int, code: str
) -> None:
    response = await _post(api, body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    check_answer(document, PATH, "post", response)
    assert await LinkStat.all().count() == 0
    await api.flush_stats()
    assert await LinkStat.all().count() == 0


async def test_a_retry_with_the_same_idempotency_key_gets_the_same_links(
    api: Api, document: dict[str, Any]
) -> None:
    body = {"items": [{"customerId": ALICE_ID, "short": True}, {"customerId": BOB_ID}]}
    first = await _post(api, body, idempotency_key="campaign-42-batch-1")
    again = await _post(api, body, idempotency_key="campaign-42-batch-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    check_answer(document, PATH, "post", again)
    await api.flush_stats()
    assert sum(await LinkStat.all().values_list("mints", flat=True)) == 2  # type: ignore[arg-type]
    assert await ShortLink.all().count() == 1
    # The stored answer holds bearer links: sealed, never in the clear.
    row = await IdempotentRequest.get()
    assert row.sealed_answer is not None
    assert first.json()["results"][0]["manageSubscriptionLink"] not in row.sealed_answer
    assert "campaign-42-batch-1" not in row.key_hash
    # Another body under the same key is a client bug; another key is another request.
    other = await _post(api, {"items": [{"customerId": ALICE_ID}]},
                        idempotency_key="campaign-42-batch-1")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    check_answer(document, PATH, "post", other)
    fresh = await _post(api, body, idempotency_key="campaign-42-batch-2")
    assert fresh.json()["results"][1] != first.json()["results"][1]
    # After 24 hours the key is forgotten.
    api.now += timedelta(hours=24, seconds=1)
    later = await _post(api, body, idempotency_key="campaign-42-batch-1")
    assert "idempotent-replayed" not in later.headers
    assert later.json()["results"][1] != first.json()["results"][1]


async def test_idempotency_keys_belong_to_their_api_key(api: Api) -> None:
    from shopify_app.keys import api_keys

    _, other_key = await api_keys.create_key(api.shop, "other tool")
    body = {"items": [{"customerId": ALICE_ID}]}
    first = await _post(api, body, idempotency_key="same")
    headers = {"X-API-Key": other_key, "Idempotency-Key": "same"}
    second = await api.client.post(PATH, content=orjson.dumps(body), headers=headers)
    assert "idempotent-replayed" not in second.headers
    assert second.json() != first.json()


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "a\tb"])
async def test_unusable_idempotency_keys_are_refused(api: Api, key: str) -> None:
    headers = {**api.headers(), "Idempotency-Key": key}
    response = await api.client.post(PATH, content=b'{"items": [{"customerId": 1}]}',
                                     headers={k: v.encode() for k, v in headers.items()})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert await IdempotentRequest.all().count() == 0


async def test_a_refused_request_leaves_its_idempotency_key_free(api: Api) -> None:
    api.shop.bulk_link_rate_limit = 1
    await api.shop.save()
    api.app.state.app_state.keys.clear()  # the cached key holds the old shop row
    body = {"items": [{"customerId": ALICE_ID}, {"customerId": BOB_ID}]}
    refused = await _post(api, body, idempotency_key="k")
    assert refused.status_code == 429
    assert await IdempotentRequest.all().count() == 0
    api.shop.bulk_link_rate_limit = 10
    await api.shop.save()
    api.app.state.app_state.keys.clear()
    assert (await _post(api, body, idempotency_key="k")).json()["minted"] == 2


async def test_items_count_against_the_bulk_budget_all_or_nothing(
    api: Api, document: dict[str, Any]
) -> None:
    api.shop.bulk_link_rate_limit = 5
    await api.shop.save()
    api.app.state.app_state.keys.clear()
    three = {"items": [{"customerId": ALICE_ID}] * 3}
    assert (await _post(api, three)).headers["bulk-ratelimit-remaining"] == "2"
    refused = await _post(api, three)
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["bulk-ratelimit-limit"] == "5"
    check_answer(document, PATH, "post", refused)
    two = await _post(api, {"items": [{"customerId": ALICE_ID}] * 2})
    assert two.json()["minted"] == 2
    await api.flush_stats()
    assert sum(await LinkStat.all().values_list("mints", flat=True)) == 5  # type: ignore[arg-type]
    api.now += timedelta(minutes=1)
    assert (await _post(api, three)).json()["minted"] == 3


async def test_short_links_and_single_use_per_item(api: Api) -> None:
    response = await _post(api, {"items": [
        {"customerId": ALICE_ID, "short": True, "singleUse": False},
        {"customerId": BOB_ID, "singleUse": True},
        {"customerId": BOB_ID, "short": "yes"},
    ]})
    first, second, third = response.json()["results"]
    code = first["shortLink"].rsplit("/", 1)[1]
    assert first["shortLink"] == f"https://shop.demo.test/tools/recurring/l/{code}"
    token = first["manageSubscriptionLink"].split("token=", 1)[1]
    assert await short_links.resolve(api.shop, code, api.now) == token
    assert _claims(api, first["manageSubscriptionLink"]).single_use is False
    assert "shortLink" not in second
    assert _claims(api, second["manageSubscriptionLink"]).single_use is True
    assert (third["error"]["code"], third["error"]["parameter"]) == (
        "invalid_parameter", "items[2].short")


async def test_a_thousand_items_let_other_requests_run(api: Api) -> None:
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    started = ticks
    response = await _post(api, {"items": [{"customerId": ALICE_ID, "short": True}] * 1000})
    done.set()
    await task
    assert response.json()["minted"] == 1000
    # The loop yields every `bulk.YIELD_EVERY` items at least (and at each query).
    assert ticks - started >= 1000 // 50


async def test_the_key_must_be_valid_and_uninstalled_shops_are_refused(api: Api) -> None:
    response = await api.client.post(PATH, content=b'{"items": [{"customerId": 1}]}',
                                      headers={"X-API-Key": "ssp_nope"})
    assert (response.status_code, response.json()["code"]) == (401, "invalid_api_key")


def _random_json(rng: Any, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    leaves = [None, True, False, 0, -1, 10**30, 1.5, "", "x" * rng.randrange(300),
              "gid://shopify/Customer/7100000000001", "7100000000001", "\u0000\ud7ff",
              "alice@example.com", "fr-CA", "orders"]
    if kind < 6:
        return rng.choice(leaves)
    if kind < 8:
        names = ["customerId", "emailId", "expiresInMinutes", "destination", "source", "locale",
                 "singleUse", "short", "items", "?"]
        return {rng.choice(names): _random_json(rng, depth + 1) for _ in range(rng.randrange(5))}
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(6))]


async def test_random_bodies_get_documented_answers_never_a_500(
    api: Api, document: dict[str, Any]
) -> None:
    import random

    rng = random.Random(20261205)
    api.shop.mint_rate_limit = 1000
    await api.shop.save()
    api.app.state.app_state.keys.clear()  # the cached key holds the old shop row
    for _ in range(150):
        body: Any = {"items": [_random_json(rng) for _ in range(rng.randrange(1, 8))]}
        if rng.random() < 0.2:
            body = _random_json(rng)
        response = await _post(api, body)
        assert response.status_code in (200, 400), response.text
        check_answer(document, PATH, "post", response)
