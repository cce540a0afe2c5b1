"""/admin/api/stats and /admin/api/cancellations: what the merchant reads."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shopify_app.keys import api_keys
from shopify_app.links.tokens import keyring_from_settings
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID, DEMO_SHOP
from shopify_app.settings import Settings
from shopify_app.storage.models import LinkStat, PortalEvent, Shop
from tests.admin.conftest import Admin
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from


async def _mint(admin: Admin, raw_key: str, customer_id: int, source: str) -> str:
    response = await admin.client.get(
        f"/api/external/v2/manage-subscription-link/{customer_id}",
        params={"source": source}, headers={"X-API-Key": raw_key},
    )
    assert response.status_code == 200, response.text
    return str(parse_qs(urlsplit(response.json()["manageSubscriptionLink"]).query)["token"][0])


async def test_stats_after_mints_and_a_redemption(admin: Admin) -> None:
    key, raw = await api_keys.create_key(admin.shop, "Klaviyo")
    token = await _mint(admin, raw, ALICE_ID, "klaviyo-winback")
    await _mint(admin, raw, BOB_ID, "klaviyo-winback")
    await _mint(admin, raw, BOB_ID, "helpdesk")
    alice = ProxyClient(admin.client, DEMO_SHOP)
    assert (await alice.post("", {"token": token})).status_code == 200
    # An old day outside the window is not counted.
    await LinkStat.create(shop_id=admin.shop.id, api_key_id=key.id, source="klaviyo-winback",
                          day=admin.now.date() - timedelta(days=30), mints=50)

    response = await admin.request("GET", "stats", days="30")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"] == 30
    winback, helpdesk = body["sources"]
    assert (winback["source"], winback["mints"], winback["redemptions"]) == (
        "klaviyo-winback", 2, 1)
    assert winback["redemption_rate"] == 0.5
    assert (winback["api_key_id"], winback["api_key_name"]) == (key.id, "Klaviyo")
    assert winback["api_key_prefix"] == key.prefix
    assert winback["daily"] == [
        {"day": admin.now.date().isoformat(), "mints": 2, "redemptions": 1}]
    assert (helpdesk["source"], helpdesk["mints"], helpdesk["redemption_rate"]) == (
        "helpdesk", 1, 0.0)

    wider = (await admin.request("GET", "stats", days="31")).json()["sources"]
    assert wider[0]["mints"] == 52 and len(wider[0]["daily"]) == 2
    assert wider[0]["daily"][0]["day"] < wider[0]["daily"][1]["day"]  # oldest first


async def test_stats_of_another_shop_are_not_shown(admin: Admin) -> None:
    other = await Shop.create(domain="other-shop.myshopify.com")
    await LinkStat.create(shop_id=other.id, api_key_id=0, source="x", day=admin.now.date(),
                          mints=3)
    assert (await admin.request("GET", "stats")).json()["sources"] == []


@pytest.mark.parametrize("query", ["days=0", "days=367", "days=abc", "days=-1", "days=",
                                   "days=1&days=2", "days=\u0661",
                                   "days=0000010000000", "days=1000000"])
async def test_bad_days_are_400(admin: Admin, query: str) -> None:
    response = await admin.client.get(f"/admin/api/stats?{query}", headers=admin.auth())
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert response.json()["field"] == "days"


async def test_cancellation_reasons_newest_first(admin: Admin, settings: Settings) -> None:
    alice = ProxyClient(admin.client, DEMO_SHOP)
    page = await enter(alice, keyring_from_settings(settings), ALICE_ID)
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    cancelled = await alice.post(f"/contracts/{ACTIVE}/cancel", {
        "session": session_from(contract.text), "reason": "<b>Too much coffee</b>"})
    assert cancelled.status_code == 200, cancelled.text
    await PortalEvent.create(shop_id=admin.shop.id, customer_id=BOB_ID, contract_id=1,
                             action="pause", detail="")

    response = await admin.request("GET", "cancellations", limit="50")
    assert response.status_code == 200
    (row,) = response.json()["cancellations"]
    assert (row["contract_id"], row["customer_id"], row["reason"]) == (
        ACTIVE, ALICE_ID, "<b>Too much coffee</b>")
    assert row["created_at"].endswith("Z")


async def test_cancellations_are_limited_and_without_reason_when_none_was_given(
    admin: Admin,
) -> None:
    for contract_id in (1, 2, 3):
        await PortalEvent.create(shop_id=admin.shop.id, customer_id=BOB_ID,
                                 contract_id=contract_id, action="cancel", detail="")
    rows = (await admin.request("GET", "cancellations", limit="2")).json()["cancellations"]
    assert [r["contract_id"] for r in rows] == [3, 2]
    assert rows[0]["reason"] == ""


@pytest.mark.parametrize("limit", ["0", "201", "x", "0000010000000"])
async def test_bad_limits_are_400(admin: Admin, limit: str) -> None:
    response = await admin.request("GET", "cancellations", limit=limit)
    assert response.status_code == 400 and response.json()["field"] == "limit"
