"""CORS: what an extension's Web Worker needs under /customer-account/api/, nothing elsewhere."""

from __future__ import annotations

import httpx
import pytest

from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID
from shopify_app.storage.models import Shop
from tests.portal.customer_account.conftest import API

ORIGIN = "https://extensions.shopifycdn.com"


def _preflight(method: str = "GET", headers: str = "authorization") -> dict[str, str]:
    return {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/subscriptions", "GET", "authorization"),
        (f"/subscriptions/{ALICE_ACTIVE_CONTRACT_ID}", "GET", "Authorization, Accept"),
        (f"/subscriptions/{ALICE_ACTIVE_CONTRACT_ID}/pause", "POST", "authorization,content-type"),
    ],
)
async def test_preflights_are_answered_without_a_token(
    http: httpx.AsyncClient, shop: Shop, path: str, method: str, headers: str
) -> None:
    response = await http.options(f"{API}{path}", headers=_preflight(method, headers))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Authorization" in response.headers["access-control-allow-headers"]
    assert int(response.headers["access-control-max-age"]) > 0
    # A bearer token, never ambient credentials: nothing tells the browser to send cookies.
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    ("method", "headers"),
    [("DELETE", "authorization"), ("GET", "authorization, x-shopify-access-token"), ("", "")],
)
async def test_preflights_for_anything_else_are_refused(
    http: httpx.AsyncClient, shop: Shop, method: str, headers: str
) -> None:
    response = await http.options(f"{API}/subscriptions", headers=_preflight(method, headers))
    assert response.status_code == 403
    assert response.json()["code"] == "cors_preflight_refused"
    assert "access-control-allow-methods" not in response.headers


async def test_no_preflight_where_there_is_no_endpoint(http: httpx.AsyncClient, shop: Shop) -> None:
    response = await http.options(f"{API}/elsewhere", headers=_preflight())
    assert response.status_code == 404
    assert "access-control-allow-methods" not in response.headers


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/api/external/v2/openapi.json", "/proxy/customer_portal", "/admin/api/settings"],
)
async def test_nothing_else_is_opened(http: httpx.AsyncClient, path: str) -> None:
    preflight = await http.options(path, headers=_preflight())
    assert "access-control-allow-origin" not in preflight.headers
    plain = await http.get(path, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in plain.headers
