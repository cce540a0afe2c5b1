"""The per-customer read cache (issue 11, item 14): repeat views cost Shopify nothing, yet a
page never shows a state older than the customer's last change (their own, in this worker or
another, or one a contract webhook told us about)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shopify_app.links.tokens import Keyring
from shopify_app.mirror import contract_events
from shopify_app.portal.views.read_cache import ReadCache, last_change
from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID,
    ALICE_ID,
    ALICE_PAUSED_CONTRACT_ID,
    DEMO_SHOP,
)
from shopify_app.storage.models import PortalEvent, Shop
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = (1, ALICE_ID, "overview", "")


def test_an_entry_lives_for_its_time_only() -> None:
    cache = ReadCache(ttl=timedelta(seconds=60))
    cache.put(KEY, "page", NOW)
    assert cache.get(KEY, NOW + timedelta(seconds=59), None) == "page"
    assert cache.get(KEY, NOW + timedelta(seconds=60), None) is None
    cache.put(KEY, "page", NOW)
    assert cache.get(KEY, NOW - timedelta(seconds=1), None) is None  # a clock gone back


def test_a_change_after_the_read_makes_it_stale_and_before_it_does_not() -> None:
    cache = ReadCache()
    cache.put(KEY, "page", NOW)
    assert cache.get(KEY, NOW + timedelta(seconds=5), NOW - timedelta(seconds=1)) == "page"
    assert cache.get(KEY, NOW + timedelta(seconds=5), NOW) is None  # same moment: stale


def test_forget_drops_only_that_customer_and_the_size_is_bounded() -> None:
    cache = ReadCache(limit=3)
    other = (1, 99, "overview", "")
    cache.put(KEY, "alice", NOW)
    cache.put(other, "other", NOW)
    cache.forget(1, ALICE_ID)
    assert cache.get(KEY, NOW, None) is None and cache.get(other, NOW, None) == "other"
    for n in range(5):
        cache.put((1, n, "orders", ""), n, NOW)
    assert len(cache._entries) == 3


async def view(client: ProxyClient, page: str, path: str = "") -> str:
    response = await client.post(path, {"session": session_from(page)})
    assert response.status_code == 200, response.text
    return response.text


async def test_repeat_views_need_no_admin_api_request(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    contract = f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}"
    for path in ("", "/orders", contract):
        await view(alice, page, path)
    first = list(admin_calls.operations)
    assert first == ["PortalOverview", "PortalOrders", "PortalContract"]
    for path in ("", "/orders", contract, "", contract):
        again = await view(alice, page, path)
    assert admin_calls.operations == first  # nothing more
    assert f'data-testid="contract-{ALICE_ACTIVE_CONTRACT_ID}"' in again


async def test_the_customer_s_own_change_shows_at_once(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    contract = f"/contracts/{ALICE_ACTIVE_CONTRACT_ID}"
    shown = await view(alice, page, contract)
    paused = await alice.post(f"{contract}/pause", {"session": session_from(shown)})
    assert 'data-testid="flash-success"' in paused.text
    overview = await view(alice, paused.text)
    # the overview read before the change is not reused: the card says paused
    card = overview.split(f'data-testid="contract-{ALICE_ACTIVE_CONTRACT_ID}"', 1)[1]
    assert 'data-testid="contract-status">Paused<' in card.split("</article>", 1)[0]


async def test_a_change_recorded_by_another_worker_is_not_hidden(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, store: Any
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    assert admin_calls.operations == ["PortalOverview"]
    # another worker paused it: Shopify has it, and so does our event table (its own clock)
    store.contracts[ALICE_ACTIVE_CONTRACT_ID].terms.status = "PAUSED"
    shop = await Shop.get(domain=DEMO_SHOP)
    await PortalEvent.create(
        shop_id=shop.id, customer_id=ALICE_ID, contract_id=ALICE_ACTIVE_CONTRACT_ID, action="pause"
    )
    again = await view(alice, page)
    assert admin_calls.operations == ["PortalOverview", "PortalOverview"]
    assert again.count('data-testid="contract-status">Paused<') == 2


async def test_a_contract_webhook_makes_the_cached_read_stale(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, store: Any
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    store.contracts[ALICE_PAUSED_CONTRACT_ID].terms.status = "ACTIVE"
    payload = {
        "admin_graphql_api_id": f"gid://shopify/SubscriptionContract/{ALICE_PAUSED_CONTRACT_ID}",
        "admin_graphql_api_customer_id": f"gid://shopify/Customer/{ALICE_ID}",
        "status": "active",
    }
    await contract_events.apply(DEMO_SHOP, payload, datetime.now(UTC))
    shop = await Shop.get(domain=DEMO_SHOP)
    assert await last_change(shop.id, ALICE_ID) is not None
    again = await view(alice, page)
    assert admin_calls.operations == ["PortalOverview", "PortalOverview"]
    assert 'data-testid="contract-status">Paused<' not in again
