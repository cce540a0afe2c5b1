"""The overview card after a skip: the first cycle that will bill, not Shopify's
`nextBillingDate` (kept on the skipped cycle); one small extra read only where a card's date is
a cycle we know was skipped, none for a customer who skipped nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from shopify_app.links.tokens import Keyring
from shopify_app.mirror import skipped_cycles
from shopify_app.sandbox import cycles
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.storage.models import Shop, SkippedCycle
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from
from tests.portal.test_view_costs import requested_cost

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def card_next_order(page: str, contract_id: int) -> str:
    """The `<time datetime>` of the card's "Next order" fact."""
    card = page.split(f'id="contract-{contract_id}"', 1)[1].split("</article>", 1)[0]
    found = re.search(r'data-testid="next-order"><time datetime="([0-9-]+)"', card)
    assert found, card
    return found.group(1)


async def _skip_next(alice: ProxyClient, page: str) -> str:
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    skipped = await alice.post(
        f"/contracts/{ACTIVE}/skip", {"session": session_from(contract.text)}
    )
    assert skipped.status_code == 200, skipped.text
    return skipped.text


async def test_after_a_skip_the_card_shows_the_next_unskipped_order(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, store: Any
) -> None:
    record = store.contracts[ACTIVE]
    page = await enter(alice, keyring, ALICE_ID)
    first = cycles.cycle(record, record.next_cycle_index)
    assert card_next_order(page, ACTIVE) == first.expected_at.date().isoformat()

    after = await _skip_next(alice, page)
    assert record.skipped_cycles == {first.index}
    # Shopify keeps nextBillingDate on the skipped cycle: the hint is what moves the card.
    assert record.terms.next_billing_date == first.expected_at
    admin_calls.operations.clear()
    overview = await alice.post("", {"session": session_from(after)})
    following = cycles.cycle(record, first.index + 1)
    assert card_next_order(overview.text, ACTIVE) == following.expected_at.date().isoformat()
    assert admin_calls.operations == ["PortalOverview", "PortalNextOrder"]

    # Unskipped again: the card is back on the first cycle, without the extra read.
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(overview.text)})
    back = await alice.post(
        f"/contracts/{ACTIVE}/unskip",
        {"session": session_from(contract.text), "cycle_index": str(first.index)},
    )
    assert back.status_code == 200
    admin_calls.operations.clear()
    overview = await alice.post("", {"session": session_from(back.text)})
    assert card_next_order(overview.text, ACTIVE) == first.expected_at.date().isoformat()
    assert admin_calls.operations == ["PortalOverview"]


async def test_two_skips_in_a_row_show_the_third_cycle(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    record = store.contracts[ACTIVE]
    page = await enter(alice, keyring, ALICE_ID)
    after = await _skip_next(alice, page)
    after = await _skip_next(alice, after)
    start = record.next_cycle_index
    assert record.skipped_cycles == {start, start + 1}
    overview = await alice.post("", {"session": session_from(after)})
    third = cycles.cycle(record, start + 2)
    assert card_next_order(overview.text, ACTIVE) == third.expected_at.date().isoformat()


async def test_no_skip_costs_no_extra_request(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, shop: Shop
) -> None:
    # A hint for another contract, or for a date that is not the card's, changes nothing.
    await SkippedCycle.create(
        shop=shop,
        contract_id=ACTIVE + 999,
        cycle_index=1,
        expected_at=NOW,
        skipped=True,
        event_at=NOW,
    )
    await enter(alice, keyring, ALICE_ID)
    assert admin_calls.operations == ["PortalOverview"]


async def test_a_stale_hint_shows_shopifys_truth(
    alice: ProxyClient, keyring: Keyring, admin_calls: CountingTransport, shop: Shop, store: Any
) -> None:
    """The table says skipped, Shopify says not (unskipped elsewhere, webhook lost): Shopify
    wins, at the cost of one small read."""
    record = store.contracts[ACTIVE]
    first = cycles.cycle(record, record.next_cycle_index)
    await skipped_cycles.record(
        shop.id, ACTIVE, first.index, first.expected_at, skipped=True, event_at=NOW
    )
    page = await enter(alice, keyring, ALICE_ID)
    assert card_next_order(page, ACTIVE) == first.expected_at.date().isoformat()
    assert admin_calls.operations == ["PortalOverview", "PortalNextOrder"]


async def test_the_extra_read_is_small_and_the_overview_stays_in_budget() -> None:
    store = simulated_store()
    overview = await requested_cost(
        store, "PortalOverview", {"customerId": f"gid://shopify/Customer/{ALICE_ID}"}
    )
    extra = await requested_cost(
        store,
        "PortalNextOrder",
        {
            "contractId": f"gid://shopify/SubscriptionContract/{ACTIVE}",
            "fromIndex": 1,
            "toIndex": 6,
        },
    )
    assert extra <= 10
    assert overview <= 100  # a customer with no skip: the overview alone


async def test_older_events_never_overwrite_newer_ones(shop: Shop) -> None:
    later = NOW + timedelta(minutes=5)
    assert await skipped_cycles.record(shop.id, ACTIVE, 3, NOW, skipped=True, event_at=later)
    # the unskip that came before the skip arrives late: ignored
    assert not await skipped_cycles.record(shop.id, ACTIVE, 3, NOW, skipped=False, event_at=NOW)
    assert await skipped_cycles.skipped_days(shop.id, [ACTIVE]) == {ACTIVE: {NOW.date(): 3}}
    assert await skipped_cycles.record(
        shop.id, ACTIVE, 3, NOW, skipped=False, event_at=later + timedelta(seconds=1)
    )
    assert await skipped_cycles.skipped_days(shop.id, [ACTIVE]) == {}


async def test_purge_drops_hints_whose_date_has_passed(shop: Shop) -> None:
    await skipped_cycles.record(
        shop.id, ACTIVE, 1, NOW - timedelta(days=1), skipped=True, event_at=NOW
    )
    await skipped_cycles.record(
        shop.id, ACTIVE, 2, NOW + timedelta(days=1), skipped=True, event_at=NOW
    )
    assert await skipped_cycles.purge(NOW) == 1
    assert await SkippedCycle.filter(shop=shop).values_list("cycle_index", flat=True) == [2]
