from __future__ import annotations

import hashlib

import pytest

from shopify_app.commands import api_keys as command
from shopify_app.settings import Settings
from shopify_app.storage import db
from shopify_app.storage.models import ApiKey, Shop
from tests.support.factories import make_shop

SHOP = "cli-shop.myshopify.com"


@pytest.fixture
async def shop_in_db(settings: Settings) -> str:
    await db.init(settings.database_url)
    try:
        await make_shop(SHOP)
    finally:
        await db.close()
    return SHOP


async def stored_keys(settings: Settings) -> list[ApiKey]:
    await db.init(settings.database_url)
    try:
        return await ApiKey.all().order_by("id")
    finally:
        await db.close()


async def test_create_prints_the_key_alone_last_and_stores_its_hash(
    settings: Settings, shop_in_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await command.create(settings, shop_in_db, "Klaviyo flows") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    raw = lines[-1]
    assert raw.startswith("ssp_") and " " not in raw
    [key] = await stored_keys(settings)
    assert key.name == "Klaviyo flows"
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()


async def test_list_never_shows_the_secret_and_revoke_marks_it(
    settings: Settings, shop_in_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await command.create(settings, shop_in_db, "first")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    [key] = await stored_keys(settings)
    assert await command.revoke(settings, key.id) == 0
    assert await command.list_keys(settings, shop_in_db) == 0
    out = capsys.readouterr().out
    secret_part = raw.removeprefix(key.prefix + "_")
    assert secret_part not in out and key.key_hash not in out
    assert key.prefix in out and "revoked" in out and "first" in out


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: command.create(s, "unknown.myshopify.com", "x"), "No shop"),
        (lambda s: command.create(s, "not a domain", "x"), "myshopify.com"),
        (lambda s: command.create(s, SHOP, "   "), "name"),
        (lambda s: command.list_keys(s, "unknown.myshopify.com"), "No shop"),
        (lambda s: command.revoke(s, 12345), "no API key"),
    ],
    ids=["unknown-shop", "bad-domain", "empty-name", "list-unknown", "revoke-unknown"],
)
async def test_failures_exit_1_with_the_reason_on_stderr(
    settings: Settings, shop_in_db: str, capsys: pytest.CaptureFixture[str], call, message: str  # type: ignore[no-untyped-def]
) -> None:
    assert await call(settings) == 1
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert await stored_keys(settings) == []
    await db.init(settings.database_url)
    try:
        assert await Shop.filter(domain=SHOP).count() == 1
    finally:
        await db.close()
