"""Redemption by POST, the pages, navigation with the session, deep links, the audit."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from shopify_app.links.tokens import Keyring
from shopify_app.portal.entry import redemption, sessions
from shopify_app.portal.entry.guard import ProxyContext
from shopify_app.portal.entry.redemption import ClientInfo
from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID,
    ALICE_ID,
    ALICE_PAUSED_CONTRACT_ID,
    BOB_CONTRACT_ID,
    BOB_ID,
    DAVE_ID,
    DEMO_SHOP,
    EVE_ID,
    OTHER_SHOP,
)
from shopify_app.storage.models import LinkStat, PortalRedemption, Shop
from tests.conftest import TEST_SECRET
from tests.portal.conftest import CountingTransport, enter, make_token
from tests.portal.proxy_client import ProxyClient, session_from
from tests.support.store import register_shop

LOGIN = 'href="https://shop.demo.test/account/login?return_url=/tools/recurring/customer_portal"'


async def test_redeeming_shows_every_subscription_in_one_request(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, store: Any
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    assert admin_calls.operations == ["PortalOverview"]
    for contract_id in (ALICE_ACTIVE_CONTRACT_ID, ALICE_PAUSED_CONTRACT_ID):
        assert f'data-testid="contract-{contract_id}"' in page
    assert 'data-status="ACTIVE"' in page and 'data-status="PAUSED"' in page
    terms = store.contracts[ALICE_ACTIVE_CONTRACT_ID].terms
    line = terms.lines[0]
    assert f"<strong>{line.title}</strong>" in page
    assert f'<div class="sp-muted">{line.variant_title}</div>' in page
    assert f"{line.quantity} &#215; ${line.price:.2f}" in page
    # the card shows what the overview needs; address and card are on the subscription's page
    assert "Visa ending in 4242" not in page and terms.address.address1 not in page
    assert 'data-testid="estimated-total">$43.60<' in page  # discounts read for the estimate
    assert "Every month" in page and "Every 2 weeks" in page and "Every 1 month" not in page
    assert re.search(
        r'<img class="sp-thumb" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"'
        r' alt="House Blend Coffee"',
        page,
    )
    assert '<time datetime="' in page
    assert session_from(page)


async def test_a_single_use_link_works_once_and_then_points_to_login(
    alice: ProxyClient, keyring: Keyring
) -> None:
    token = make_token(keyring, ALICE_ID)
    assert (await alice.post("", {"token": token})).status_code == 200
    again = await alice.post("", {"token": token})
    assert again.status_code == 410
    assert 'data-code="token_spent"' in again.text and LOGIN in again.text
    assert (await alice.get(token=token)).status_code == 410


async def test_fifty_racing_redemptions_have_one_winner(
    alice: ProxyClient, keyring: Keyring
) -> None:
    token = make_token(keyring, ALICE_ID)
    responses = await asyncio.gather(*(alice.post("", {"token": token}) for _ in range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [410] * 49
    assert await PortalRedemption.filter(customer_id=ALICE_ID).count() == 1


async def test_reusable_links_work_until_expiry(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    shop.link_policy = "reusable"
    await shop.save()
    token = make_token(keyring, ALICE_ID, source="klaviyo-winback", api_key_id=3)
    for _ in range(2):
        assert (await alice.post("", {"token": token})).status_code == 200
    rows = await PortalRedemption.filter(customer_id=ALICE_ID)
    assert [r.source for r in rows] == ["klaviyo-winback"] * 2
    stat = await LinkStat.get(shop_id=shop.id, api_key_id=3, source="klaviyo-winback")
    assert stat.redemptions == 2


async def test_redemption_audit(alice: ProxyClient, keyring: Keyring, shop: Shop) -> None:
    alice.headers["user-agent"] = "x" * 2000
    alice.headers["x-forwarded-for"] = "198.51.100.23, 10.0.0.1"
    await enter(alice, keyring, ALICE_ID, source="email", api_key_id=5)
    row = await PortalRedemption.get(customer_id=ALICE_ID)
    assert (row.shop_id, row.source, row.api_key_id) == (shop.id, "email", 5)
    assert len(row.user_agent) == 512
    assert re.fullmatch(r"[0-9a-f]{64}", row.client_hash)
    assert "198.51.100.23" not in row.client_hash
    other = ProxyClient(alice.http, DEMO_SHOP, headers={"x-forwarded-for": "198.51.100.23"})
    await enter(other, keyring, ALICE_ID)
    rows = await PortalRedemption.filter(customer_id=ALICE_ID).order_by("id")
    assert rows[1].client_hash == row.client_hash  # same first hop, same hash
    assert (await LinkStat.get(shop_id=shop.id, source="email")).redemptions == 1


@pytest.mark.parametrize("case", ["other logged-in customer", "other shop"])
async def test_redeeming_a_token_for_someone_else_is_refused(
    alice: ProxyClient, keyring: Keyring, case: str
) -> None:
    token = make_token(keyring, ALICE_ID)
    if case == "other logged-in customer":
        alice.customer_id = BOB_ID
    else:
        token = make_token(keyring, ALICE_ID, shop=OTHER_SHOP)
    response = await alice.post("", {"token": token})
    assert response.status_code == 403
    assert 'data-code="token_mismatch"' in response.text
    assert token not in response.text and 'name="session"' not in response.text
    assert await PortalRedemption.all().count() == 0


async def test_liquid_and_html_injection_shows_literally(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await enter(alice, keyring, EVE_ID)
    assert "&#123;&#123; shop.name &#125;&#125;" in page
    for forbidden in ("{{", "{%", "<script>alert"):
        assert forbidden not in page


async def test_logged_in_customer_needs_no_link(
    alice: ProxyClient, admin_calls: CountingTransport
) -> None:
    alice.customer_id = ALICE_ID
    response = await alice.get()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/liquid")
    assert f'data-testid="contract-{ALICE_ACTIVE_CONTRACT_ID}"' in response.text
    assert admin_calls.operations == ["PortalOverview"]
    row = await PortalRedemption.get(customer_id=ALICE_ID)
    assert row.source == "storefront-login" and row.jti is None
    detail = await alice.get(f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}")
    assert detail.status_code == 200 and 'data-testid="upcoming"' in detail.text


async def test_a_signed_in_customer_is_audited_once_per_visit_not_per_page_view(
    alice: ProxyClient, shop: Shop
) -> None:
    alice.customer_id = ALICE_ID
    for _ in range(3):  # reloads of the main page
        assert (await alice.get()).status_code == 200
    assert await PortalRedemption.filter(customer_id=ALICE_ID).count() == 1

    context = ProxyContext(shop, ALICE_ID, "/tools/recurring")
    client = ClientInfo("203.0.113.7", "ua")
    now = datetime.now(UTC)
    window = redemption.LOGIN_VISIT_WINDOW
    record = redemption.record_login_visit
    assert not await record(context, ALICE_ID, client, TEST_SECRET, now + window / 2)
    assert await record(context, ALICE_ID, client, TEST_SECRET, now + window * 2)  # a new visit
    assert await record(context, BOB_ID, client, TEST_SECRET, now)  # per customer
    assert await PortalRedemption.filter(customer_id=ALICE_ID).count() == 2


async def test_navigation_carries_the_session_in_the_body(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport
) -> None:
    page = await enter(alice, keyring, DAVE_ID)
    assert 'data-testid="no-subscriptions"' in page
    orders = await alice.post("/orders", {"session": session_from(page)})
    assert orders.status_code == 200
    assert 'data-testid="order"' in orders.text
    assert "session" not in str(orders.url)
    admin_calls.operations.clear()
    detail = await alice.post(
        f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}",
        headers={"x-portal-session": session_from(orders.text)},
    )
    assert detail.status_code == 404  # Dave's session, Alice's contract
    assert 'data-code="contract_not_found"' in detail.text
    assert 'data-testid="back-to-portal"' in detail.text


async def test_contract_page_lists_upcoming_orders_in_one_request(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    admin_calls.operations.clear()
    detail = await alice.post(
        f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}", {"session": session_from(page)}
    )
    assert detail.status_code == 200
    assert admin_calls.operations == ["PortalContract"]
    assert len(re.findall(r'data-testid="cycle-\d+"', detail.text)) >= 3
    for action in ("pause", "skip", "cancel", "change-frequency", "change-address"):
        assert f'data-testid="action-{action}"' in detail.text
    assert 'data-testid="action-resume"' not in detail.text


async def test_contract_page_groups_actions_by_how_often_they_are_used(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    html = (
        await alice.post(f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}", {"session": session_from(page)})
    ).text
    # quick actions, then upcoming orders, the schedule, rarer edits, and cancelling last
    order = [
        'id="manage"', 'id="upcoming"', 'id="schedule"', 'id="changes"', 'id="cancel"'
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    for section in ("quantity", "address", "discounts"):
        assert re.search(rf'<details class="sp-disclosure" id="{section}">', html)
    cancel = html[html.index('id="cancel"'):]
    assert cancel.index("<details") < cancel.index('data-testid="action-cancel"')
    assert "Estimated total $43.60" in html
    assert '<details class="sp-disclosure" open>' not in html  # nothing opened by itself


async def test_a_refused_change_reopens_its_disclosure(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    refused = await alice.post(
        f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}/apply_discount",
        {"session": session_from(page), "code": "NOT-A-CODE"},
    )
    assert 'data-testid="flash-error"' in refused.text
    assert '<details class="sp-disclosure" id="discounts" open>' in refused.text
    assert 'data-focus="discounts"' in refused.text


@pytest.mark.parametrize(
    ("destination", "marker"),
    [
        ("orders", 'id="orders"'),
        (f"contract:{ALICE_PAUSED_CONTRACT_ID}", 'data-testid="action-resume"'),
        ("address", 'data-focus="address"'),
        ("payment", 'data-focus="manage"'),
        ("upcoming", 'data-focus="upcoming"'),
        (f"address:{ALICE_PAUSED_CONTRACT_ID}", 'data-testid="action-resume"'),
        ("subscriptions", 'id="subscriptions"'),
        ("nonsense", 'id="subscriptions"'),
    ],
)
async def test_deep_links_open_their_section(
    alice: ProxyClient, keyring: Keyring, destination: str, marker: str
) -> None:
    page = await enter(alice, keyring, ALICE_ID, destination=destination)
    assert marker in page


async def test_deep_link_to_someone_elses_contract(alice: ProxyClient, keyring: Keyring) -> None:
    token = make_token(keyring, ALICE_ID, destination=f"contract:{BOB_CONTRACT_ID}")
    response = await alice.post("", {"token": token})
    assert response.status_code == 404
    assert 'data-code="contract_not_found"' in response.text


async def test_locale_from_the_link(alice: ProxyClient, keyring: Keyring) -> None:
    page = await enter(alice, keyring, ALICE_ID, locale="fr")
    assert 'lang="fr"' in page and "Vos abonnements" in page
    orders = await alice.post("/orders", {"session": session_from(page)})
    assert "Historique des commandes" in orders.text  # the session keeps the locale


@pytest.mark.parametrize(
    ("make_value", "code"),
    [
        (lambda keyring, page: "", "session_required"),
        (lambda keyring, page: "garbage", "session_invalid"),
        (lambda keyring, page: make_token(keyring, ALICE_ID), "session_invalid"),
        (
            lambda keyring, page: session_from(page)[:-3] + "AAA",
            "session_invalid",
        ),
    ],
    ids=["missing", "garbage", "a link token", "tampered"],
)
async def test_posts_without_a_valid_session_are_refused(
    alice: ProxyClient, keyring: Keyring, make_value: Any, code: str
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    value = make_value(keyring, page)
    for path in ("/orders", f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}/pause"):
        response = await alice.post(path, {"session": value} if value else {})
        assert response.status_code == 403
        assert f'data-code="{code}"' in response.text and LOGIN in response.text


async def test_expired_session(alice: ProxyClient, keyring: Keyring) -> None:
    from datetime import UTC, datetime, timedelta

    old = sessions.start(
        keyring,
        shop=DEMO_SHOP,
        customer_id=ALICE_ID,
        now=datetime.now(UTC) - timedelta(hours=1),
        locale="en",
    )
    response = await alice.post("/orders", {"session": old.value})
    assert response.status_code == 403
    assert 'data-code="session_expired"' in response.text and LOGIN in response.text


async def test_session_is_bound_to_shop_and_logged_in_customer(
    alice: ProxyClient, keyring: Keyring, store: Any, http: httpx.AsyncClient
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    value = session_from(page)
    await register_shop(store, OTHER_SHOP)
    elsewhere = ProxyClient(http, OTHER_SHOP)
    assert (await elsewhere.post("/orders", {"session": value})).status_code == 403
    alice.customer_id = BOB_ID  # the storefront now says Bob is signed in
    response = await alice.post("/orders", {"session": value})
    assert response.status_code == 403 and 'data-code="session_invalid"' in response.text


async def test_unknown_portal_path(alice: ProxyClient) -> None:
    alice.customer_id = ALICE_ID
    response = await alice.get("/nope")
    assert response.status_code == 404
    assert 'data-testid="friendly"' in response.text
