"""`sync_shop`: the simulated store's contracts and customers land in the local mirror."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from shopify_app.links import customers
from shopify_app.mirror.sync import SyncFailed, SyncProgress, parse_page, sync_shop
from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID,
    ALICE_EMAIL,
    ALICE_ID,
    BOB_CONTRACT_ID,
    BOB_ID,
    CAROL_ID,
    DAVE_ID,
    DEMO_SHOP,
    EVE_ID,
    OLGA_ID,
)
from shopify_app.sandbox.records import CustomerRecord
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUnavailable
from shopify_app.storage.models import Customer, Shop, SubscriptionContract
from shopify_app.webhooks import deliveries
from tests.support.store import register_shop

DEMO_CONTRACTS = 5  # Alice's two, Bob's, Carol's, Eve's


@pytest.fixture
async def admin(
    settings: Settings, store_transport: httpx.ASGITransport
) -> AsyncIterator[AdminClient]:
    async with httpx.AsyncClient(transport=store_transport) as http:
        # One attempt: a failing Shopify fails at once, no retry sleeps.
        yield AdminClient(http, settings.with_changes(shopify_max_attempts=1))


@pytest.fixture
async def shop(database: str, store: SimulatedStore) -> Shop:
    return await register_shop(store, DEMO_SHOP)


def add_subscribers(store: SimulatedStore, count: int, *, first_id: int = 9_000_000_000_001,
                    contracts_each: int = 1) -> None:
    """`count` more customers of the demo shop, each with copies of Bob's contract."""
    template = store.contracts[BOB_CONTRACT_ID]
    contract_id = 9_500_000_000_001
    for n in range(count):
        customer_id = first_id + n
        store.add_customer(CustomerRecord(customer_id, DEMO_SHOP, f"First{n}", f"Last{n}",
                                          f"Person{n}@Example.COM"))
        for _ in range(contracts_each):
            store.add_contract(dataclasses.replace(template, id=contract_id,
                                                   customer_id=customer_id))
            contract_id += 1


async def test_sync_mirrors_the_demo_shop(admin: AdminClient, shop: Shop,
                                          store: SimulatedStore) -> None:
    result = await sync_shop(admin, shop)

    assert (result.pages, result.contracts, result.customers, result.done) == (1, 5, 4, True)
    mirror = {c.contract_id: c for c in await SubscriptionContract.filter(shop=shop)}
    assert len(mirror) == DEMO_CONTRACTS
    alice_active = mirror[ALICE_ACTIVE_CONTRACT_ID]
    record = store.contracts[ALICE_ACTIVE_CONTRACT_ID]
    assert (alice_active.customer_id, alice_active.status, alice_active.currency) == (
        ALICE_ID, "active", "USD")
    assert alice_active.next_billing_date == record.terms.next_billing_date
    assert alice_active.updated_at == record.updated_at
    customers = {c.customer_id: c for c in await Customer.filter(shop=shop)}
    assert set(customers) == {ALICE_ID, BOB_ID, CAROL_ID, EVE_ID}  # not Dave: no contract
    alice = customers[ALICE_ID]
    assert (alice.email, alice.first_name, alice.last_name) == (ALICE_EMAIL, "Alice", "Martin")
    assert (alice.active_subscriptions, alice.inactive_subscriptions) == (1, 1)
    assert alice.next_order_date == record.terms.next_billing_date  # the active one's
    assert (alice.lifetime_value, alice.currency) == (Decimal("138.91"), "USD")
    carol = customers[CAROL_ID]
    assert (carol.active_subscriptions, carol.inactive_subscriptions) == (0, 1)
    assert carol.next_order_date is None


async def test_sync_imports_only_the_shops_own_contracts(
    admin: AdminClient, shop: Shop, store: SimulatedStore
) -> None:
    other = await register_shop(store, "other-shop.myshopify.com")
    await sync_shop(admin, shop)
    assert not await Customer.filter(customer_id=OLGA_ID).exists()
    assert await SubscriptionContract.filter(shop=other).count() == 0


