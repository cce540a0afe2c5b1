"""A contract with more lines and discounts than the page reads says so, on phone and desktop."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.records import Discount
from tests.browser.harness import BROWSER_TESTS, Portal, axe_violations, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
SHOTS = Path(os.environ["PORTAL_SCREENSHOTS"]) if os.environ.get("PORTAL_SCREENSHOTS") else None


@pytest.mark.parametrize("width", [390, 1280])
async def test_more_lines_and_discounts_than_shown(portal: Portal, width: int) -> None:
    terms = portal.store.contracts[ACTIVE].terms
    first = terms.lines[0]
    terms.lines = [replace(first, id=f"gid://shopify/SubscriptionLine/l{n}", title=f"Blend {n}")
                   for n in range(12)]
    terms.discounts = [Discount(id=f"gid://shopify/SubscriptionManualDiscount/d{n}",
                                title=f"Offer {n}", percentage=1) for n in range(6)]
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    card = portal.card(ACTIVE)
    await expect(card.get_by_test_id("more-lines")).to_have_text("and more products")
    await portal.manage(ACTIVE)
    await expect(card.get_by_test_id("more-lines")).to_have_text("and 2 more products")
    await expect(card.get_by_test_id("more-discounts")).to_have_text("and more discounts")
    await expect(card.get_by_test_id("estimated-total")).to_have_count(0)
    assert await axe_violations(page) == []
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"long-contract-{width}.png"), full_page=True)
        for note in ("more-discounts", "more-lines"):  # close-ups a person can read
            box = await card.get_by_test_id(note).bounding_box()
            assert box is not None
            top = max(0, box["y"] - 250)
            clip = {"x": 0, "y": top, "width": width, "height": 400}
            await page.screenshot(path=str(SHOTS / f"long-{note}-{width}.png"), full_page=True,
                                  clip=clip)
