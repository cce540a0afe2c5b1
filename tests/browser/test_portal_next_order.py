"""Issue 11, item 2 on the overview: after skipping the next order, the subscriptions list shows
the next order that will really bill (Shopify keeps `nextBillingDate` on the skipped cycle)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
# Set PORTAL_SCREENSHOTS=<dir> to keep the 390 and 1280 px screenshots for a person to look at.
SHOTS = Path(os.environ["PORTAL_SCREENSHOTS"]) if os.environ.get("PORTAL_SCREENSHOTS") else None


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_overview_shows_the_next_unskipped_order(portal: Portal, width: int) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    card_date = portal.card(ACTIVE).get_by_test_id("next-order").locator("time")
    await portal.manage(ACTIVE)
    upcoming = page.get_by_test_id("upcoming").locator("li time")
    first_day = await upcoming.nth(0).get_attribute("datetime")
    second_day = await upcoming.nth(1).get_attribute("datetime")
    assert first_day and second_day and first_day != second_day

    await portal.submit(page.get_by_role("button", name="Skip next order"))
    await portal.expect_success("The order will be skipped.")
    await page.get_by_role("button", name="My subscriptions").click()
    await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
    await expect(page.get_by_role("heading", name="Manage subscription")).to_have_count(0)
    await expect(card_date).to_have_attribute("datetime", second_day)
    # what Shopify itself still says: the skipped cycle's date
    assert portal.store.contracts[ACTIVE].terms.next_billing_date.date().isoformat() == first_day
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"overview-after-skip-{width}.png"), full_page=True)
