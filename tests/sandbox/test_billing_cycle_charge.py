"""`subscriptionBillingCycleCharge` in the simulated store, with Shopify's semantics: the cycle
becomes billed, an order is made, the next billing date moves on, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopify_app.sandbox import cycles, demo
from shopify_app.sandbox.records import gid
from shopify_app.sandbox.store import SimulatedStore
from tests.sandbox.conftest import Admin

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID


async def _charge(admin: Admin, contract_id: int, index: int) -> dict[str, object]:
    return await admin.mutate(
        "SubscriptionBillingCycleCharge",
        contractId=gid("SubscriptionContract", contract_id),
        cycleIndex=index,
    )


async def test_charging_the_next_cycle_bills_it_and_moves_the_schedule_on(
    admin: Admin, store: SimulatedStore
) -> None:
    contract = store.contracts[ACTIVE]
    index = contract.next_cycle_index
    following = cycles.cycle(contract, index + 1).start_at
    orders_before = len(store.orders)

    payload = await _charge(admin, ACTIVE, index)

    assert payload["userErrors"] == []
    attempt = payload["subscriptionBillingAttempt"]
    assert isinstance(attempt, dict) and attempt["id"].startswith("gid://shopify/")
    # A future cycle billed early: the attempt's origin is now, not the planned date.
    assert attempt["originTime"] == store.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(store.orders) == orders_before + 1
    order = max(store.orders.values(), key=lambda o: o.id)
    assert (order.customer_id, order.contract_id) == (demo.ALICE_ID, ACTIVE)
    assert order.lines and order.total > 0
    assert cycles.cycle(contract, index).billed
    assert contract.next_cycle_index == index + 1
    assert contract.terms.next_billing_date == following  # the anchor is kept


async def test_a_cycle_is_billed_once(admin: Admin, store: SimulatedStore) -> None:
    index = store.contracts[ACTIVE].next_cycle_index
    assert (await _charge(admin, ACTIVE, index))["userErrors"] == []
    again = await _charge(admin, ACTIVE, index)
    assert again["subscriptionBillingAttempt"] is None
    assert [e["code"] for e in again["userErrors"]] == ["INVALID"]  # type: ignore[index]
    assert len(store.billing_attempts) == 1


@pytest.mark.parametrize(
    ("contract_id", "setup", "code"),
    [
        (demo.ALICE_PAUSED_CONTRACT_ID, None, "CONTRACT_PAUSED"),
        (demo.CAROL_CONTRACT_ID, None, "CONTRACT_TERMINATED"),
        (ACTIVE, "skip", "BILLING_CYCLE_SKIPPED"),
        (ACTIVE, "out_of_range", "CYCLE_INDEX_OUT_OF_RANGE"),
        (ACTIVE, "later_cycle", "INVALID"),
    ],
)
async def test_refusals_change_nothing(
    admin: Admin, store: SimulatedStore, contract_id: int, setup: str | None, code: str
) -> None:
    contract = store.contracts[contract_id]
    index = contract.next_cycle_index
    if setup == "skip":
        contract.skipped_cycles.add(index)
    elif setup == "out_of_range":
        index = 0
    elif setup == "later_cycle":
        index += 1  # the one before is neither billed nor skipped
    before = (contract.next_cycle_index, contract.terms.next_billing_date, len(store.orders))
    payload = await _charge(admin, contract_id, index)
    assert [e["code"] for e in payload["userErrors"]] == [code]  # type: ignore[union-attr]
    assert payload["subscriptionBillingAttempt"] is None
    assert (contract.next_cycle_index, contract.terms.next_billing_date,
            len(store.orders)) == before


async def test_a_skipped_cycle_before_it_does_not_block_the_next(
    admin: Admin, store: SimulatedStore
) -> None:
    contract = store.contracts[ACTIVE]
    first = contract.next_cycle_index
    contract.skipped_cycles.add(first)
    assert (await _charge(admin, ACTIVE, first + 1))["userErrors"] == []
    assert contract.next_cycle_index == first + 2


async def test_another_shops_contract_is_not_found(admin: Admin) -> None:
    payload = await _charge(admin, demo.OTHER_ALICE_CONTRACT_ID, 1)
    assert [e["code"] for e in payload["userErrors"]] == ["CONTRACT_NOT_FOUND"]  # type: ignore[union-attr]


async def test_a_revoked_card_makes_an_attempt_without_an_order(
    admin: Admin, store: SimulatedStore
) -> None:
    contract = store.contracts[ACTIVE]
    store.payment_methods[contract.payment_method_id or ""].revoked_at = datetime(2026, 1, 1,
                                                                                  tzinfo=UTC)
    orders = len(store.orders)
    index = contract.next_cycle_index
    payload = await _charge(admin, ACTIVE, index)
    assert payload["userErrors"] == [] and payload["subscriptionBillingAttempt"] is not None
    assert len(store.orders) == orders and contract.next_cycle_index == index  # it failed later


async def test_order_detail_has_lines_totals_and_tracking(
    admin: Admin, store: SimulatedStore
) -> None:
    fulfilled = next(o for o in store.orders.values()
                     if o.customer_id == demo.ALICE_ID and o.fulfillment_status == "FULFILLED")
    data = await admin.run("PortalOrder", orderId=gid("Order", fulfilled.id))
    order = data["order"]
    assert order["customer"]["id"] == gid("Customer", demo.ALICE_ID)
    items = order["lineItems"]["nodes"]
    assert [i["title"] for i in items] == [li.title for li in fulfilled.lines]
    subtotal = float(order["subtotalPriceSet"]["shopMoney"]["amount"])
    shipping = float(order["totalShippingPriceSet"]["shopMoney"]["amount"])
    discounts = float(order["totalDiscountsSet"]["shopMoney"]["amount"])
    assert subtotal - discounts + shipping == pytest.approx(
        float(order["totalPriceSet"]["shopMoney"]["amount"]))
    (shipment,) = order["fulfillments"]
    (tracking,) = shipment["trackingInfo"]
    assert tracking["url"].startswith("https://") and tracking["number"]


async def test_another_shops_order_is_null(admin: Admin, store: SimulatedStore) -> None:
    other = next(o for o in store.orders.values() if o.shop == demo.OTHER_SHOP)
    assert (await admin.run("PortalOrder", orderId=gid("Order", other.id)))["order"] is None
    assert (await admin.run("PortalOrder", orderId=gid("Order", 1)))["order"] is None