async def test_running_again_is_idempotent_and_keeps_revocations(
    admin: AdminClient, shop: Shop
) -> None:
    revoked_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    # Known before the sync (a mint looked it up), with a revocation and stale counters.
    await Customer.create(shop=shop, customer_id=BOB_ID, email="old@example.com",
                          active_subscriptions=7, links_valid_after=revoked_at)
    await sync_shop(admin, shop)
    first = [(c.customer_id, c.email, c.active_subscriptions, c.inactive_subscriptions,
              c.next_order_date, c.lifetime_value)
             for c in await Customer.filter(shop=shop).order_by("customer_id")]
    contracts = await SubscriptionContract.filter(shop=shop).order_by("contract_id").values()

    await sync_shop(admin, shop)

    again = [(c.customer_id, c.email, c.active_subscriptions, c.inactive_subscriptions,
              c.next_order_date, c.lifetime_value)
             for c in await Customer.filter(shop=shop).order_by("customer_id")]
    assert again == first
    assert await SubscriptionContract.filter(shop=shop).order_by("contract_id").values() \
        == contracts
    bob = await Customer.get(shop=shop, customer_id=BOB_ID)
    assert bob.links_valid_after == revoked_at
    assert (bob.email, bob.active_subscriptions) == ("bob@example.com", 1)


async def test_changes_are_picked_up_and_vanished_contracts_left_alone(
    admin: AdminClient, shop: Shop, store: SimulatedStore
) -> None:
    await sync_shop(admin, shop)
    store.contracts[BOB_CONTRACT_ID].terms.status = "PAUSED"
    del store.contracts[ALICE_ACTIVE_CONTRACT_ID]

    await sync_shop(admin, shop)

    bob = await Customer.get(shop=shop, customer_id=BOB_ID)
    assert (bob.active_subscriptions, bob.inactive_subscriptions) == (0, 1)
    assert bob.next_order_date is None
    gone = await SubscriptionContract.get(shop=shop, contract_id=ALICE_ACTIVE_CONTRACT_ID)
    assert gone.status == "active"  # not returned any more: left as it was
    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert (alice.active_subscriptions, alice.inactive_subscriptions) == (1, 1)


async def test_pages_through_every_contract_with_progress(
    admin: AdminClient, shop: Shop, store: SimulatedStore
) -> None:
    # 210 customers with 2 contracts each: 425 contracts, 3 pages of 200, and customers
    # whose two contracts sit on different pages.
    add_subscribers(store, 210, contracts_each=2)
    seen: list[SyncProgress] = []

    result = await sync_shop(admin, shop, progress=seen.append)

    assert [(p.pages, p.contracts, p.done) for p in seen] == [
        (1, 200, False), (2, 400, False), (3, 425, True)]
    assert result == seen[-1] and result.customers == 4 + 210
    assert await SubscriptionContract.filter(shop=shop).count() == 425
    counts = await Customer.filter(shop=shop, customer_id__gte=9_000_000_000_001).values_list(
        "active_subscriptions", flat=True)
    assert sorted(set(counts)) == [2] and len(counts) == 210
    person = await Customer.get(shop=shop, customer_id=9_000_000_000_001)
    assert person.email == "person0@example.com"  # lower-cased
    assert store.requests.count((DEMO_SHOP, "SubscriptionContracts")) == 3


async def test_a_failure_keeps_the_pages_already_imported(
    admin: AdminClient, shop: Shop, store: SimulatedStore
) -> None:
    add_subscribers(store, 300)

    def fail_next_page(progress: SyncProgress) -> None:
        store.faults.push(DEMO_SHOP, "http_500")

    with pytest.raises(ShopifyUnavailable):
        await sync_shop(admin, shop, progress=fail_next_page)
    assert await SubscriptionContract.filter(shop=shop).count() == 200

    result = await sync_shop(admin, shop)  # running again completes it
    assert result.contracts == await SubscriptionContract.filter(shop=shop).count() == 305


