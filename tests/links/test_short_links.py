"""Short link codes: shape and entropy, sealing, lookup by shop and expiry."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from shopify_app.links import short_links
from shopify_app.storage.models import Shop, ShortLink

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
async def bare_shop(database: str) -> Shop:
    return await Shop.create(domain="demo-shop.myshopify.com", name="Demo")
TOKEN = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiZCJ9..iv.ciphertext.tag"


def test_a_code_has_at_least_64_bits_in_base62() -> None:
    codes = {short_links.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(short_links.is_code(code) for code in codes)
    assert math.log2(len(short_links.ALPHABET) ** short_links.CODE_LENGTH) >= 64
    # every position uses the whole alphabet (no fixed padding from the number's size)
    assert all(len({code[i] for code in codes}) > 50 for i in range(short_links.CODE_LENGTH))


@pytest.mark.parametrize("text", ["", "abc", "a" * 12, "abcdefghij!", "abcdefghij\u00e9",
                                  "../../etc/pa"])
def test_only_code_shaped_text_is_looked_up(text: str) -> None:
    assert not short_links.is_code(text)


def test_sealed_tokens_open_only_with_their_code() -> None:
    code, other = short_links.new_code(), short_links.new_code()
    sealed = short_links.seal(code, TOKEN)
    assert TOKEN not in sealed
    assert short_links.unseal(code, sealed) == TOKEN
    assert short_links.unseal(other, sealed) is None
    assert short_links.unseal(code, "not base64!") is None


def test_short_url_replaces_the_portal_path() -> None:
    url = short_links.short_url("https://shop.example/tools/recurring/customer_portal", "abc")
    assert url == "https://shop.example/tools/recurring/l/abc"


async def test_stored_rows_hold_neither_the_code_nor_the_token(bare_shop: Shop) -> None:
    [code] = await short_links.create_many(
        bare_shop, [short_links.ShortLinkRequest(TOKEN, NOW + timedelta(hours=2))]
    )
    row = await ShortLink.get()
    assert code not in (row.code_hash, row.sealed_token)
    assert TOKEN not in row.sealed_token
    assert await short_links.resolve(bare_shop, code, NOW) == TOKEN


async def test_resolve_refuses_expired_unknown_and_other_shops_codes(bare_shop: Shop) -> None:
    other = await Shop.create(domain="other-shop.myshopify.com", name="Other")
    [code] = await short_links.create_many(
        bare_shop, [short_links.ShortLinkRequest(TOKEN, NOW + timedelta(hours=2))]
    )
    assert await short_links.resolve(bare_shop, code, NOW + timedelta(hours=2)) is None
    assert await short_links.resolve(other, code, NOW) is None
    assert await short_links.resolve(bare_shop, short_links.new_code(), NOW) is None
    assert await short_links.purge_expired(NOW + timedelta(hours=3)) == 1
    assert await ShortLink.all().count() == 0


async def test_many_codes_in_one_statement(bare_shop: Shop) -> None:
    requests = [short_links.ShortLinkRequest(f"{TOKEN}{i}", NOW + timedelta(hours=1))
                for i in range(300)]
    codes = await short_links.create_many(bare_shop, requests)
    assert len(set(codes)) == 300
    assert await short_links.resolve(bare_shop, codes[123], NOW) == f"{TOKEN}123"
