"""Fixtures around the simulated store (loaded by tests/conftest.py through `pytest_plugins`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from graphql import GraphQLSchema, build_schema

from shopify_app.sandbox import registration
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.schema import SCHEMA_PATH
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.storage.models import Shop

# The `settings` fixture's app credentials (tests/conftest.py).
TEST_CLIENT_ID = "test-client-id"
TEST_CLIENT_SECRET = "test-app-secret"

# <repo>/../shared/shopify/admin-2026-01.graphql: Shopify's published schema, never copied here.
SHOPIFY_SCHEMA_PATH = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "shopify" / "admin-2026-01.graphql"
)


@pytest.fixture(scope="session")
def shopify_schema() -> GraphQLSchema:
    """Shopify's Admin schema 2026-01, or the test is skipped when the file is absent."""
    if not SHOPIFY_SCHEMA_PATH.is_file():
        pytest.skip(f"Shopify's schema is not at {SHOPIFY_SCHEMA_PATH}")
    # Shopify's own file trips graphql-core's schema self-checks (deprecated interface
    # implementations); the types are still exact, so validate operations without them.
    return build_schema(SHOPIFY_SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid=True)


@pytest.fixture(scope="session")
def sandbox_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def store_clock() -> ManualClock:
    """The simulated store's clock: starts at the real time, moves only when told to."""
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def store(store_clock: ManualClock) -> SimulatedStore:
    """A simulated store seeded with the demo shops; the test app's credentials may use its
    token endpoint."""
    simulated = simulated_store(store_clock)
    simulated.register_app(TEST_CLIENT_ID, TEST_CLIENT_SECRET)
    return simulated


@pytest.fixture
def store_transport(store: SimulatedStore) -> httpx.ASGITransport:
    """Hand to `create_app(..., http_transport=...)`: the app's Shopify calls reach `store`."""
    return httpx.ASGITransport(app=build_store_app(store))


async def register_shop(store: SimulatedStore, domain: str) -> Shop:
    """Our installed `Shop` row for one of the store's shops (needs the `database` fixture)."""
    return await registration.register_shop(store, domain)
