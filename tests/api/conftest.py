"""An app wired to the simulated store, an installed demo shop with a key, and a settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from shopify_app.app import create_app
from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.support.store import register_shop


class CountingTransport(httpx.AsyncBaseTransport):
    """The store's transport, counting what the app sends to Shopify."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@dataclass
class Api:
    app: Starlette
    client: httpx.AsyncClient
    shop: Shop
    key: str
    key_id: int
    store: SimulatedStore
    shopify: CountingTransport
    now: datetime = field(default_factory=lambda: datetime(2026, 5, 4, 10, 0, 0, tzinfo=UTC))

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"X-API-Key": key if key is not None else self.key}

    async def get(self, path: str, *, key: str | None = None, **params: str) -> httpx.Response:
        return await self.client.get(path, params=params or None, headers=self.headers(key))

    async def flush_stats(self) -> None:
        await self.app.state.app_state.mints.flush(self.now)


def with_lifespan_state(app: ASGIApp, state: Mapping[str, Any]) -> ASGIApp:
    """`app` as uvicorn serves it: each request's scope carries a copy of the lifespan state
    (what `app_state`, the guard and the refusal gate read first)."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    return serve


@pytest.fixture
async def api(
    database: str, settings: Settings, store: SimulatedStore, store_transport: httpx.ASGITransport
) -> AsyncIterator[Api]:
    # One attempt: a failing Shopify answers at once, no retry sleeps in tests.
    shopify = CountingTransport(store_transport)
    app = create_app(
        settings.with_changes(shopify_max_attempts=1),
        manage_database=False,
        http_transport=shopify,
        clock=lambda: state.now,
    )
    shop = await register_shop(store, DEMO_SHOP)
    key, raw = await api_keys.create_key(shop, "tests")
    async with app.router.lifespan_context(app) as lifespan_state:
        transport = httpx.ASGITransport(app=with_lifespan_state(app, lifespan_state or {}))
        async with httpx.AsyncClient(transport=transport, base_url="https://app.example.test") as c:
            state = Api(app, c, shop, raw, key.id, store, shopify)
            yield state
