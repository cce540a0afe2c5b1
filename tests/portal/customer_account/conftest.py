"""A customer account extension's calls: session tokens minted like Shopify's, sent to the app
built over the simulated store (the fixtures of tests/portal/conftest.py)."""

from __future__ import annotations

import time
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.storage.models import Shop
from tests.conftest import TEST_API_KEY, TEST_SECRET

API = "/customer-account/api"


def session_token(
    customer_id: int | None = ALICE_ID,
    *,
    shop: str = DEMO_SHOP,
    secret: str = TEST_SECRET,
    now: float | None = None,
    ttl: int = 300,
    algorithm: str = "HS256",
    **claims: Any,
) -> str:
    """A token shaped as `shopify.sessionToken.get()` returns it in customer accounts."""
    moment = int(time.time() if now is None else now)
    body: dict[str, Any] = {
        "dest": shop,
        "aud": TEST_API_KEY,
        "exp": moment + ttl,
        "nbf": moment,
        "iat": moment,
        "jti": str(uuid.uuid4()),
    }
    if customer_id is not None:
        body["sub"] = f"gid://shopify/Customer/{customer_id}"
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)  # the short test secret
        return jwt.encode(body, secret, algorithm=algorithm)


@dataclass
class Extension:
    """What the extension's `fetch` calls look like, for one signed-in customer."""

    http: httpx.AsyncClient
    customer_id: int = ALICE_ID
    origin: str = "https://extensions.shopifycdn.com"
    headers: dict[str, str] = field(default_factory=dict)

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {session_token(self.customer_id)}",
            "Origin": self.origin,
            **self.headers,
        }

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(f"{API}{path}", headers=self._headers())

    async def act(self, contract_id: int | str, action: str, **fields: Any) -> httpx.Response:
        return await self.http.post(
            f"{API}/subscriptions/{contract_id}/{action}", json=fields, headers=self._headers()
        )


@pytest.fixture
def extension(http: httpx.AsyncClient, shop: Shop) -> Extension:
    return Extension(http)
