"""What a page view costs us: the visit audit answered from memory on reloads, the shop read
with a prepared statement, and httpcore's per-request event-loop check served by sniffio."""

from __future__ import annotations

import copy
import importlib.util
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shopify_app.links.tokens import Keyring
from shopify_app.portal.entry import guard
from shopify_app.portal.entry.guard import ProxyContext
from shopify_app.portal.entry.redemption import (
    LOGIN_SOURCE,
    LOGIN_VISIT_WINDOW,
    ClientInfo,
    LoginVisits,
    record_login_visit,
)
from shopify_app.portal.views import addon_reads
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, ALICE_ID, BOB_ID, DEMO_SHOP
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.shopify import operations
from shopify_app.storage.models import PortalRedemption, Shop
from tests.conftest import TEST_SECRET
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CLIENT = ClientInfo("203.0.113.7", "ua")


@pytest.mark.parametrize(
    ("offset", "covered"),
    [
        (timedelta(0), True),
        (LOGIN_VISIT_WINDOW / 2, True),
        (LOGIN_VISIT_WINDOW - timedelta(seconds=1), True),
        (LOGIN_VISIT_WINDOW, False),  # a new visit
        (-timedelta(seconds=1), False),  # a clock before the row: the database decides
    ],
)
def test_remembered_visit_covers_its_window_only(offset: timedelta, covered: bool) -> None:
    visits = LoginVisits()
    visits.remember(1, ALICE_ID, NOW)
    assert visits.covers(1, ALICE_ID, NOW + offset) is covered
    assert not visits.covers(1, BOB_ID, NOW)  # per customer
    assert not visits.covers(2, ALICE_ID, NOW)  # per shop


def test_remembered_visits_are_bounded() -> None:
    visits = LoginVisits(limit=3)
    for customer_id in range(5):
        visits.remember(1, customer_id, NOW)
    assert len(visits._recorded) <= 3
    assert visits.covers(1, 4, NOW)  # the latest is always kept


async def test_a_remembered_visit_needs_no_query(bare_shop: Shop) -> None:
    context = ProxyContext(bare_shop, ALICE_ID, "/tools/recurring")
    visits = LoginVisits()
    assert await record_login_visit(context, ALICE_ID, CLIENT, TEST_SECRET, NOW, visits)
    # The row gone, only memory can still say "already recorded": it does, without a query.
    await PortalRedemption.all().delete()
    later = NOW + LOGIN_VISIT_WINDOW / 2
    assert not await record_login_visit(context, ALICE_ID, CLIENT, TEST_SECRET, later, visits)
    assert await PortalRedemption.all().count() == 0
    # Without that memory (another worker) the database decides: nothing there, a new row.
    assert await record_login_visit(context, ALICE_ID, CLIENT, TEST_SECRET, later, LoginVisits())


async def test_memory_keeps_the_rows_time_not_the_readers(bare_shop: Shop) -> None:
    """A worker learning of a row 20 minutes old must not stretch that visit by 20 minutes."""
    context = ProxyContext(bare_shop, ALICE_ID, "/tools/recurring")
    row_time = NOW - timedelta(minutes=20)
    await PortalRedemption.create(
        shop_id=bare_shop.id, customer_id=ALICE_ID, source=LOGIN_SOURCE, created_at=row_time
    )
    visits = LoginVisits()
    assert not await record_login_visit(context, ALICE_ID, CLIENT, TEST_SECRET, NOW, visits)
    assert visits.covers(bare_shop.id, ALICE_ID, row_time + LOGIN_VISIT_WINDOW / 2)
    past_window = row_time + LOGIN_VISIT_WINDOW + timedelta(seconds=1)
    assert not visits.covers(bare_shop.id, ALICE_ID, past_window)
    assert await record_login_visit(context, ALICE_ID, CLIENT, TEST_SECRET, past_window, visits)
    assert await PortalRedemption.filter(customer_id=ALICE_ID).count() == 2


async def test_reloads_through_the_proxy_write_one_audit_row(alice: ProxyClient) -> None:
    alice.customer_id = ALICE_ID
    for _ in range(4):
        assert (await alice.get()).status_code == 200
    rows = await PortalRedemption.filter(customer_id=ALICE_ID, source=LOGIN_SOURCE)
    assert len(rows) == 1


