"""Proxy guard: Shopify's signature, a fresh timestamp, an installed shop, then who is visiting."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
import pytest

from shopify_app.portal.entry.guard import verify_proxy
from shopify_app.portal.errors import ProxySignatureInvalid, ShopNotInstalled
from shopify_app.sandbox.demo import DEMO_PRIMARY_DOMAIN, DEMO_SHOP
from shopify_app.storage.models import Shop
from tests.conftest import TEST_SECRET
from tests.portal.proxy_client import PORTAL, signed_query


def _tamper(query: str) -> str:
    return query.replace("shop=demo-shop", "shop=demo-shoq")


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(f"shop={DEMO_SHOP}&timestamp={int(time.time())}", id="missing signature"),
        pytest.param(signed_query(DEMO_SHOP, secret="not-the-secret"), id="forged"),
        pytest.param(signed_query(DEMO_SHOP, timestamp=int(time.time()) - 3600), id="stale"),
        pytest.param(signed_query(DEMO_SHOP, timestamp=int(time.time()) + 3600), id="future"),
        pytest.param(_tamper(signed_query(DEMO_SHOP)), id="tampered shop"),
        pytest.param(signed_query(DEMO_SHOP) + "&logged_in_customer_id=5", id="smuggled customer"),
        pytest.param(signed_query(DEMO_SHOP) + f"&shop={DEMO_SHOP}", id="repeated shop"),
        pytest.param(
            signed_query(DEMO_SHOP) + f"&timestamp={int(time.time())}", id="repeated timestamp"
        ),
        pytest.param(signed_query(DEMO_SHOP) + "&signature=0", id="repeated signature"),
        pytest.param(
            signed_query(DEMO_SHOP, extra=[("hmac", "0"), ("hmac", "1")]), id="repeated hmac"
        ),
        pytest.param(
            signed_query(DEMO_SHOP).rsplit("signature=", 1)[0] + "signature=%C3%A9" * 1,
            id="non-ascii signature",
        ),
    ],
)
async def test_bad_signatures_get_a_friendly_401(
    bare_http: httpx.AsyncClient, bare_shop: Shop, query: str
) -> None:
    response = await bare_http.get(f"{PORTAL}?{query}")
    assert response.status_code == 401
    assert 'data-code="proxy_signature_invalid"' in response.text
    assert 'role="alert"' in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "login-link" not in response.text  # nothing unverified shapes a way forward


async def test_repeated_timestamp_is_refused(bare_shop: Shop) -> None:
    now = datetime.now(UTC)
    query = signed_query(DEMO_SHOP, extra=[("timestamp", str(int(now.timestamp())))])
    with pytest.raises(ProxySignatureInvalid):
        await verify_proxy(query, TEST_SECRET, now)


@pytest.mark.parametrize("state", ["unknown", "uninstalled"])
async def test_shop_must_be_installed(
    bare_http: httpx.AsyncClient, bare_shop: Shop, state: str
) -> None:
    shop = "nobody.myshopify.com" if state == "unknown" else DEMO_SHOP
    if state == "uninstalled":
        bare_shop.uninstalled_at = datetime.now(UTC)
        await bare_shop.save()
    response = await bare_http.get(f"{PORTAL}?{signed_query(shop)}")
    assert response.status_code == 404
    assert 'data-code="shop_not_installed"' in response.text
    with pytest.raises(ShopNotInstalled):
        await verify_proxy(signed_query(shop), TEST_SECRET, datetime.now(UTC))


async def test_anonymous_visitor_is_sent_to_the_store_login(
    bare_http: httpx.AsyncClient, bare_shop: Shop
) -> None:
    response = await bare_http.get(f"{PORTAL}?{signed_query(DEMO_SHOP)}")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/liquid")
    login = (
        f"https://{DEMO_PRIMARY_DOMAIN}/account/login?return_url=/tools/recurring/customer_portal"
    )
    assert login in response.text
    assert 'data-testid="login-link"' in response.text


@pytest.mark.parametrize(
    ("signed_prefix", "expected"),
    [
        ("/apps/subs", "/apps/subs/customer_portal"),
        ("/a/x/y", "/a/x/y/customer_portal"),
        ("", "/tools/recurring/customer_portal"),  # not signed: the stored setting
        ("/evil/path", "/tools/recurring/customer_portal"),  # not a proxy prefix
        ('/apps/"><script>', "/tools/recurring/customer_portal"),
    ],
)
async def test_storefront_paths_follow_the_signed_prefix(
    bare_shop: Shop, signed_prefix: str, expected: str
) -> None:
    query = signed_query(DEMO_SHOP, path_prefix=signed_prefix)
    context = await verify_proxy(query, TEST_SECRET, datetime.now(UTC))
    assert context.portal_path() == expected
    assert context.login_url.endswith(f"return_url={expected}")


async def test_stored_prefix_when_shopify_sends_none(bare_shop: Shop) -> None:
    bare_shop.proxy_prefix, bare_shop.proxy_subpath = "apps", "club"
    await bare_shop.save()
    pairs = [
        ("shop", DEMO_SHOP),
        ("logged_in_customer_id", ""),
        ("timestamp", str(int(time.time()))),
    ]
    from shopify_app.shopify import signatures

    query = urlencode([*pairs, ("signature", signatures.sign_proxy_query(pairs, TEST_SECRET))])
    context = await verify_proxy(query, TEST_SECRET, datetime.now(UTC))
    assert context.portal_path() == "/apps/club/customer_portal"
    assert context.logged_in_customer_id is None


async def test_html_format_is_a_standalone_document(
    bare_http: httpx.AsyncClient, bare_shop: Shop
) -> None:
    bare_shop.portal_format = "html"
    await bare_shop.save()
    response = await bare_http.get(f"{PORTAL}?{signed_query(DEMO_SHOP)}")
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>")
    assert '<meta name="viewport"' in response.text
