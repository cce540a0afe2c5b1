from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from shopify_app.keys import api_keys
from shopify_app.storage.models import ApiKey
from tests.support.factories import NOW, make_shop


async def test_a_key_is_random_prefixed_and_stored_only_as_its_hash(database: str) -> None:
    shop = await make_shop()
    key, raw = await api_keys.create_key(shop, "  Klaviyo  ")
    assert raw.startswith(key.prefix + "_") and key.prefix.startswith("ssp_")
    assert len(raw) - len(key.prefix) - 1 >= 43  # 256 bits of base64url
    stored = await ApiKey.get(id=key.id)
    assert stored.name == "Klaviyo"
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(v) for v in (await ApiKey.filter(id=key.id).values())[0].values()}
    _, other = await api_keys.create_key(shop, "Klaviyo")
    assert other != raw


async def test_authenticate_returns_the_key_with_its_shop(database: str) -> None:
    shop = await make_shop()
    key, raw = await api_keys.create_key(shop, "k")
    found = await api_keys.authenticate(raw, NOW)
    assert (found.id, found.shop.domain) == (key.id, shop.domain)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "missing_api_key"),
        ("nope", "invalid_api_key"),
        ("ssp_00000000_" + "x" * 43, "invalid_api_key"),
        ("ssp_" + "x" * 500, "invalid_api_key"),
    ],
)
async def test_unknown_keys_are_refused(database: str, raw: str, code: str) -> None:
    await make_shop()
    with pytest.raises(api_keys.Unauthorized) as caught:
        await api_keys.authenticate(raw, NOW)
    assert caught.value.code == code and caught.value.status == 401


async def test_revoked_key_and_uninstalled_shop_are_refused(database: str) -> None:
    shop = await make_shop()
    key, raw = await api_keys.create_key(shop, "k")
    await api_keys.revoke(key.id, NOW)
    with pytest.raises(api_keys.InvalidApiKey):
        await api_keys.authenticate(raw, NOW)

    gone = await make_shop("gone.myshopify.com", uninstalled_at=NOW)
    _, raw2 = await api_keys.create_key(gone, "k")
    with pytest.raises(api_keys.ShopUninstalled):
        await api_keys.authenticate(raw2, NOW)


async def test_revoke_keeps_the_first_time_and_unknown_ids_404(database: str) -> None:
    shop = await make_shop()
    key, _ = await api_keys.create_key(shop, "k")
    await api_keys.revoke(key.id, NOW)
    again = await api_keys.revoke(key.id, NOW + timedelta(hours=1))
    assert again.revoked_at == NOW
    with pytest.raises(api_keys.ApiKeyNotFound):
        await api_keys.revoke(9999, NOW)


async def test_last_used_is_written_at_most_once_a_minute(database: str) -> None:
    shop = await make_shop()
    key, raw = await api_keys.create_key(shop, "k")
    assert key.last_used_at is None
    await api_keys.authenticate(raw, NOW)
    await api_keys.authenticate(raw, NOW + timedelta(seconds=59))
    assert (await ApiKey.get(id=key.id)).last_used_at == NOW
    await api_keys.authenticate(raw, NOW + timedelta(seconds=60))
    assert (await ApiKey.get(id=key.id)).last_used_at == NOW + timedelta(seconds=60)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\tname", "new\nline"])
async def test_bad_names_are_refused(database: str, name: str) -> None:
    shop = await make_shop()
    with pytest.raises(api_keys.InvalidKeyName):
        await api_keys.create_key(shop, name)


async def test_list_keys_is_per_shop(database: str) -> None:
    a, b = await make_shop(), await make_shop("b.myshopify.com")
    await api_keys.create_key(a, "one")
    await api_keys.create_key(a, "two")
    await api_keys.create_key(b, "three")
    assert [k.name for k in await api_keys.list_keys(a)] == ["one", "two"]
