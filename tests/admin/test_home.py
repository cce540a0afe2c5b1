"""App home verifies the `id_token` on every document load, as Shopify's libraries do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest

from shopify_app.admin.home import APP_BRIDGE_URL, BOUNCE_PATH
from shopify_app.sandbox import demo
from tests.admin.conftest import Admin, session_token
from tests.conftest import TEST_API_KEY

HOST = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtby1zaG9w"
# The shop's admin origin (SHOPIFY_ADMIN_ORIGIN: the simulated store here, https://{shop} live).
FRAMED_BY = "frame-ancestors http://store.test https://admin.shopify.com;"


def home_query(shop: str = demo.DEMO_SHOP, **extra: str) -> list[tuple[str, str]]:
    return [("embedded", "1"), ("host", HOST), ("shop", shop), *extra.items()]


def assert_bounced(response: Any, expected_reload: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert location.path == BOUNCE_PATH
    params = dict(parse_qsl(location.query))
    assert "id_token" not in params
    assert params["shopify-reload"] == expected_reload
    assert params["shop"] == demo.DEMO_SHOP


async def test_an_embedded_load_without_id_token_bounces(admin: Admin) -> None:
    query = urlencode(home_query())
    response = await admin.client.get(f"/?{query}")
    assert_bounced(response, f"/?{query}")
    # The bounce page is App Bridge alone, framed only by the shop's admin.
    page = await admin.client.get(response.headers["location"])
    assert page.status_code == 200
    assert f'<meta name="shopify-api-key" content="{TEST_API_KEY}">' in page.text
    assert f'<script src="{APP_BRIDGE_URL}">' in page.text
    assert demo.DEMO_SHOP_NAME not in page.text
    assert page.headers["Content-Security-Policy"] == FRAMED_BY


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "", "x",
                                    "/\\evil.example"])
async def test_the_bounce_reloads_only_paths_of_this_app(admin: Admin, target: str) -> None:
    query = urlencode([("shop", demo.DEMO_SHOP), ("shopify-reload", target)])
    response = await admin.client.get(f"{BOUNCE_PATH}?{query}")
    assert response.status_code == 400
    assert "app-bridge" not in response.text


async def test_a_valid_id_token_shows_the_installed_shops_admin(admin: Admin) -> None:
    token = session_token(admin.now)
    response = await admin.client.get(f"/?{urlencode(home_query(id_token=token))}")
    assert response.status_code == 200
    assert demo.DEMO_SHOP_NAME in response.text
    assert response.headers["Content-Security-Policy"] == FRAMED_BY
    assert response.headers["Cache-Control"] == "no-store"
    assert admin.store.tokens.exchange_count[demo.DEMO_SHOP] == 0  # credentials were usable


def _alg_none(admin: Admin) -> str:
    claims = jwt.decode(session_token(admin.now), options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


BAD_TOKENS: dict[str, Any] = {
    "expired": lambda a: session_token(a.now - timedelta(seconds=71)),
    "not-yet-valid": lambda a: session_token(a.now, nbf=int(a.now.timestamp()) + 60),
    "other-app": lambda a: session_token(a.now, aud="another-app"),
    "wrong-signature": lambda a: session_token(a.now, secret="not-our-secret"),
    "alg-none": _alg_none,
    "alg-none-stripped": lambda a: session_token(a.now).rsplit(".", 1)[0] + ".",
    "iss-of-another-shop": lambda a: session_token(
        a.now, iss=f"https://{demo.OTHER_SHOP}/admin"),
    "dest-of-another-shop": lambda a: session_token(
        a.now, dest=f"https://{demo.OTHER_SHOP}", iss=f"https://{demo.DEMO_SHOP}/admin"),
    "no-exp": lambda a: session_token(a.now, exp=None),
    "garbage": lambda a: "abc.def.ghi",
    "huge": lambda a: "a" * 10_000,
}


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_a_bad_id_token_bounces_and_shows_nothing(admin: Admin, make: Any) -> None:
    response = await admin.client.get(f"/?{urlencode(home_query(id_token=make(admin)))}")
    assert_bounced(response, f"/?{urlencode(home_query())}")
    assert demo.DEMO_SHOP_NAME not in response.text
    assert admin.store.tokens.exchange_count == {}


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_a_bad_bearer_token_is_401_with_the_retry_header(admin: Admin, make: Any) -> None:
    response = await admin.request(
        "GET", "settings", headers={"Authorization": f"Bearer {make(admin)}"})
    assert response.status_code == 401
    assert response.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"
    assert demo.DEMO_SHOP_NAME not in response.text


async def test_a_token_of_one_shop_with_another_shop_in_the_query_is_refused(
    admin: Admin,
) -> None:
    token = session_token(admin.now)
    response = await admin.client.get(
        f"/?{urlencode(home_query(shop=demo.OTHER_SHOP, id_token=token))}")
    assert response.status_code == 400
    assert demo.DEMO_SHOP_NAME not in response.text and demo.OTHER_SHOP_NAME not in response.text


async def test_outside_the_admin_the_app_url_goes_into_the_admin(admin: Admin) -> None:
    response = await admin.client.get(f"/?shop={demo.DEMO_SHOP}")
    assert response.status_code == 302
    assert response.headers["location"].endswith(
        f"/shops/{demo.DEMO_SHOP}/admin/apps/{TEST_API_KEY}")


def test_the_frame_ancestors_are_the_shops_own_origin_in_production() -> None:
    from shopify_app.admin.home import _frame_headers
    from shopify_app.settings import Settings

    headers = _frame_headers(Settings(api_key="k", api_secret="s"), demo.DEMO_SHOP)
    assert headers["Content-Security-Policy"] == (
        f"frame-ancestors https://{demo.DEMO_SHOP} https://admin.shopify.com;")
