"""The sandbox's stand-in Shopify admin: frames app home, mints session tokens the app accepts,
serves the stand-in App Bridge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from shopify_app.admin.guard import verify_session_token
from shopify_app.sandbox import demo
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from tests.support.store import TEST_CLIENT_ID, TEST_CLIENT_SECRET

APP_URL = "http://127.0.0.1:8000"
ADMIN = f"/shops/{demo.DEMO_SHOP}/admin/apps/{TEST_CLIENT_ID}"


@pytest.fixture
async def admin_host(store: SimulatedStore) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_store_app(store, app_url=APP_URL))
    async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as client:
        yield client


async def test_the_admin_frames_app_home_without_an_id_token(
    admin_host: httpx.AsyncClient,
) -> None:
    response = await admin_host.get(ADMIN)
    assert response.status_code == 200
    src = response.text.split('<iframe id=app title="Subscription portal" src="')[1].split('"')[0]
    parts = urlsplit(src.replace("&amp;", "&"))
    assert f"{parts.scheme}://{parts.netloc}" == APP_URL
    params = dict(parse_qsl(parts.query))
    assert params["embedded"] == "1" and params["shop"] == demo.DEMO_SHOP
    assert "id_token" not in params and params["host"]
    assert demo.DEMO_SHOP_NAME in response.text


async def test_the_session_tokens_are_what_the_app_verifies(
    admin_host: httpx.AsyncClient, store: SimulatedStore,
) -> None:
    response = await admin_host.post(f"{ADMIN}/session-token")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    claims = verify_session_token(response.json()["token"], client_id=TEST_CLIENT_ID,
                                  secret=TEST_CLIENT_SECRET, now=store.now())
    assert claims.shop == demo.DEMO_SHOP


@pytest.mark.parametrize("path", [
    "/shops/unknown.myshopify.com/admin/apps/" + TEST_CLIENT_ID,
    f"/shops/{demo.DEMO_SHOP}/admin/apps/another-app",
])
async def test_unknown_shops_and_apps_get_nothing(
    admin_host: httpx.AsyncClient, path: str
) -> None:
    assert (await admin_host.get(path)).status_code == 404
    assert (await admin_host.post(f"{path}/session-token")).status_code == 404


async def test_the_stand_in_app_bridge_is_served(admin_host: httpx.AsyncClient) -> None:
    response = await admin_host.get("/admin/app-bridge.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "shopify-reload" in response.text and "X-Shopify-Retry-Invalid-Session-Request" in (
        response.text)


async def test_without_the_app_url_the_store_has_no_admin(store: SimulatedStore) -> None:
    transport = httpx.ASGITransport(app=build_store_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as client:
        assert (await client.get(ADMIN)).status_code == 404
