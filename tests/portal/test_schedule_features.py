"""Pause until a date and delay by N weeks (the form, its limits, "Paused until" on the
pages), the card's expiry warning, and the order detail reached from the history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID, OTHER_SHOP
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.storage.models import ScheduledResume
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from
from tests.portal.test_actions import _act, _contract_page
from tests.portal.test_view_costs import requested_cost


def _today() -> Any:
    return datetime.now(UTC).date()


async def test_pause_until_form_states_its_limits(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    first, last = _today() + timedelta(days=1), _today() + timedelta(days=183)
    field = re.search(r'<input id="sp-\d+-resume_on" name="resume_on"[^>]*>', page)
    assert field is not None
    assert f'min="{first.isoformat()}"' in field.group(0)
    assert f'max="{last.isoformat()}"' in field.group(0)
    assert 'data-testid="action-pause-until"' in page and 'data-testid="action-delay"' in page


@pytest.mark.parametrize(
    ("days", "status", "words"),
    [(0, 422, "has already passed"), (184, 422, "no later than"), (None, 422, "check")],
)
async def test_pause_until_refuses_dates_outside_the_window(
    alice: ProxyClient, keyring: Keyring, store: Any, days: int | None, status: int, words: str
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    value = (_today() + timedelta(days=days)).isoformat() if days is not None else "soon"
    answer = await _act(alice, page, ACTIVE, "pause_until", resume_on=value)
    assert answer.status_code == status
    assert words in answer.text
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert await ScheduledResume.all().count() == 0


async def test_paused_until_shows_on_both_pages_and_can_be_changed(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    day = _today() + timedelta(days=30)
    answer = await _act(alice, page, ACTIVE, "pause_until", resume_on=day.isoformat())
    assert answer.status_code == 200
    assert "It resumes by itself on the date you chose." in answer.text
    assert 'data-testid="paused-until">Paused until' in answer.text
    overview = await alice.post("", {"session": session_from(answer.text)})
    card = overview.text[overview.text.index(f'data-testid="contract-{ACTIVE}"'):]
    assert 'data-testid="paused-until"' in card[: card.index("</article>")]
    # The paused subscription's date can be moved; the row follows.
    later = day + timedelta(days=10)
    moved = await _act(alice, answer.text, ACTIVE, "pause_until", resume_on=later.isoformat())
    assert moved.status_code == 200
    assert (await ScheduledResume.get(contract_id=ACTIVE)).resume_on == later
    assert store.contracts[ACTIVE].terms.next_billing_date.date() == later


async def test_a_plain_pause_says_no_date(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _contract_page(alice, keyring, PAUSED)
    assert 'data-testid="paused-note"' in page and "paused-until" not in page


@pytest.mark.parametrize("weeks", [1, 4])
async def test_delay_moves_the_next_order(
    alice: ProxyClient, keyring: Keyring, store: Any, weeks: int
) -> None:
    before = store.contracts[ACTIVE].terms.next_billing_date.date()
    page = await _contract_page(alice, keyring, ACTIVE)
    answer = await _act(alice, page, ACTIVE, "delay", weeks=str(weeks))
    assert answer.status_code == 200, answer.text
    assert store.contracts[ACTIVE].terms.next_billing_date.date() == before + timedelta(
        weeks=weeks)


@pytest.mark.parametrize("weeks", ["0", "5", "-1", "two", ""])
async def test_delay_refuses_other_values(
    alice: ProxyClient, keyring: Keyring, store: Any, weeks: str
) -> None:
    before = store.contracts[ACTIVE].terms.next_billing_date
    page = await _contract_page(alice, keyring, ACTIVE)
    answer = await _act(alice, page, ACTIVE, "delay", weeks=weeks)
    assert answer.status_code == 422
    assert store.contracts[ACTIVE].terms.next_billing_date == before


@pytest.mark.parametrize(("months_before", "warned"), [(1, True), (0, False), (-3, False)])
async def test_card_expiring_before_the_next_order_is_flagged(
    alice: ProxyClient, keyring: Keyring, store: Any, months_before: int, warned: bool
) -> None:
    contract = store.contracts[ACTIVE]
    card = store.payment_methods[contract.payment_method_id]
    # The card's last valid month, counted from the next order's month.
    nxt = contract.terms.next_billing_date
    index = nxt.year * 12 + nxt.month - 1 - months_before
    card.expiry_year, card.expiry_month = divmod(index, 12)
    card.expiry_month += 1
    page = await _contract_page(alice, keyring, ACTIVE)
    assert f"expires {card.expiry_month:02d}/{card.expiry_year}" in page
    assert ('data-testid="card-expires-warning"' in page) is warned
    assert ("expires before your next order" in page) is warned


async def _orders_page(client: ProxyClient, keyring: Keyring, customer_id: int) -> str:
    page = await enter(client, keyring, customer_id)
    answer = await client.post("/orders", {"session": session_from(page)})
    assert answer.status_code == 200
    return answer.text


async def test_order_detail_from_the_history(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    history = await _orders_page(alice, keyring, ALICE_ID)
    order = max((o for o in store.orders.values()
                 if o.customer_id == ALICE_ID and o.fulfillments), key=lambda o: o.id)
    assert f'data-testid="order-view-{order.id}"' in history
    assert '<th scope="col"><span class="sp-visually-hidden">Details</span></th>' in history
    assert "&lt;th" not in history
    assert f'aria-label="View order {order.name}"' in history
    admin_calls.operations.clear()
    answer = await alice.post(f"/orders/{order.id}", {"session": session_from(history)})
    assert answer.status_code == 200, answer.text
    assert admin_calls.operations == ["PortalOrder"]  # one Admin API request
    page = answer.text
    assert f"Order {order.name}" in page
    assert page.count('data-testid="order-item"') == len(order.lines)
    assert f"${order.total:.2f}" in page
    tracking = order.fulfillments[0].tracking[0]
    link = re.search(r'<a href="([^"]+)"[^>]*data-testid="tracking-link">', page)
    assert link is not None and link.group(1) == tracking.url.replace("&", "&amp;")
    assert f"Track with {tracking.company} {tracking.number}" in page
    assert 'data-testid="back-to-orders"' in page


async def test_an_unshipped_order_says_so(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    history = await _orders_page(alice, keyring, ALICE_ID)
    order = next(o for o in store.orders.values() if o.customer_id == ALICE_ID)
    order.fulfillments = []
    answer = await alice.post(f"/orders/{order.id}", {"session": session_from(history)})
    assert 'data-testid="no-shipments"' in answer.text


async def test_someone_elses_order_is_the_same_404_as_a_missing_one(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    history = await _orders_page(alice, keyring, ALICE_ID)
    session = session_from(history)
    bobs = next(o.id for o in store.orders.values() if o.customer_id == BOB_ID)
    other_shop = next(o.id for o in store.orders.values() if o.shop == OTHER_SHOP)
    answers = [await alice.post(f"/orders/{oid}", {"session": session})
               for oid in (bobs, other_shop, 4242, 99999999999999999999)]
    assert {a.status_code for a in answers} == {404}
    # Nothing tells them apart (the session value each page carries aside).
    bodies = {re.sub(r'name="session" value="[^"]+"', "", a.text) for a in answers}
    assert len(bodies) == 1
    assert "Order not found" in answers[0].text


async def test_the_order_detail_and_the_status_check_stay_within_budget() -> None:
    """The order page is one request like a subscription's: within the same 60 points; the
    scheduled resume's status check costs next to nothing."""
    store = simulated_store()
    order = next(o.id for o in store.orders.values() if o.customer_id == ALICE_ID)
    cost = await requested_cost(store, "PortalOrder", {"orderId": f"gid://shopify/Order/{order}"})
    assert 0 < cost <= 60
    status = await requested_cost(
        store, "SubscriptionContractStatus",
        {"contractId": f"gid://shopify/SubscriptionContract/{ACTIVE}"})
    assert status <= 5
