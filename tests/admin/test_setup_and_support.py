"""Setup status, "send a link to a customer", usage series and grouped cancellation reasons."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shopify_app.mirror.sync import sync_shop
from shopify_app.sandbox.demo import (
    ALICE_EMAIL,
    ALICE_ID,
    BOB_ID,
    DEMO_SHOP,
    OTHER_ALICE_ID,
    OTHER_SHOP,
)
from shopify_app.storage.models import ImportRun, LinkStat, PortalEvent, Shop, WebhookDelivery
from tests.admin.conftest import Admin
from tests.portal.proxy_client import ProxyClient
from tests.support.store import register_shop


@pytest.fixture
async def synced(admin: Admin) -> Admin:
    await sync_shop(admin.app.state.app_state.admin, admin.shop)
    other = await register_shop(admin.store, OTHER_SHOP)
    await sync_shop(admin.app.state.app_state.admin, other)
    return admin


async def test_the_setup_status_says_what_is_in_place(synced: Admin) -> None:
    await WebhookDelivery.create(webhook_id="w1", shop_domain=DEMO_SHOP,
                                 topic="subscription_contracts/update")
    body = (await synced.request("GET", "status")).json()
    assert body["installed"] is True and body["missing_scopes"] == []
    assert body["portal"]["path"] == "/tools/recurring/customer_portal"
    assert body["portal"]["url"].endswith("/tools/recurring/customer_portal")
    assert body["contracts"] > 0 and body["customers"] > 0
    # The fixture's `sync_shop` is the shop's import, finished.
    assert body["import"]["state"] == "done" and body["import"]["contracts"] > 0
    assert body["last_webhook"]["topic"] == "subscription_contracts/update"
    assert body["last_webhook"]["received_at"].endswith("Z")
    assert "." not in body["last_webhook"]["received_at"]  # no microseconds
    assert body["test_customer"]["customer_id"] == ALICE_ID


async def test_the_import_progress_is_shown(synced: Admin) -> None:
    # Progress is the durable import run, as any worker or process wrote it.
    await ImportRun.filter(shop_id=synced.shop.id).update(
        status="running", pages=3, contracts=600, finished_at=None)
    body = (await synced.request("GET", "status")).json()
    assert body["import"] == {"state": "running", "started_at": body["import"]["started_at"],
                              "pages": 3, "contracts": 600}
    await ImportRun.filter(shop_id=synced.shop.id).delete()
    assert (await synced.request("GET", "status")).json()["import"] is None  # never imported


@pytest.mark.parametrize("query", ["alice@", "ALICE", "martin alice", "Mart"])
async def test_customers_are_found_by_email_or_name(synced: Admin, query: str) -> None:
    body = (await synced.request("GET", "customers", q=query)).json()
    assert [c["customer_id"] for c in body["customers"]] == [ALICE_ID]
    assert body["customers"][0]["email"] == ALICE_EMAIL
    assert body["customers"][0]["name"] == "Alice Martin"


async def test_another_shops_customers_are_never_found(synced: Admin) -> None:
    body = (await synced.request("GET", "customers", q="Elsewhere")).json()
    assert body["customers"] == []


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
async def test_bad_searches_are_400(synced: Admin, query: str) -> None:
    response = await synced.request("GET", "customers", q=query)
    assert response.status_code == 400 and response.json()["code"] == "invalid_search"


async def test_a_support_link_opens_the_portal_and_is_counted(synced: Admin) -> None:
    await synced.request("PUT", "settings", json={"link_lifetime_minutes": 45})
    response = await synced.request("POST", f"customers/{ALICE_ID}/link")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["expires_in_minutes"] == 45 and body["expires_at"].endswith("Z")
    token = parse_qs(urlsplit(body["url"]).query)["token"][0]
    alice = ProxyClient(synced.client, DEMO_SHOP)
    assert (await alice.post("", {"token": token})).status_code == 200
    stats = (await synced.request("GET", "stats")).json()
    admin_row = next(s for s in stats["sources"] if s["source"] == "admin")
    assert (admin_row["mints"], admin_row["api_key_id"]) == (1, None)


@pytest.mark.parametrize(("customer", "status"), [
    (OTHER_ALICE_ID, 404),  # another shop's customer
    ("0", 400), ("abc", 400), ("9" * 30, 400),
])
async def test_links_for_customers_not_of_this_shop_are_refused(
    synced: Admin, customer: object, status: int
) -> None:
    response = await synced.request("POST", f"customers/{customer}/link")
    assert response.status_code == status, response.text


async def test_the_daily_series_covers_every_day(synced: Admin) -> None:
    today = synced.now.date()
    await LinkStat.create(shop_id=synced.shop.id, api_key_id=0, source="a", day=today,
                          mints=4, redemptions=1)
    await LinkStat.create(shop_id=synced.shop.id, api_key_id=0, source="b", day=today,
                          mints=2, redemptions=2)
    await LinkStat.create(shop_id=synced.shop.id, api_key_id=0, source="a",
                          day=today - timedelta(days=29), mints=7)
    daily = (await synced.request("GET", "stats")).json()["daily"]
    assert len(daily) == 30
    assert daily[-1] == {"day": today.isoformat(), "mints": 6, "redemptions": 3}
    assert daily[0]["mints"] == 7 and sum(d["mints"] for d in daily) == 13


async def test_cancellation_reasons_are_grouped_and_counted(synced: Admin) -> None:
    for reason in ["Too expensive", "too  expensive ", "Moving", None, None, None]:
        detail = json.dumps({"reason": reason}) if reason else ""
        await PortalEvent.create(shop_id=synced.shop.id, customer_id=BOB_ID, contract_id=1,
                                 action="cancel", detail=detail)
    body = (await synced.request("GET", "cancellations")).json()
    assert body["reasons"] == [{"reason": "", "count": 3},
                               {"reason": "Too expensive", "count": 2},
                               {"reason": "Moving", "count": 1}]


async def test_a_session_token_acts_only_on_its_own_shop(synced: Admin) -> None:
    """A staff member of the other shop, with a valid token for it, reaches only that shop."""
    theirs = synced.auth(shop=OTHER_SHOP)
    changed = await synced.request("PUT", "settings", json={"accent_color": "#123456"},
                                   headers=theirs)
    assert changed.status_code == 200
    demo_shop = await Shop.get(domain=DEMO_SHOP)
    assert demo_shop.accent_color != "#123456"
    assert (await Shop.get(domain=OTHER_SHOP)).accent_color == "#123456"
    found = (await synced.request("GET", "customers", q="alice", headers=theirs)).json()
    assert [c["customer_id"] for c in found["customers"]] == [OTHER_ALICE_ID]
    refused = await synced.request("POST", f"customers/{ALICE_ID}/link", headers=theirs)
    assert refused.status_code == 404
