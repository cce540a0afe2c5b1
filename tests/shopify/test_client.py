from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopify_app.http import errors
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify import operations
from shopify_app.shopify.client import MAX_WAIT_SECONDS, AdminClient, graphql_url
from shopify_app.shopify.errors import (
    ShopifyAuthFailed,
    ShopifyQueryError,
    ShopifyUnavailable,
    ShopifyUserErrors,
)
from shopify_app.storage.models import Shop
from tests.support.store import register_shop

TOKEN = "shpat_secret_token_value"
SHOP_DATA = {"shop": {"name": "Demo", "myshopifyDomain": "demo-shop.myshopify.com"}}
Answer = Callable[[httpx.Request], httpx.Response]


def ok(data: dict[str, Any] = SHOP_DATA) -> Answer:
    return lambda request: httpx.Response(200, json={"data": data})


def status(code: int, headers: dict[str, str] | None = None) -> Answer:
    return lambda request: httpx.Response(code, headers=headers, json={"errors": "boom"})


def throttled(requested: int, available: int, restore_rate: int) -> Answer:
    body = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": {"cost": {
            "requestedQueryCost": requested, "actualQueryCost": None,
            "throttleStatus": {"maximumAvailable": 2000, "currentlyAvailable": available,
                               "restoreRate": restore_rate},
        }},
    }
    return lambda request: httpx.Response(200, json=body)


def raises(exc: type[httpx.TransportError]) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return answer


