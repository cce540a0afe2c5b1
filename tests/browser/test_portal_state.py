"""The portal shows what will really happen (issue 11, items 1-4): no orders for an ended
subscription, "paused" instead of dates for a paused one, the real next order after a skip,
live subscriptions first, and a frequency the shop no longer offers kept as it is."""

from __future__ import annotations

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.records import Policy
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID


async def open_contract(portal: Portal, contract_id: int) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(contract_id)


async def test_a_cancelled_subscription_has_no_upcoming_orders(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page = portal.page
    await expect(page.get_by_test_id("upcoming").locator("li")).to_have_count(6)
    await portal.cancel()
    await portal.expect_success("Your subscription is cancelled.")
    await expect(page.get_by_test_id("upcoming")).to_have_count(0)
    await expect(page.get_by_test_id("no-upcoming")).to_have_text(
        "This subscription has ended: no more orders."
    )
    card = portal.card(ACTIVE)
    await expect(card.get_by_test_id("next-order")).to_have_count(0)
    await expect(card.get_by_test_id("estimated-total")).to_have_count(0)


async def test_a_paused_subscription_says_no_orders_until_resumed(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page = portal.page
    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await portal.expect_success("Your subscription is paused.")
    card = portal.card(ACTIVE)
    await expect(card.get_by_test_id("paused-note")).to_have_text(
        "Paused \u2014 no orders until you resume"
    )
    await expect(card.get_by_test_id("next-order")).to_have_count(0)
    await expect(card.get_by_test_id("estimated-total")).to_have_count(0)
    await expect(page.get_by_test_id("upcoming")).to_have_count(0)
    await expect(page.get_by_test_id("no-upcoming")).to_have_text(
        "Paused \u2014 no orders until you resume."
    )
    # the overview's card says the same
    await page.get_by_role("button", name="My subscriptions").click()
    paused_card = portal.card(PAUSED)
    await expect(paused_card.get_by_test_id("paused-note")).to_be_visible()
    await expect(paused_card.get_by_test_id("estimated-total")).to_have_count(0)


async def test_after_skipping_the_next_order_the_page_shows_the_real_next_one(
    portal: Portal,
) -> None:
    await open_contract(portal, ACTIVE)
    page = portal.page
    second = page.get_by_test_id("upcoming").locator("li").nth(1)
    second_day = await second.locator("time").get_attribute("datetime")
    first_day = await page.get_by_test_id("upcoming").locator("li time").first.get_attribute(
        "datetime"
    )
    assert second_day and first_day and second_day != first_day
    next_order = portal.card(ACTIVE).get_by_test_id("next-order")
    await expect(next_order.locator("time")).to_have_attribute("datetime", first_day)

    await portal.submit(page.get_by_role("button", name="Skip next order"))
    await portal.expect_success("The order will be skipped.")
    await expect(next_order.locator("time")).to_have_attribute("datetime", second_day)
    await expect(page.get_by_label("New next order date")).to_have_value(second_day)


async def test_live_subscriptions_come_first(portal: Portal) -> None:
    # Alice's first contract (by id) has ended: it goes after the paused one
    portal.store.contracts[ACTIVE].terms.status = "CANCELLED"
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    cards = portal.page.locator("article[data-testid^='contract-']")
    await expect(cards).to_have_count(2)
    assert [await c.get_attribute("data-testid") for c in await cards.all()] == [
        f"contract-{PAUSED}",
        f"contract-{ACTIVE}",
    ]


async def test_a_frequency_the_shop_no_longer_offers_is_shown_and_kept(portal: Portal) -> None:
    contract = portal.store.contracts[ACTIVE]
    contract.terms.delivery_policy = Policy("DAY", 10)
    contract.terms.billing_policy = Policy("DAY", 10)
    await open_contract(portal, ACTIVE)
    page = portal.page
    select = page.get_by_label("Deliver", exact=True)
    await expect(select).to_have_value("DAY:10")
    await expect(select.locator("option:checked")).to_have_text("Every 10 days (current)")
    await portal.submit(page.get_by_role("button", name="Change frequency"))
    await portal.expect_success("Your delivery frequency has changed.")
    delivery = contract.terms.delivery_policy
    assert (delivery.interval, delivery.interval_count) == ("DAY", 10)
    await expect(select).to_have_value("DAY:10")
