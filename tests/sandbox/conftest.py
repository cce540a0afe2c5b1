from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from shopify_app.sandbox import demo
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.shopify import operations


class Admin:
    """Calls the simulated store the way the app does: operations by name, over HTTP."""

    def __init__(self, client: httpx.AsyncClient, shop: str, token: str) -> None:
        self.client = client
        self.shop = shop
        self.token = token

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.client.post(
            f"/shops/{self.shop}/admin/api/2026-01/graphql.json",
            json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": self.token},
        )

    async def run(self, operation: str, **variables: Any) -> dict[str, Any]:
        response = await self.post(operations.load(operation), variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def mutate(self, operation: str, **variables: Any) -> dict[str, Any]:
        data = await self.run(operation, **variables)
        (payload,) = data.values()
        result: dict[str, Any] = payload
        return result


NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def store_clock() -> ManualClock:
    """The store tests pin time (demo dates count from it)."""
    return ManualClock(NOW)


@pytest.fixture
async def store_client(store: SimulatedStore) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_store_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as client:
        yield client


@pytest.fixture
def admin(store_client: httpx.AsyncClient) -> Admin:
    return Admin(store_client, demo.DEMO_SHOP, demo.DEMO_ACCESS_TOKEN)


@pytest.fixture
def other_admin(store_client: httpx.AsyncClient) -> Admin:
    return Admin(store_client, demo.OTHER_SHOP, demo.OTHER_ACCESS_TOKEN)
