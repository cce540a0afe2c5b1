"""An app wired to the simulated store, the installed demo shop, and session tokens minted here
the way App Bridge's are (HS256 with the test app secret)."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning
from starlette.applications import Starlette

from shopify_app.app import create_app
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.conftest import TEST_API_KEY, TEST_SECRET
from tests.support.store import register_shop


def session_token(
    now: datetime, *, shop: str = DEMO_SHOP, secret: str = TEST_SECRET, **changes: Any
) -> str:
    """A session token as App Bridge sends it; `changes` override (None: drop) claims."""
    moment = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": f"https://{shop}/admin",
        "dest": f"https://{shop}",
        "aud": TEST_API_KEY,
        "sub": "42",
        "exp": moment + 60,
        "nbf": moment,
        "iat": moment,
        "jti": str(uuid.uuid4()),
        "sid": "session-1",
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)  # the short test secret
        return jwt.encode(claims, secret, algorithm="HS256")


@dataclass
class Admin:
    app: Starlette
    client: httpx.AsyncClient
    shop: Shop
    store: SimulatedStore
    # The real time (the portal's proxy signatures use it), frozen for the test.
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    def auth(self, **changes: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {session_token(self.now, **changes)}"}

    async def request(self, method: str, path: str, *, json: Any = None,
                      headers: dict[str, str] | None = None, **params: str) -> httpx.Response:
        return await self.client.request(
            method, f"/admin/api/{path}", json=json, params=params or None,
            headers=self.auth() if headers is None else headers,
        )


@pytest.fixture
async def admin(
    database: str, settings: Settings, store: SimulatedStore, store_transport: httpx.ASGITransport
) -> AsyncIterator[Admin]:
    app = create_app(settings.with_changes(shopify_max_attempts=1), manage_database=False,
                     http_transport=store_transport, clock=lambda: state.now)
    shop = await register_shop(store, DEMO_SHOP)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="https://app.example.test") as c:
            state = Admin(app, c, shop, store)
            yield state