class ScriptedShopify:
    """Answers each Admin API request with the next scripted answer (the last one repeats)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request)


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client_for(settings: Settings, shopify: ScriptedShopify,
               sleeps: Sleeps) -> tuple[httpx.AsyncClient, AdminClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(shopify))
    return http, AdminClient(http, settings, sleep=sleeps, jitter=lambda: 0.0)


@pytest.fixture
def shop() -> Shop:
    # Unsaved: a non-expiring token needs no database.
    return Shop(domain="demo-shop.myshopify.com", access_token=TOKEN)


@pytest.fixture
def plain_settings() -> Settings:
    return Settings(api_key="client-id", api_secret="secret",
                    admin_origin="http://store.test/shops/{shop}", shopify_max_attempts=4)


async def test_a_query_posts_the_operation_file_with_the_token(
    plain_settings: Settings, shop: Shop
) -> None:
    shopify, sleeps = ScriptedShopify(ok()), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)
    async with http:
        data = await admin.query(shop, "CustomerById", {"id": "gid://shopify/Customer/1"})
    assert data == SHOP_DATA
    (request,) = shopify.requests
    assert str(request.url) == (
        "http://store.test/shops/demo-shop.myshopify.com/admin/api/2026-01/graphql.json"
    )
    assert str(request.url) == graphql_url(plain_settings, shop.domain)
    assert request.headers["X-Shopify-Access-Token"] == TOKEN
    body = json.loads(request.content)
    assert body == {"query": operations.load("CustomerById"),
                    "variables": {"id": "gid://shopify/Customer/1"}}
    assert sleeps.calls == []


@pytest.mark.parametrize(
    ("fault", "least_wait"),
    [
        (status(429, {"Retry-After": "2.0"}), 2.0),
        (status(429), 0.25),
        (throttled(requested=50, available=10, restore_rate=100), 0.4),
        (throttled(requested=1000, available=0, restore_rate=50), MAX_WAIT_SECONDS),
        (status(500), 0.25),
        (status(502), 0.25),
        (status(503, {"Retry-After": "1"}), 1.0),
        (raises(httpx.ReadTimeout), 0.25),
        (raises(httpx.ConnectTimeout), 0.25),
        (raises(httpx.ConnectError), 0.25),
        (lambda request: httpx.Response(200, content=b"<html>oops"), 0.25),
    ],
    ids=["429-retry-after", "429", "throttled", "throttled-capped", "500", "502",
         "503-retry-after", "read-timeout", "connect-timeout", "connect-error", "not-json"],
)
async def test_transient_faults_are_retried_after_a_pause(
    plain_settings: Settings, shop: Shop, fault: Answer, least_wait: float
) -> None:
    shopify, sleeps = ScriptedShopify(fault, ok()), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)
    async with http:
        assert await admin.query(shop, "ShopInfo") == SHOP_DATA
    assert len(shopify.requests) == 2
    assert sleeps.calls == [pytest.approx(least_wait)]


async def test_persistent_faults_end_in_shopify_unavailable_with_growing_backoff(
    plain_settings: Settings, shop: Shop
) -> None:
    shopify, sleeps = ScriptedShopify(status(500)), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)
    async with http:
        with pytest.raises(ShopifyUnavailable) as caught:
            await admin.query(shop, "ShopInfo")
    assert len(shopify.requests) == plain_settings.shopify_max_attempts == 4
    # jitter 0: half of 0.5 * 2**n
    assert sleeps.calls == [0.25, 0.5, 1.0]
    error = caught.value
    assert error.status == 503 and error.code == "shopify_unavailable"
    assert error.headers["Retry-After"] == "5"


def test_jitter_spreads_the_pause_within_its_window(plain_settings: Settings) -> None:
    http = httpx.AsyncClient()
    low = AdminClient(http, plain_settings, jitter=lambda: 0.0)
    high = AdminClient(http, plain_settings, jitter=lambda: 0.999)
    assert low.backoff(3, None) == 1.0
    assert 1.99 < high.backoff(3, None) < 2.0
    assert low.backoff(10, None) == MAX_WAIT_SECONDS
    assert low.backoff(1, 3.0) == 3.0
    assert low.backoff(1, 3600.0) == MAX_WAIT_SECONDS


async def test_the_last_retry_after_is_passed_on(plain_settings: Settings, shop: Shop) -> None:
    shopify, sleeps = ScriptedShopify(status(429, {"Retry-After": "7"})), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)
    async with http:
        with pytest.raises(ShopifyUnavailable) as caught:
            await admin.query(shop, "ShopInfo")
    assert sleeps.calls == [7.0, 7.0, 7.0]
    assert caught.value.retry_after == 7


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (status(401), ShopifyAuthFailed),
        (status(403), ShopifyAuthFailed),
        (status(400), ShopifyQueryError),
        (status(404), ShopifyQueryError),
        (lambda request: httpx.Response(
            200, json={"errors": [{"message": "Field 'x' doesn't exist on type 'Shop'"}]}),
         ShopifyQueryError),
    ],
    ids=["401", "403", "400", "404", "graphql-error"],
)
async def test_permanent_failures_are_not_retried(
    plain_settings: Settings, shop: Shop, answer: Answer, error: type[Exception]
) -> None:
    shopify, sleeps = ScriptedShopify(answer), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)
    async with http:
        with pytest.raises(error):
            await admin.query(shop, "ShopInfo")
    assert len(shopify.requests) == 1 and sleeps.calls == []


async def test_mutation_user_errors_are_raised(plain_settings: Settings, shop: Shop) -> None:
    user_errors = [{"field": ["subscriptionContractId"], "message": "Contract is cancelled"}]
    shopify = ScriptedShopify(ok({"subscriptionContractPause": {
        "contract": None, "userErrors": user_errors}}))
    http, admin = client_for(plain_settings, shopify, Sleeps())
    async with http:
        with pytest.raises(ShopifyUserErrors) as caught:
            await admin.mutate(shop, "SubscriptionContractPause",
                               {"contractId": "gid://shopify/SubscriptionContract/1"},
                               payload="subscriptionContractPause")
    assert caught.value.user_errors == user_errors
    assert caught.value.status == 422 and "Contract is cancelled" in caught.value.detail


async def test_mutation_payload_is_returned(plain_settings: Settings, shop: Shop) -> None:
    payload = {"contract": {"id": "gid://shopify/SubscriptionContract/1"}, "userErrors": []}
    shopify = ScriptedShopify(ok({"subscriptionContractPause": payload}))
    http, admin = client_for(plain_settings, shopify, Sleeps())
    async with http:
        assert await admin.mutate(shop, "SubscriptionContractPause", {"contractId": "x"},
                                  payload="subscriptionContractPause") == payload


async def test_an_unavailable_shopify_becomes_a_clean_503_never_a_trace(
    plain_settings: Settings, shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    shopify, sleeps = ScriptedShopify(raises(httpx.ReadTimeout)), Sleeps()
    http, admin = client_for(plain_settings, shopify, sleeps)

    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse(await admin.query(shop, "ShopInfo"))

    app = Starlette(routes=[Route("/api/info", endpoint)],
                    exception_handlers=errors.exception_handlers(plain_settings))
    caplog.set_level(logging.DEBUG)
    async with http, httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                       base_url="http://app.test") as browser:
        response = await browser.get("/api/info")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "shopify_unavailable" and "timed out" in problem["detail"]
    assert "Traceback" not in response.text
    assert len(shopify.requests) == 4
    # Retries are logged, the token never is.
    assert "retrying" in caplog.text and TOKEN not in caplog.text
    assert TOKEN not in response.text


# Against the simulated store: its injected faults, its cost bucket.


@pytest.mark.parametrize("kind", ["http_429", "throttled", "http_500", "http_503"])
async def test_store_faults_are_retried_until_the_store_answers(
    database: str, settings: Settings, store: SimulatedStore,
    store_transport: httpx.AsyncBaseTransport, kind: str,
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    store.faults.push(DEMO_SHOP, kind, times=2)
    sleeps = Sleeps()
    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings, sleep=sleeps, jitter=lambda: 0.0)
        data = await admin.query(shop, "ShopInfo")
    assert data["shop"]["myshopifyDomain"] == DEMO_SHOP
    assert len(sleeps.calls) == 2 and len(store.faults) == 0
    if kind != "throttled":
        assert sleeps.calls == [1.0, 1.0]  # the store's Retry-After: 1.0


@pytest.mark.parametrize("kind", ["http_429", "throttled", "http_500", "http_503"])
async def test_store_faults_that_persist_end_in_shopify_unavailable(
    database: str, settings: Settings, store: SimulatedStore,
    store_transport: httpx.AsyncBaseTransport, kind: str,
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    store.faults.push(DEMO_SHOP, kind, times=settings.shopify_max_attempts)
    sleeps = Sleeps()
    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings, sleep=sleeps)
        with pytest.raises(ShopifyUnavailable) as caught:
            await admin.query(shop, "ShopInfo")
    assert caught.value.code == "shopify_unavailable" and caught.value.retry_after >= 1
    assert len(sleeps.calls) == settings.shopify_max_attempts - 1
    assert len(store.faults) == 0


async def test_a_throttled_answer_waits_for_the_bucket_to_refill(
    database: str, settings: Settings, store: SimulatedStore,
    store_transport: httpx.AsyncBaseTransport,
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    store.faults.push(DEMO_SHOP, "throttled")
    seen: list[dict[str, Any]] = []

    async def spy(request: httpx.Request) -> httpx.Response:
        response = await store_transport.handle_async_request(request)
        await response.aread()
        seen.append(json.loads(response.content))
        return response

    sleeps = Sleeps()
    async with httpx.AsyncClient(transport=httpx.MockTransport(spy)) as http:
        admin = AdminClient(http, settings, sleep=sleeps, jitter=lambda: 0.0)
        await admin.query(shop, "ShopInfo")
    cost = seen[0]["extensions"]["cost"]
    status = cost["throttleStatus"]
    expected = max(0.0, cost["requestedQueryCost"] - status["currentlyAvailable"]) / status[
        "restoreRate"]
    assert seen[0]["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert sleeps.calls == [pytest.approx(max(expected, 0.25))]
