from __future__ import annotations

import pytest

from shopify_app.shopify.domains import (
    InvalidShop,
    is_valid_shop_domain,
    normalize_shop_domain,
    require_shop_domain,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("demo-shop.myshopify.com", "demo-shop.myshopify.com"),
        ("Demo-Shop.MyShopify.com", "demo-shop.myshopify.com"),
        ("a1.myshopify.com", "a1.myshopify.com"),
        ("https://admin.shopify.com/store/demo-shop", "demo-shop.myshopify.com"),
        ("https://admin.shopify.com/store/demo-shop/", "demo-shop.myshopify.com"),
    ],
)
def test_accepted_spellings_normalise_to_the_myshopify_domain(raw: str, expected: str) -> None:
    assert normalize_shop_domain(raw) == expected
    assert require_shop_domain(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "evil.com",
        "myshopify.com",
        ".myshopify.com",
        "x.myshopify.com.evil.com",
        "store.myshopify.com.evil.com",
        "shop.myshopify.com@evil.com",
        "evil.com/shop.myshopify.com",
        "shop.myshopify.com\n",
        "shop.myshopify.com\r\nX-Injected: 1",
        "\nshop.myshopify.com",
        " shop.myshopify.com",
        "shop.myshopify.com:443",
        "https://shop.myshopify.com",
        "shop.myshopify.com/admin",
        "-shop.myshopify.com",
        "shop-.myshopify.com",
        "sh_op.myshopify.com",
        "sh op.myshopify.com",
        "a.b.myshopify.com",
        "shop.myshopify.io",
        "https://admin.shopify.com/store/evil.com",
        "https://admin.shopify.com.evil.com/store/shop",
        "http://admin.shopify.com/store/shop",
        "x" * 250 + ".myshopify.com",
    ],
)
def test_everything_else_is_refused(raw: str | None) -> None:
    assert normalize_shop_domain(raw) is None
    assert not is_valid_shop_domain(raw)
    with pytest.raises(InvalidShop) as caught:
        require_shop_domain(raw)
    assert caught.value.status == 400 and caught.value.code == "invalid_shop"
