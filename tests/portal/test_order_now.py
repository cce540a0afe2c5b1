"""Order now: a confirmation that states the amount, one charge per cycle whatever the clicks,
and Shopify's refusals in the customer's words."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.storage.models import OrderNowClaim, PortalEvent, Shop
from tests.portal.conftest import CountingTransport
from tests.portal.proxy_client import ProxyClient
from tests.portal.test_actions import _act, _contract_page


def _cycle_field(page: str) -> str:
    form = page[page.index('data-testid="order-now-disclosure"'):]
    match = re.search(r'name="cycle_index" value="(\d+)"', form)
    assert match, "the order-now form names the cycle it bills"
    return match.group(1)


async def test_the_confirmation_states_the_amount_and_card(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    assert '<details class="sp-disclosure"><summary data-testid="order-now-disclosure">' in page
    terms = page[page.index('data-testid="order-now-terms"'):]
    terms = terms[: terms.index("</p>")]
    # The amount is the page's own estimate of the next order (lines, discounts, delivery).
    estimate = re.search(r'data-testid="estimated-total">([^<]+)<', page)
    assert estimate is not None and estimate.group(1).startswith("$")
    amount = estimate.group(1)
    assert f"We charge {amount} (estimated) to your Visa ending in 4242 today" in terms
    assert f"Confirm: order now for {amount}" in page
    assert _cycle_field(page) == str(store.contracts[ACTIVE].next_cycle_index)


async def test_order_now_bills_the_next_cycle_once(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    contract = store.contracts[ACTIVE]
    index = contract.next_cycle_index
    page = await _contract_page(alice, keyring, ACTIVE)
    done = await _act(alice, page, ACTIVE, "order_now", cycle_index=_cycle_field(page))
    assert done.status_code == 200, done.text
    assert "Your order is placed" in done.text
    assert [a.cycle_index for a in store.billing_attempts] == [index]
    assert contract.next_cycle_index == index + 1
    claim = await OrderNowClaim.get(contract_id=ACTIVE)
    assert (claim.cycle_index, claim.status) == (index, "billed")
    assert await PortalEvent.filter(action="order_now", contract_id=ACTIVE).count() == 1

    # The same confirmation sent again (another tab kept it): refused, nothing billed.
    other = await _contract_page(alice, keyring, ACTIVE)
    again = await _act(alice, other, ACTIVE, "order_now", cycle_index=str(index))
    assert again.status_code == 422
    assert "changed meanwhile" in again.text
    assert len(store.billing_attempts) == 1


async def test_a_double_click_bills_once(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    first = await _contract_page(alice, keyring, ACTIVE)
    second = await _contract_page(alice, keyring, ACTIVE)
    index = _cycle_field(first)
    answers = await asyncio.gather(
        _act(alice, first, ACTIVE, "order_now", cycle_index=index),
        _act(alice, second, ACTIVE, "order_now", cycle_index=index),
    )
    assert sorted(a.status_code for a in answers)[0] == 200
    assert sum(a.status_code == 200 for a in answers) == 1, [a.status_code for a in answers]
    assert len(store.billing_attempts) == 1


async def test_a_claimed_cycle_is_not_charged_again(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop, admin_calls: CountingTransport
) -> None:
    # Another process holds the claim (its charge is in flight or its outcome unknown).
    index = store.contracts[ACTIVE].next_cycle_index
    await OrderNowClaim.create(shop=shop, customer_id=ALICE_ID, contract_id=ACTIVE,
                               cycle_index=index, status="unknown")
    page = await _contract_page(alice, keyring, ACTIVE)
    answer = await _act(alice, page, ACTIVE, "order_now", cycle_index=str(index))
    assert answer.status_code == 409
    assert "already placed" in answer.text
    assert "SubscriptionBillingCycleCharge" not in admin_calls.operations
    assert store.billing_attempts == []


async def test_shopify_refusing_is_shown_and_releases_the_claim(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    index = _cycle_field(page)

    def skip_meanwhile(operation: str) -> None:
        if operation == "SubscriptionBillingCycleCharge":  # the merchant skipped it just now
            store.contracts[ACTIVE].skipped_cycles.add(int(index))

    admin_calls.before = skip_meanwhile
    answer = await _act(alice, page, ACTIVE, "order_now", cycle_index=index)
    assert answer.status_code == 422
    assert "This order is skipped: unskip it first." in answer.text
    assert store.billing_attempts == []
    assert await OrderNowClaim.filter(contract_id=ACTIVE).count() == 0  # free to try again


async def test_forged_and_stale_forms_are_refused(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    for forged in ("", "abc", "999"):
        page = await _contract_page(alice, keyring, ACTIVE)
        answer = await _act(alice, page, ACTIVE, "order_now", cycle_index=forged)
        assert answer.status_code == 422, forged
    assert store.billing_attempts == []


async def test_not_offered_on_a_paused_subscription_nor_when_switched_off(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    page = await _contract_page(alice, keyring, PAUSED)
    assert "order-now-disclosure" not in page
    answer = await _act(alice, page, PAUSED, "order_now", cycle_index="1")
    assert answer.status_code == 403
    shop.portal_actions = {"order_now": False}
    await shop.save()
    page = await _contract_page(alice, keyring, ACTIVE)
    assert "order-now-disclosure" not in page
    answer = await _act(alice, page, ACTIVE, "order_now", cycle_index="1")
    assert answer.status_code == 403
    assert store.billing_attempts == []
