"""What people see: product pictures that load offline, friendly dates and money, and the
disclosures of the contract page working from the keyboard without anything else."""

from __future__ import annotations

import re

from playwright.async_api import expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

BROKEN_IMAGES = (
    "Array.from(document.querySelectorAll('#sp-portal img'))"
    ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)"
)
FRIENDLY_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4}$")


async def test_product_pictures_load_and_amounts_read_naturally(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    page = portal.page
    card = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID)
    await expect(card.locator("img")).to_have_count(2)
    await card.locator("img").first.scroll_into_view_if_needed()
    # complete also means "gave up": then the list of broken ones says which
    await page.wait_for_function(
        "Array.from(document.querySelectorAll('#sp-portal img')).every(i => i.complete)"
    )
    assert await page.evaluate(BROKEN_IMAGES) == []
    assert await card.locator("img").first.evaluate("i => i.naturalWidth") == 128

    await expect(card).to_contain_text("Every month")
    await expect(card).to_contain_text("2 \u00d7 $9.50")
    # 24.00 + 2 x 9.50, 10% off, plus 4.90 delivery
    await expect(card.get_by_test_id("estimated-total")).to_have_text("$43.60")
    time = card.locator("time").first
    assert FRIENDLY_DATE.match(await time.inner_text())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", await time.get_attribute("datetime") or "")

    await page.get_by_role("button", name="Order history").click()
    await expect(page.get_by_test_id("order").first).to_contain_text("$43.11")
    await expect(page.get_by_test_id("order").first).to_contain_text("Fulfilled")


async def test_disclosures_open_from_the_keyboard(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    page = portal.page
    address = page.get_by_label("Address", exact=True)
    await expect(address).to_be_hidden()
    summary = page.locator("summary", has_text="Delivery address")
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(address).to_be_visible()
    await expect(address).to_have_value("12 Roastery Road")
    # cancelling stays apart, behind its own step
    cancel = page.get_by_test_id("action-cancel")
    await expect(cancel).to_be_hidden()
    await page.locator("summary", has_text="I want to cancel").focus()
    await page.keyboard.press("Enter")
    await expect(cancel).to_be_visible()


async def test_a_skipped_order_is_marked_and_can_be_unskipped(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    page = portal.page
    await portal.submit(page.get_by_role("button", name="Skip next order"))
    skipped = page.locator('[data-skipped="true"]')
    await expect(skipped).to_have_count(1)
    await expect(skipped).to_contain_text("This order will not be sent or charged.")
    await expect(skipped.get_by_role("button", name="Unskip")).to_be_visible()
    await expect(skipped).to_contain_text("Estimated total $43.60")