async def test_shop_lookup_reads_the_same_row_as_the_orm(bare_shop: Shop) -> None:
    await Shop.filter(pk=bare_shop.pk).update(portal_format="html", link_policy="reusable")
    expected = await Shop.get(domain=DEMO_SHOP)
    found = await guard.shop_by_domain(DEMO_SHOP)
    assert found is not None
    for name in Shop._meta.fields_map:
        if name in Shop._meta.fetch_fields:
            continue
        assert getattr(found, name) == getattr(expected, name), name
    # Nothing but the statement is kept: a later change is read at the next lookup.
    await Shop.filter(pk=bare_shop.pk).update(portal_format="liquid", uninstalled_at=NOW)
    again = await guard.shop_by_domain(DEMO_SHOP)
    assert again is not None and again.portal_format == "liquid"
    assert again.uninstalled_at == NOW and not again.installed


@pytest.mark.parametrize("domain", ["other-shop.myshopify.com", "", "x' OR '1'='1"])
async def test_shop_lookup_of_an_unknown_domain_is_none(bare_shop: Shop, domain: str) -> None:
    assert await guard.shop_by_domain(domain) is None


def test_sniffio_is_installed_for_httpcore() -> None:
    # Without it httpcore's `import sniffio`, on every pooled request, fails after scanning
    # sys.path: about a tenth of a portal view's CPU (pyproject.toml lists it for that).
    assert importlib.util.find_spec("sniffio") is not None


async def requested_cost(store: Any, name: str, variables: dict[str, Any]) -> int:
    """The requested cost Shopify (here the simulated store) reports for one query."""
    transport = httpx.ASGITransport(build_store_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as http:
        response = await http.post(
            f"/shops/{DEMO_SHOP}/admin/api/2026-01/graphql.json",
            json={"query": operations.load(name), "variables": variables},
            headers={"X-Shopify-Access-Token": store.token_of(DEMO_SHOP)},
        )
    payload = response.json()
    assert not payload.get("errors"), payload
    cost: int = payload["extensions"]["cost"]["requestedQueryCost"]
    return cost


async def test_a_view_stays_within_its_cost_budget() -> None:
    """Shopify restores 100 points a second per store: an overview within 100, a
    subscription's page within 60, so a campaign's clicks are not throttled at once."""
    store = simulated_store()
    customer = {"customerId": f"gid://shopify/Customer/{ALICE_ID}"}
    contract = {
        "contractId": f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
        "cyclesStart": "2026-03-01T00:00:00Z",
        "cyclesEnd": "2027-03-02T00:00:00Z",
    }
    assert await requested_cost(store, "PortalOverview", customer) <= 100
    assert await requested_cost(store, "PortalOrders", customer) <= 60
    assert await requested_cost(store, "PortalContract", contract) <= 60
    # A shop offering add-ons: a customer with one on an upcoming order adds that cycle's
    # read, within the same 60; the shop's offers are read once a minute for every customer.
    cycle = {"contractId": contract["contractId"], "index": 1, "lines": addon_reads.ADDON_LINES}
    assert await requested_cost(store, "PortalContract", contract) + await requested_cost(
        store, "PortalCycleAddOns", cycle) <= 60
    offers = [f"gid://shopify/ProductVariant/{n}" for n in range(addon_reads.MAX_OFFERED)]
    assert await requested_cost(store, "PortalAddOnOffers", {"offered": offers}) <= 60


async def test_more_subscriptions_are_a_second_request_when_asked(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, store: Any
) -> None:
    template = store.contracts[ALICE_ACTIVE_CONTRACT_ID]
    extra = [ALICE_ACTIVE_CONTRACT_ID + 100 + n for n in range(6)]
    for contract_id in extra:
        store.add_contract(replace(copy.deepcopy(template), id=contract_id))
    page = await enter(alice, keyring, ALICE_ID)
    first = re.findall(r'<article class="sp-card" id="contract-(\d+)"', page)
    assert len(first) == 5 and admin_calls.operations == ["PortalOverview"]
    cursor = re.search(r'name="after" value="([^"]+)"', page)
    assert cursor and 'data-testid="more-subscriptions"' in page
    more = await alice.post("", {"session": session_from(page), "after": cursor.group(1)})
    rest = re.findall(r'<article class="sp-card" id="contract-(\d+)"', more.text)
    assert len(rest) == 3 and not set(rest) & set(first)
    assert admin_calls.operations == ["PortalOverview", "PortalOverview"]
    assert 'data-testid="more-subscriptions"' not in more.text
