from __future__ import annotations

import httpx
import pytest

from shopify_app.commands.shops import add_shop
from shopify_app.sandbox.demo import (
    DEMO_ACCESS_TOKEN,
    DEMO_CURRENCY,
    DEMO_PRIMARY_DOMAIN,
    DEMO_SHOP,
    DEMO_SHOP_NAME,
    DEMO_TIMEZONE,
    OTHER_ACCESS_TOKEN,
    OTHER_SHOP,
)
from shopify_app.settings import Settings
from shopify_app.storage import db
from shopify_app.storage.models import Shop


async def stored_shops(database_url: str) -> list[Shop]:
    await db.init(database_url)
    try:
        return await Shop.all()
    finally:
        await db.close()


async def test_shops_add_registers_the_store_with_its_domains(
    settings: Settings, store_transport: httpx.AsyncBaseTransport,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = await add_shop(settings, DEMO_SHOP, DEMO_ACCESS_TOKEN, transport=store_transport)

    assert status == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and DEMO_SHOP in out and DEMO_PRIMARY_DOMAIN in out
    assert DEMO_ACCESS_TOKEN not in out
    (shop,) = await stored_shops(settings.database_url)
    assert shop.domain == DEMO_SHOP and shop.name == DEMO_SHOP_NAME
    assert shop.primary_domain == shop.storefront_host == DEMO_PRIMARY_DOMAIN
    assert (shop.timezone, shop.currency) == (DEMO_TIMEZONE, DEMO_CURRENCY)
    assert shop.access_token == DEMO_ACCESS_TOKEN and shop.access_token_expires_at is None
    assert shop.refresh_token is None and shop.installed


async def test_a_shop_without_a_custom_domain_has_none(
    settings: Settings, store_transport: httpx.AsyncBaseTransport,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await add_shop(settings, OTHER_SHOP, OTHER_ACCESS_TOKEN,
                          transport=store_transport) == 0
    (shop,) = await stored_shops(settings.database_url)
    assert shop.primary_domain is None and shop.storefront_host == OTHER_SHOP


async def test_adding_again_updates_the_same_row(
    settings: Settings, store_transport: httpx.AsyncBaseTransport,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await add_shop(settings, DEMO_SHOP, DEMO_ACCESS_TOKEN, transport=store_transport) == 0
    assert await add_shop(settings, f"https://admin.shopify.com/store/{DEMO_SHOP.split('.')[0]}",
                          DEMO_ACCESS_TOKEN, transport=store_transport) == 0
    shops = await stored_shops(settings.database_url)
    assert [s.domain for s in shops] == [DEMO_SHOP]


@pytest.mark.parametrize(
    ("shop", "token", "message"),
    [
        ("evil.com", DEMO_ACCESS_TOKEN, "myshopify.com"),
        ("x.myshopify.com.evil.com", DEMO_ACCESS_TOKEN, "myshopify.com"),
        (DEMO_SHOP, "   ", "empty"),
        (DEMO_SHOP, "shpat_wrong_token", "refused the credentials"),
        (DEMO_SHOP, OTHER_ACCESS_TOKEN, "refused the credentials"),
    ],
)
async def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    settings: Settings, store_transport: httpx.AsyncBaseTransport,
    capsys: pytest.CaptureFixture[str], shop: str, token: str, message: str,
) -> None:
    status = await add_shop(settings, shop, token, transport=store_transport)

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert token.strip() == "" or token not in captured.err
    assert "Traceback" not in captured.err
    assert await stored_shops(settings.database_url) == []
