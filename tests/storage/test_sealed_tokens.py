"""Shopify access and refresh tokens are stored encrypted (AES-GCM, a kid per value, keys from
SHOPIFY_TOKEN_KEYS or derived from the app secret): a database dump alone gives no API access.
The SQLite file and its directory are the owner's only."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise import Tortoise

from shopify_app.settings import Settings
from shopify_app.storage import db, sealed
from shopify_app.storage.models import Shop

ACCESS, REFRESH = "shpat_live_access_token_value", "shprt_live_refresh_token_value"
KEY_A = "a:" + "A" * 43  # 32 bytes, base64url
KEY_B = "b:" + "B" * 43
SELECT_PG = "SELECT access_token, refresh_token FROM shops WHERE domain = $1"
SELECT_SQLITE = "SELECT access_token, refresh_token FROM shops WHERE domain = ?"
UPDATE_PG = "UPDATE shops SET access_token = $1"
UPDATE_SQLITE = "UPDATE shops SET access_token = ?"


@pytest.fixture(autouse=True)
def ring(settings: Settings) -> None:
    sealed.configure(settings, keep_previous=False)


async def raw_row(domain: str) -> dict[str, object]:
    conn = Tortoise.get_connection("default")
    query = (SELECT_PG if conn.capabilities.dialect == "postgres" else SELECT_SQLITE)
    rows = await conn.execute_query_dict(query, [domain])
    return rows[0]


async def test_tokens_are_encrypted_in_the_database_and_read_back(database: str) -> None:
    await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC),
                      access_token=ACCESS, refresh_token=REFRESH)
    stored = await raw_row("a.myshopify.com")
    for value, secret in ((stored["access_token"], ACCESS), (stored["refresh_token"], REFRESH)):
        assert isinstance(value, str) and secret not in value
        assert value.startswith("v1:")  # format, kid, then nonce and ciphertext
    shop = await Shop.get(domain="a.myshopify.com")
    assert (shop.access_token, shop.refresh_token) == (ACCESS, REFRESH)
    files = db.sqlite_files(database)
    if files:
        data = b"".join(path.read_bytes() for path in files)
        assert ACCESS.encode() not in data and REFRESH.encode() not in data


async def test_rotation_reads_old_values_and_reseals_them(
    database: str, settings: Settings
) -> None:
    sealed.configure(settings.with_changes(token_keys=KEY_A), keep_previous=False)
    await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC),
                      access_token=ACCESS)
    assert str((await raw_row("a.myshopify.com"))["access_token"]).startswith("v1:a:")
    sealed.configure(settings.with_changes(token_keys=f"{KEY_B},{KEY_A}"), keep_previous=False)
    assert (await Shop.get(domain="a.myshopify.com")).access_token == ACCESS
    assert await sealed.reseal_tokens() == 1
    assert str((await raw_row("a.myshopify.com"))["access_token"]).startswith("v1:b:")
    sealed.configure(settings.with_changes(token_keys=KEY_B), keep_previous=False)
    assert (await Shop.get(domain="a.myshopify.com")).access_token == ACCESS
    assert await sealed.reseal_tokens() == 0


async def test_a_value_under_an_unknown_key_is_a_clear_error(
    database: str, settings: Settings
) -> None:
    sealed.configure(settings.with_changes(token_keys=KEY_A), keep_previous=False)
    await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC),
                      access_token=ACCESS)
    sealed.configure(settings.with_changes(token_keys=KEY_B), keep_previous=False)
    with pytest.raises(sealed.UnreadableToken, match="SHOPIFY_TOKEN_KEYS"):
        await Shop.get(domain="a.myshopify.com")


def test_the_default_key_is_derived_from_the_app_secret(settings: Settings) -> None:
    one = sealed.TokenCipher.from_settings(settings)
    other = sealed.TokenCipher.from_settings(settings.with_changes(api_secret="another"))
    value = one.seal(ACCESS)
    assert one.open(value) == ACCESS
    with pytest.raises(sealed.UnreadableToken):
        other.open(value)


async def test_the_sqlite_file_and_directory_are_the_owners_only(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'data' / 'app.sqlite3'}"
    await db.migrate(url)
    await db.init(url)
    try:
        await Shop.create(domain="a.myshopify.com")
    finally:
        await db.close()
    assert stat.S_IMODE(os.stat(tmp_path / "data").st_mode) == 0o700
    for path in db.sqlite_files(url):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


async def test_a_legacy_plaintext_value_is_read_and_sealed_by_reseal(database: str) -> None:
    await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC))
    conn = Tortoise.get_connection("default")
    update = UPDATE_PG if conn.capabilities.dialect == "postgres" else UPDATE_SQLITE
    await conn.execute_query(update, [ACCESS])
    assert (await Shop.get(domain="a.myshopify.com")).access_token == ACCESS
    assert await sealed.reseal_tokens() == 1
    assert ACCESS not in str((await raw_row("a.myshopify.com"))["access_token"])


def test_the_reseal_command(database_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHOPIFY_", "PORTAL_", "DATABASE_"))}
    env.update(DATABASE_URL=database_url, SHOPIFY_API_KEY="k", SHOPIFY_API_SECRET="s",
               SHOPIFY_TOKEN_KEYS=KEY_A)
    done = subprocess.run([sys.executable, "-m", "shopify_app", "shops", "reseal"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "resealed the tokens of 0 shop(s)" in done.stdout
