from __future__ import annotations

import pytest

from shopify_app.links import minting
from shopify_app.storage.models import Shop


def shop(**fields: object) -> Shop:
    values: dict[str, object] = {"domain": "a-shop.myshopify.com", "primary_domain": None,
                                 "proxy_prefix": "tools", "proxy_subpath": "recurring"}
    values.update(fields)
    return Shop(**values)


@pytest.mark.parametrize(
    ("fields", "url"),
    [
        ({}, "https://a-shop.myshopify.com/tools/recurring/customer_portal"),
        ({"primary_domain": "Shop.Example.com"},
         "https://shop.example.com/tools/recurring/customer_portal"),
        ({"proxy_prefix": "/apps/", "proxy_subpath": "/my-portal/"},
         "https://a-shop.myshopify.com/apps/my-portal/customer_portal"),
        ({"proxy_prefix": "a", "proxy_subpath": "x/y_z"},
         "https://a-shop.myshopify.com/a/x/y_z/customer_portal"),
        # The local sandbox's storefront: loopback hosts get plain http.
        ({"primary_domain": "127.0.0.1:8002"}, "http://127.0.0.1:8002/tools/recurring/customer_portal"),
        ({"primary_domain": "localhost:8002"}, "http://localhost:8002/tools/recurring/customer_portal"),
    ],
)
def test_portal_url(fields: dict[str, object], url: str) -> None:
    assert minting.portal_url(shop(**fields)) == url


@pytest.mark.parametrize(
    "fields",
    [
        {"proxy_prefix": "shop"},
        {"proxy_prefix": ""},
        {"proxy_subpath": ""},
        {"proxy_subpath": "a//b"},
        {"proxy_subpath": "../admin"},
        {"proxy_subpath": "a?b=c"},
        {"primary_domain": "evil.com/path"},
        {"primary_domain": "user@evil.com"},
        {"primary_domain": "-bad.com"},
    ],
)
def test_unusable_settings_are_portal_not_configured(fields: dict[str, object]) -> None:
    with pytest.raises(minting.PortalNotConfigured) as caught:
        minting.portal_url(shop(**fields))
    assert caught.value.code == "portal_not_configured"


@pytest.mark.parametrize(
    ("host", "scheme"),
    [("shop.example.com", "https"), ("127.0.0.1:8002", "http"), ("localhost", "http"),
     ("[::1]:8002", "http"), ("127.0.0.1.evil.com", "https"), ("localhost.evil.com", "https")],
)
def test_link_scheme(host: str, scheme: str) -> None:
    assert minting.link_scheme(host) == scheme


def test_portal_url_follows_a_changed_proxy_setting() -> None:
    # The URLs are memoised by the shop's address fields, not by the shop object.
    row = shop()
    assert minting.portal_url(row) == "https://a-shop.myshopify.com/tools/recurring/customer_portal"
    row.proxy_subpath = "other"
    assert minting.portal_url(row) == "https://a-shop.myshopify.com/tools/other/customer_portal"
    row.proxy_prefix = "shop"
    with pytest.raises(minting.PortalNotConfigured):
        minting.portal_url(row)