async def test_a_contract_without_customer_is_skipped(
    admin: AdminClient, shop: Shop, store: SimulatedStore
) -> None:
    del store.customers[CAROL_ID]  # a deleted customer: the contract's `customer` is null
    result = await sync_shop(admin, shop)
    assert (result.contracts, result.skipped) == (4, 1)
    assert not await Customer.filter(customer_id=CAROL_ID).exists()


@pytest.mark.parametrize(
    ("node", "contracts", "skipped"),
    [
        ({"id": "gid://shopify/SubscriptionContract/1", "status": "ACTIVE",
          "customer": {"id": "gid://shopify/Customer/2"}}, 1, 0),
        ({"id": "gid://shopify/SubscriptionContract/1", "customer": None}, 0, 1),
        ({"id": "gid://shopify/SubscriptionContract/abc",
          "customer": {"id": "gid://shopify/Customer/2"}}, 0, 1),
        ({"id": "gid://shopify/SubscriptionContract/1",
          "customer": {"id": "gid://shopify/Customer/0"}}, 0, 1),
        ({"id": None, "customer": {"id": "gid://shopify/Customer/2"}}, 0, 1),
    ],
)
def test_parse_page_skips_unusable_nodes(node: dict[str, object], contracts: int,
                                         skipped: int) -> None:
    page = parse_page([node])
    assert (len(page.contracts), page.skipped) == (contracts, skipped)


@pytest.mark.parametrize(
    ("spent", "value", "currency"),
    [
        ({"amount": "12.5", "currencyCode": "EUR"}, Decimal("12.5"), "EUR"),
        ({"amount": "not a number", "currencyCode": "EUR"}, None, "EUR"),
        ({"amount": "NaN", "currencyCode": "EUR"}, None, "EUR"),
        (None, None, None),
    ],
)
def test_parse_page_reads_the_lifetime_value(
    spent: dict[str, str] | None, value: Decimal | None, currency: str | None
) -> None:
    node = {"id": "gid://shopify/SubscriptionContract/1", "status": "PAUSED",
            "customer": {"id": "gid://shopify/Customer/2", "amountSpent": spent,
                         "defaultEmailAddress": {"emailAddress": " Mixed@Case.Example "}}}
    profile = parse_page([node]).profiles[2]
    assert (profile.lifetime_value, profile.currency) == (value, currency)
    assert profile.email == "mixed@case.example"
    assert parse_page([node]).contracts[0].status == "paused"


async def test_a_cursor_that_does_not_move_stops_the_sync(shop: Shop, settings: Settings) -> None:
    # A misbehaviour the simulated store cannot show: answered by a transport of its own.
    page = {"data": {"subscriptionContracts": {
        "nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}}}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=page))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(SyncFailed):
            await sync_shop(AdminClient(http, settings), shop)


async def test_dave_without_contracts_is_not_imported(admin: AdminClient, shop: Shop) -> None:
    await sync_shop(admin, shop)
    assert not await Customer.filter(customer_id=DAVE_ID).exists()


async def test_a_looked_up_customer_keeps_exact_counters_through_webhooks(
    admin: AdminClient, shop: Shop
) -> None:
    # Never synced: the link API looks Alice up (both contracts), then one contract changes.
    await customers.find_by_id(admin, shop, ALICE_ID)
    payload = {"admin_graphql_api_id": f"gid://shopify/SubscriptionContract/"
               f"{ALICE_ACTIVE_CONTRACT_ID}",
               "admin_graphql_api_customer_id": f"gid://shopify/Customer/{ALICE_ID}",
               "status": "paused"}
    delivery = deliveries.Delivery("subscription_contracts/pause", DEMO_SHOP, "wh-1", payload)
    assert await deliveries.receive(delivery, now=datetime.now(UTC))
    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert (alice.active_subscriptions, alice.inactive_subscriptions) == (0, 2)
