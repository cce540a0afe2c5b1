from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from shopify_app.app import create_app
from shopify_app.links.tokens import Keyring, issue, keyring_from_settings
from shopify_app.sandbox.demo import DEMO_ACCESS_TOKEN, DEMO_PRIMARY_DOMAIN, DEMO_SHOP
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.portal.proxy_client import ProxyClient
from tests.support.store import register_shop


@pytest.fixture
def keyring(settings: Settings) -> Keyring:
    return keyring_from_settings(settings)


@pytest.fixture
async def bare_shop(database: str) -> Shop:
    """An installed shop row, for tests that never reach the Admin API."""
    return await Shop.create(
        domain=DEMO_SHOP,
        primary_domain=DEMO_PRIMARY_DOMAIN,
        name="Demo",
        installed_at=datetime.now(UTC),
        access_token=DEMO_ACCESS_TOKEN,
    )


@pytest.fixture
async def bare_http(settings: Settings, database: str) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings, manage_database=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://app.example.test"
        ) as http:
            yield http


def make_token(
    keyring: Keyring,
    customer_id: int,
    *,
    shop: str = DEMO_SHOP,
    now: datetime | None = None,
    ttl: timedelta = timedelta(hours=2),
    **claims: object,
) -> str:
    return issue(
        keyring,
        shop=shop,
        customer_id=customer_id,
        now=now or datetime.now(UTC),
        ttl=ttl,
        **claims,  # type: ignore[arg-type]
    ).token


@pytest.fixture
def visitor(bare_http: httpx.AsyncClient) -> ProxyClient:
    return ProxyClient(bare_http, DEMO_SHOP)


class CountingTransport(httpx.AsyncBaseTransport):
    """Passes every request to the simulated store and notes the GraphQL operation names: how
    the tests count Admin API requests per page view (the store itself is untouched)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.operations: list[str] = []
        self.before: Callable[[str], None] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        name = re.search(r"(?:query|mutation)\s+(\w+)", body.get("query", ""))
        operation = name.group(1) if name else ""
        self.operations.append(operation)
        if self.before is not None:
            self.before(operation)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def admin_calls(store_transport: httpx.AsyncBaseTransport) -> CountingTransport:
    return CountingTransport(store_transport)


@pytest.fixture
def portal_settings(settings: Settings) -> Settings:
    # One attempt: a fault test sees the failure at once instead of a retried success.
    return settings.with_changes(shopify_max_attempts=1)


@pytest.fixture
async def shop(store: Any, database: str) -> Shop:
    return await register_shop(store, DEMO_SHOP)


@pytest.fixture
async def http(
    portal_settings: Settings, admin_calls: CountingTransport, database: str
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(portal_settings, manage_database=False, http_transport=admin_calls)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
        async with httpx.AsyncClient(
            transport=transport, base_url="https://app.example.test"
        ) as client:
            yield client


@pytest.fixture
def alice(http: httpx.AsyncClient, shop: Shop) -> ProxyClient:
    return ProxyClient(http, DEMO_SHOP, headers={"user-agent": "pytest-browser"})


async def enter(client: ProxyClient, keyring: Keyring, customer_id: int, **claims: object) -> str:
    """Redeem a fresh link like a browser (GET, then the POST it continues with); the page."""
    token = make_token(keyring, customer_id, **claims)
    assert (await client.get(token=token)).status_code == 200
    response = await client.post("", {"token": token})
    assert response.status_code == 200, response.text
    return response.text
