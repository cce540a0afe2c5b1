"""Order now, pause until / delay, the card-expiry warning and the order detail in Chromium:
the proxy portal (with and without script) and the customer account extension, at phone and
desktop widths, by keyboard, with axe-core finding nothing."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import ScheduledResume, Shop
from tests.browser.admin_driver import open_direct
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, axe_violations, mint_link
from tests.browser.test_customer_account import Account, built_bundle  # noqa: F401

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID


def _shots(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


async def _contract(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)


async def _no_overflow(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


async def test_order_now_states_the_amount_and_a_double_click_bills_once(portal: Portal) -> None:
    await _contract(portal)
    page = portal.page
    estimate = await page.get_by_test_id("estimated-total").first.inner_text()
    await portal.open_section("Get your next order today")
    await expect(page.get_by_test_id("order-now-terms")).to_contain_text(
        f"We charge {estimate} (estimated) to your Visa ending in 4242 today")
    button = page.get_by_role("button", name=f"Confirm: order now for {estimate}")
    before = await portal.rendered()
    await button.dblclick()
    await portal.wait_rendered(before)
    await portal.expect_success("Your order is placed: it is charged today and ships soon.")
    assert len(portal.store.billing_attempts) == 1
    assert portal.store.contracts[ACTIVE].next_cycle_index == 2 or \
        portal.store.billing_attempts[0].cycle_index >= 1


async def test_pause_until_a_date_then_paused_until_is_shown(portal: Portal) -> None:
    await _contract(portal)
    page = portal.page
    day = datetime.now(UTC).date() + timedelta(days=21)
    await page.get_by_label("Resume on").fill(day.isoformat())
    await portal.submit(page.get_by_role("button", name="Pause until this date"))
    await portal.expect_success(re.compile("resumes by itself"))
    await expect(page.get_by_test_id("paused-until")).to_contain_text("Paused until")
    assert portal.store.contracts[ACTIVE].terms.status == "PAUSED"
    assert (await ScheduledResume.get(contract_id=ACTIVE)).resume_on == day


async def test_delay_by_weeks(portal: Portal) -> None:
    await _contract(portal)
    page = portal.page
    before = portal.store.contracts[ACTIVE].terms.next_billing_date.date()
    await page.get_by_label("Delay by").select_option("2")
    await portal.submit(page.get_by_role("button", name="Delay next order"))
    await portal.expect_success("Your next order is delayed.")
    assert portal.store.contracts[ACTIVE].terms.next_billing_date.date() == \
        before + timedelta(weeks=2)


async def test_order_detail_with_tracking_from_the_history(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    page = portal.page
    await portal.submit(page.get_by_test_id("nav-orders"))
    order = max((o for o in portal.store.orders.values()
                 if o.customer_id == demo.ALICE_ID and o.fulfillments), key=lambda o: o.id)
    await portal.submit(page.get_by_role("button", name=f"View order {order.name}"))
    await expect(page.get_by_role("heading", name=f"Order {order.name}")).to_be_visible()
    tracking = order.fulfillments[0].tracking[0]
    link = page.get_by_role("link", name=re.compile(f"Track with {tracking.company}"))
    await expect(link).to_have_attribute("href", tracking.url or "")
    await portal.submit(page.get_by_role("button", name="Back to order history"))
    await expect(page.get_by_role("heading", name="Order history", level=2)).to_be_visible()


async def test_the_card_expiring_before_the_next_order_is_flagged(portal: Portal) -> None:
    contract = portal.store.contracts[ACTIVE]
    card = portal.store.payment_methods[contract.payment_method_id or ""]
    nxt = contract.terms.next_billing_date
    card.expiry_year, card.expiry_month = divmod(nxt.year * 12 + nxt.month - 2, 12)
    card.expiry_month += 1
    await _contract(portal)
    await expect(portal.page.get_by_test_id("card-expires-warning")).to_contain_text(
        "expires before your next order")


async def test_keyboard_reaches_and_confirms_order_now(portal: Portal) -> None:
    await _contract(portal)
    page = portal.page
    summary = page.get_by_test_id("order-now-disclosure")
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("details", has=summary)).to_have_attribute("open", "")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.getAttribute('data-testid')")
    assert focused == "action-order-now"
    before = await portal.rendered()
    await page.keyboard.press("Enter")
    await portal.wait_rendered(before)
    await portal.expect_success(re.compile("Your order is placed"))


async def test_without_script(browser: Browser, portal: Portal) -> None:
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID))
        await page.get_by_test_id("continue-button").click()
        await page.get_by_test_id(f"manage-{ACTIVE}").click()
        await page.get_by_test_id("order-now-disclosure").click()
        await page.get_by_test_id("action-order-now").click()
        await expect(page.get_by_test_id("flash-success")).to_contain_text("Your order is placed")
        await page.get_by_test_id("nav-orders").click()
        newest = max(o.id for o in portal.store.orders.values()
                     if o.customer_id == demo.ALICE_ID)
        await page.get_by_test_id(f"order-view-{newest}").click()
        await expect(page.get_by_test_id("order-detail")).to_be_visible()
        await expect(page.get_by_test_id("no-shipments")).to_be_visible()
        assert len(portal.store.billing_attempts) == 1
    finally:
        await context.close()


@pytest.mark.parametrize("width", [390, 1280])
async def test_look_and_axe(portal: Portal, width: int, tmp_path: Path) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    contract = portal.store.contracts[ACTIVE]
    card = portal.store.payment_methods[contract.payment_method_id or ""]
    nxt = contract.terms.next_billing_date
    card.expiry_year, card.expiry_month = divmod(nxt.year * 12 + nxt.month - 2, 12)
    card.expiry_month += 1
    await _contract(portal)
    await portal.open_section("Get your next order today")
    assert await axe_violations(page) == []
    shots = _shots(tmp_path)
    await page.screenshot(path=shots / f"schedule-contract-{width}.png", full_page=True)
    await _no_overflow(page)
    # The browser itself keeps the date within the field's min and max (the server checks
    # again: tests/portal/test_schedule_features.py).
    resume = page.get_by_label("Resume on")
    await resume.fill("2020-01-01")
    assert await resume.evaluate("field => field.validity.rangeUnderflow") is True
    await portal.submit(page.get_by_test_id("nav-orders"))
    assert await axe_violations(page) == []
    await page.screenshot(path=shots / f"schedule-orders-{width}.png", full_page=True)
    await _no_overflow(page)
    order = max((o for o in portal.store.orders.values()
                 if o.customer_id == demo.ALICE_ID and o.fulfillments), key=lambda o: o.id)
    await portal.submit(page.get_by_role("button", name=f"View order {order.name}"))
    assert await axe_violations(page) == []
    await page.screenshot(path=shots / f"schedule-order-{width}.png", full_page=True)
    await _no_overflow(page)


async def test_extension_order_now_and_pause_until(
    new_page: PageFactory, sandbox: SandboxHandle, tmp_path: Path
) -> None:
    account = Account(await new_page(), sandbox)
    page = account.page
    await account.sign_in()
    await account.manage()
    await page.get_by_role("button", name="Order now").click()
    confirm = page.get_by_role("button", name=re.compile(r"^Confirm: order now for \$"))
    await expect(confirm).to_be_visible()
    await expect(page.get_by_text(re.compile("to your Visa ending in 4242 today"))).to_be_visible()
    await page.screenshot(path=_shots(tmp_path) / "account-order-now-390.png", full_page=True)
    await confirm.click()
    await account.expect_done("Your order is placed: it is charged today and ships soon.")
    assert len(sandbox.store.billing_attempts) == 1

    day = datetime.now(UTC).date() + timedelta(days=14)
    await page.get_by_label("Resume on").fill(day.isoformat())
    await page.get_by_role("button", name="Pause until this date").click()
    await account.expect_done(
        "Your subscription is paused. It resumes by itself on the date you chose.")
    assert sandbox.store.contracts[ACTIVE].terms.status == "PAUSED"
    await page.get_by_role("button", name="Back to subscriptions").click()
    await expect(page.get_by_text(re.compile("^Paused until"))).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
async def test_extension_look_and_axe(
    new_page: PageFactory, sandbox: SandboxHandle, width: int, tmp_path: Path
) -> None:
    contract = sandbox.store.contracts[ACTIVE]
    card = sandbox.store.payment_methods[contract.payment_method_id or ""]
    nxt = contract.terms.next_billing_date
    card.expiry_year, card.expiry_month = divmod(nxt.year * 12 + nxt.month - 2, 12)
    card.expiry_month += 1
    account = Account(await new_page(), sandbox)
    page = account.page
    await page.set_viewport_size({"width": width, "height": 900})
    await account.sign_in()
    await account.manage()
    await expect(page.get_by_text(re.compile("expires before your next order"))).to_be_visible()
    await page.get_by_role("button", name="Order now").click()
    assert await axe_violations(page, "body") == []
    await page.screenshot(path=_shots(tmp_path) / f"account-schedule-{width}.png",
                          full_page=True)
    await _no_overflow(page)


async def test_the_merchant_switches_them_off_in_the_admin(
    new_page: PageFactory, sandbox: SandboxHandle, portal: Portal
) -> None:
    page = await new_page()
    assert await open_direct(page, sandbox) == []
    for label in ("Order now: get the next order today (charged today)",
                  "Pause until a date they choose (resumes by itself)",
                  "Delay the next order by 1 to 4 weeks"):
        box = page.get_by_label(label)
        await expect(box).to_be_checked()  # on by default
        await box.focus()  # reached by keyboard: Space toggles it
        await page.keyboard.press("Space")
        await expect(box).not_to_be_checked()
    await page.get_by_role("button", name="Save settings").click()
    await expect(page.locator("#settings-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert [shop.portal_actions[a] for a in ("order_now", "pause_until", "delay")] == [
        False, False, False]
    await _contract(portal)
    for testid in ("order-now-disclosure", "action-pause-until", "action-delay"):
        await expect(portal.page.get_by_test_id(testid)).to_have_count(0)
