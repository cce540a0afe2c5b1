"""/admin/api/api-keys: list, create (shown once), revoke (the external API refuses at once)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.storage.models import ApiKey, Shop
from tests.admin.conftest import Admin

MINT = f"/api/external/v2/manage-subscription-link/{ALICE_ID}"


async def _other_shop_key() -> int:
    other = await Shop.create(domain="other-shop.myshopify.com", installed_at=datetime.now(UTC),
                              access_token="t")
    key, _ = await api_keys.create_key(other, "theirs")
    return key.id


async def test_create_shows_the_key_once_then_lists_only_its_prefix(admin: Admin) -> None:
    created = await admin.request("POST", "api-keys", json={"name": "Klaviyo"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["key"].startswith(body["prefix"] + "_") and body["name"] == "Klaviyo"
    stored = await ApiKey.get(id=body["id"])
    assert stored.key_hash == api_keys.hash_key(body["key"])
    listed = (await admin.request("GET", "api-keys")).json()["api_keys"]
    assert [k["name"] for k in listed] == ["Klaviyo"]
    assert "key" not in listed[0] and body["key"] not in str(listed)
    assert listed[0]["revoked_at"] is None


async def test_the_created_key_mints_links(admin: Admin) -> None:
    raw = (await admin.request("POST", "api-keys", json={"name": "helpdesk"})).json()["key"]
    minted = await admin.client.get(MINT, headers={"X-API-Key": raw})
    assert minted.status_code == 200, minted.text


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": 5},
                                  {"name": "x" * 101}, {"name": "x" * 500}, {"name": "tab\there"}])
async def test_bad_names_are_400(admin: Admin, body: dict[str, object]) -> None:
    response = await admin.request("POST", "api-keys", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_key_name"
    assert await ApiKey.all().count() == 0


async def test_revoked_key_is_refused_by_the_external_api_right_away(admin: Admin) -> None:
    created = (await admin.request("POST", "api-keys", json={"name": "campaign"})).json()
    headers = {"X-API-Key": created["key"]}
    assert (await admin.client.get(MINT, headers=headers)).status_code == 200  # now cached
    revoked = await admin.request("DELETE", f"api-keys/{created['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    refused = await admin.client.get(MINT, headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_api_key"
    again = await admin.request("DELETE", f"api-keys/{created['id']}")
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]


async def test_keys_of_another_shop_are_invisible_and_cannot_be_revoked(admin: Admin) -> None:
    theirs = await _other_shop_key()
    assert (await admin.request("GET", "api-keys")).json()["api_keys"] == []
    response = await admin.request("DELETE", f"api-keys/{theirs}")
    assert response.status_code == 404
    assert response.json()["code"] == "api_key_not_found"
    assert (await ApiKey.get(id=theirs)).revoked_at is None


@pytest.mark.parametrize("key_id", ["999999", "abc", "-1", "1e3", "9" * 30])
async def test_unknown_key_ids_are_404(admin: Admin, key_id: str) -> None:
    response = await admin.request("DELETE", f"api-keys/{key_id}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
