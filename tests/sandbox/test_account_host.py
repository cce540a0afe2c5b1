"""The sandbox's customer account host: the session tokens it mints as Shopify would, and how
it serves the built bundles."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from shopify_app.portal.customer_account import tokens
from shopify_app.sandbox.account_host import AccountHostConfig, build_routes, mint_session_token

SHOP = "demo-shop.myshopify.com"
SECRET = "sandbox-secret-for-tests-0123456789"
NOW = 1_780_000_000.0


def _signed_in(request: Request) -> int | None:
    raw = request.headers.get("x-customer", "")
    return int(raw) if raw.isdigit() else None


def _config(extensions_dir: Path, app_url: str = "http://127.0.0.1:9100") -> AccountHostConfig:
    return AccountHostConfig(
        shop=SHOP,
        client_id="sandbox-client-id",
        secret=SECRET,
        app_url=app_url,
        logged_in=_signed_in,
        now=lambda: NOW,
        extensions_dir=extensions_dir,
    )


@pytest.fixture
def extensions(tmp_path: Path) -> Path:
    """A built customer-portal extension, as build.mjs leaves it."""
    folder = tmp_path / "customer-portal"
    (folder / "dist").mkdir(parents=True)
    (folder / "locales").mkdir()
    (folder / "dist" / "customer-portal.js").write_text(
        'shopify.extend("customer-account.page.render",()=>{fetch("http://127.0.0.1:8000"+"/x")})'
    )
    (folder / "dist" / "manifest.json").write_text(json.dumps({"appUrl": "http://127.0.0.1:8000"}))
    (folder / "locales" / "en.default.json").write_text(json.dumps({"x": "</script><b>"}))
    (folder / "locales" / "fr.json").write_text(json.dumps({"x": "fr"}))
    return tmp_path


def _client(config: AccountHostConfig) -> httpx.AsyncClient:
    app = Starlette(routes=build_routes(config))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test")


def test_minted_tokens_are_what_the_backend_accepts(extensions: Path) -> None:
    token, expires_at = mint_session_token(_config(extensions), 7100000000001)
    claims = tokens.verify(
        token,
        client_id="sandbox-client-id",
        secret=SECRET,
        now=datetime.fromtimestamp(NOW, UTC),
    )
    assert claims == tokens.CustomerClaims(SHOP, 7100000000001)
    assert expires_at == NOW + 300


async def test_the_token_endpoint_needs_a_signed_in_customer(extensions: Path) -> None:
    async with _client(_config(extensions)) as http:
        refused = await http.post("/account/session-token")
        granted = await http.post("/account/session-token", headers={"x-customer": "42"})
    assert refused.status_code == 401
    assert granted.status_code == 200
    assert granted.headers["cache-control"] == "no-store"
    token = granted.json()["token"]
    now = datetime.fromtimestamp(NOW, UTC)
    claims = tokens.verify(token, client_id="sandbox-client-id", secret=SECRET, now=now)
    assert claims.customer_id == 42


async def test_the_page_asks_for_a_login_first(extensions: Path) -> None:
    async with _client(_config(extensions)) as http:
        response = await http.get("/account/subscriptions")
    assert response.status_code == 303
    assert response.headers["location"] == "/account/login?return_url=/account/subscriptions"


async def test_the_page_loads_the_host_and_the_bundle_with_safe_config(extensions: Path) -> None:
    async with _client(_config(extensions)) as http:
        page = await http.get("/account/subscriptions", headers={"x-customer": "1"})
        french = await http.get("/account/subscriptions?locale=fr", headers={"x-customer": "1"})
    assert page.status_code == 200
    assert '<script src="/account/extensions/customer-portal.js"></script>' in page.text
    # Translations are the merchant's text: they cannot close the config's <script>.
    assert "</script><b>" not in page.text and "<\\/script><b>" in page.text
    assert '"locale": "fr"' in french.text and '<html lang="fr">' in french.text


async def test_the_bundle_calls_this_sandboxs_app(extensions: Path) -> None:
    async with _client(_config(extensions, "http://127.0.0.1:9100/")) as http:
        bundle = await http.get("/account/extensions/customer-portal.js")
        other = await http.get("/account/extensions/nope.js")
        host = await http.get("/account/extension-host.js")
    assert bundle.status_code == 200
    assert '"http://127.0.0.1:9100"+"/x"' in bundle.text
    assert "127.0.0.1:8000" not in bundle.text
    assert other.status_code == 404
    assert host.status_code == 200 and "window.shopify" in host.text


async def test_an_unbuilt_extension_says_how_to_build_it(tmp_path: Path) -> None:
    async with _client(_config(tmp_path)) as http:
        response = await http.get("/account/orders", headers={"x-customer": "1"})
    assert response.status_code == 503
    assert "make extensions-build" in response.text
