"""Every self-service action of the portal, clicked in Chromium through the storefront proxy,
with the simulated store's state checked after each (what Shopify would now hold)."""

from __future__ import annotations

import json
from datetime import timedelta

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.storage.models import PortalEvent
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID


async def open_contract(portal: Portal, contract_id: int) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(contract_id)


async def test_pause_then_resume(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]

    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await portal.expect_success("Your subscription is paused.")
    assert contract.terms.status == "PAUSED"
    await expect(portal.card(ACTIVE).get_by_test_id("contract-status")).to_have_text("Paused")
    await expect(page.get_by_role("button", name="Pause subscription")).to_have_count(0)

    await portal.submit(page.get_by_role("button", name="Resume subscription"))
    await portal.expect_success("Your subscription is active again.")
    assert contract.terms.status == "ACTIVE"
    await expect(portal.card(ACTIVE).get_by_test_id("contract-status")).to_have_text("Active")


async def test_resume_a_paused_subscription(portal: Portal) -> None:
    await open_contract(portal, PAUSED)
    await portal.submit(portal.page.get_by_role("button", name="Resume subscription"))
    await portal.expect_success("Your subscription is active again.")
    assert portal.store.contracts[PAUSED].terms.status == "ACTIVE"


async def test_cancel_with_a_reason_the_merchant_can_read(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page = portal.page
    reason = "Too much coffee, <b>honestly</b>"
    # the cancel form sits behind its own disclosure: a deliberate second step
    await expect(page.get_by_test_id("action-cancel")).to_be_hidden()
    await portal.cancel("Other reason", reason)
    await portal.expect_success("Your subscription is cancelled.")
    assert portal.store.contracts[ACTIVE].terms.status == "CANCELLED"
    await expect(portal.card(ACTIVE).get_by_test_id("contract-status")).to_have_text("Cancelled")
    # a cancelled subscription offers no more changes
    await expect(page.get_by_role("button", name="Pause subscription")).to_have_count(0)
    events = await PortalEvent.filter(contract_id=ACTIVE, action="cancel")
    assert len(events) == 1
    assert json.loads(events[0].detail)["reason"] == f"Other reason: {reason}"
    assert events[0].customer_id == demo.ALICE_ID


async def test_skip_then_unskip_an_upcoming_order(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    upcoming = page.get_by_test_id("upcoming")
    first = upcoming.locator("li").first
    cycle_index = int((await first.get_attribute("data-testid") or "").removeprefix("cycle-"))
    assert cycle_index == contract.next_cycle_index

    await portal.submit(first.get_by_role("button", name="Skip this order"))
    await portal.expect_success("The order will be skipped.")
    assert contract.skipped_cycles == {cycle_index}
    cycle = page.get_by_test_id(f"cycle-{cycle_index}")
    await expect(cycle).to_have_attribute("data-skipped", "true")
    await expect(cycle.get_by_test_id("skipped")).to_have_text("Skipped")

    await portal.submit(cycle.get_by_role("button", name="Unskip"))
    await portal.expect_success("The order is back on.")
    assert contract.skipped_cycles == set()
    await expect(page.get_by_test_id(f"cycle-{cycle_index}")).to_have_attribute(
        "data-skipped", "false"
    )


async def test_skip_the_next_order_from_quick_changes(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    contract = portal.store.contracts[ACTIVE]
    await portal.submit(portal.page.get_by_role("button", name="Skip next order"))
    await portal.expect_success("The order will be skipped.")
    assert contract.skipped_cycles == {contract.next_cycle_index}


async def test_change_the_next_order_date(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    new_date = (contract.terms.next_billing_date + timedelta(days=10)).date()
    await page.get_by_label("New next order date").fill(new_date.isoformat())
    await portal.submit(page.get_by_role("button", name="Change date"))
    await portal.expect_success("Your next order date has changed.")
    assert contract.terms.next_billing_date.date() == new_date
    await expect(page.get_by_label("New next order date")).to_have_value(new_date.isoformat())


async def test_change_the_delivery_frequency(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    delivery = contract.terms.delivery_policy
    assert (delivery.interval, delivery.interval_count) == ("MONTH", 1)
    await page.get_by_label("Deliver", exact=True).select_option(label="Every 2 weeks")
    await portal.submit(page.get_by_role("button", name="Change frequency"))
    await portal.expect_success("Your delivery frequency has changed.")
    for policy in (contract.terms.delivery_policy, contract.terms.billing_policy):
        assert (policy.interval, policy.interval_count) == ("WEEK", 2)
    await expect(portal.card(ACTIVE)).to_contain_text("Every 2 weeks")
    drafts = [d for d in portal.store.drafts.values() if d.contract_id == ACTIVE]
    assert drafts and all(d.committed for d in drafts)


async def test_change_a_line_quantity(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    decaf = next(line for line in contract.terms.lines if line.title == "Decaf Colombia")
    house = next(line for line in contract.terms.lines if line.title == "House Blend Coffee")
    await portal.open_section("Quantities")
    await page.get_by_label("Quantity of Decaf Colombia").fill("3")
    form = page.locator("form").filter(has=page.get_by_label("Quantity of Decaf Colombia"))
    await portal.submit(form.get_by_role("button", name="Update quantity"))
    await portal.expect_success("The quantity has changed.")
    # a commit copies the draft's lines back: look them up again by id
    assert next(line.quantity for line in contract.terms.lines if line.id == decaf.id) == 3
    assert next(line.quantity for line in contract.terms.lines if line.id == house.id) == 1
    await expect(page.get_by_label("Quantity of Decaf Colombia")).to_have_value("3")


async def test_change_the_delivery_address(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    await portal.open_section("Delivery address")
    await page.get_by_label("Address", exact=True).fill("99 Grinder Avenue")
    await page.get_by_label("Apartment, suite, etc. (optional)").fill("Apt 4")
    await page.get_by_label("City", exact=True).fill("Manhattan")
    await page.get_by_label("ZIP code", exact=True).fill("10002")
    await portal.submit(page.get_by_role("button", name="Save address"))
    await portal.expect_success("Your delivery address has changed.")
    address = contract.terms.address
    assert (address.address1, address.address2, address.city, address.zip) == (
        "99 Grinder Avenue", "Apt 4", "Manhattan", "10002"
    )
    kept = (address.first_name, address.last_name, address.country_code)
    assert kept == ("Alice", "Martin", "US")
    await expect(portal.card(ACTIVE).get_by_test_id("address")).to_contain_text("99 Grinder Avenue")


async def test_send_the_payment_method_update_email(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    await expect(portal.card(ACTIVE).get_by_test_id("payment-method")).to_contain_text(
        "Visa ending in 4242"
    )
    assert portal.store.sent_emails == []
    await portal.submit(
        portal.page.get_by_role("button", name="Email me a link to update my payment method")
    )
    await portal.expect_success(
        "We sent you an email with a secure link to update your payment method."
    )
    [email] = portal.store.sent_emails
    assert (email.customer_id, email.to, email.payment_method_id) == (
        demo.ALICE_ID, demo.ALICE_EMAIL, demo.ALICE_CARD_ID
    )


async def test_apply_then_remove_a_discount_code(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    before = {d.id for d in contract.terms.discounts}

    await portal.open_section("Discount codes")
    await page.get_by_label("Discount code", exact=True).fill("save10")
    await portal.submit(page.get_by_role("button", name="Apply code"))
    await portal.expect_success("The discount code is applied.")
    added = [d for d in contract.terms.discounts if d.id not in before]
    assert [d.code for d in added] == ["SAVE10"]
    await expect(page.get_by_test_id("discounts")).to_contain_text("SAVE10")

    await portal.open_section("Discount codes")
    remove = page.get_by_role("button", name=f"Remove {added[0].title}")
    await portal.submit(remove)
    await portal.expect_success("The discount is removed.")
    assert {d.id for d in contract.terms.discounts} == before


async def test_remove_the_existing_discount(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    contract = portal.store.contracts[ACTIVE]
    assert [d.title for d in contract.terms.discounts] == ["Loyal customer"]
    await portal.open_section("Discount codes")
    await portal.submit(portal.page.get_by_role("button", name="Remove Loyal customer"))
    await portal.expect_success("The discount is removed.")
    assert contract.terms.discounts == []


async def test_shopify_user_errors_are_shown_and_nothing_changes(portal: Portal) -> None:
    await open_contract(portal, ACTIVE)
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    before = [d.id for d in contract.terms.discounts]
    revision = contract.revision
    await portal.open_section("Discount codes")
    await page.get_by_label("Discount code", exact=True).fill("NOT-A-CODE")
    await portal.submit(page.get_by_role("button", name="Apply code"))
    await portal.expect_refusal("The store could not make this change")
    # the refused form comes back open, with what was typed kept to correct it
    await expect(page.get_by_label("Discount code", exact=True)).to_be_visible()
    await expect(page.get_by_label("Discount code", exact=True)).to_have_value("NOT-A-CODE")
    assert [d.id for d in contract.terms.discounts] == before
    assert contract.revision == revision
    # the draft was never committed
    assert all(not d.committed for d in portal.store.drafts.values())
