"""The admin's cancel flow in Chromium: the reasons edited (add, rename, reorder, remove, an
offer each), a bad value shown on its field with nothing saved, the portal obeying, and the
saves-against-cancellations report after customers went through the flow."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import Shop
from tests.browser.admin_driver import axe_violations, open_direct
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS

SHOTS = Path(os.environ["CANCEL_SCREENSHOTS"]) if os.environ.get("CANCEL_SCREENSHOTS") else None
ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID


async def test_edit_the_reasons_and_the_portal_obeys(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    assert await open_direct(page, sandbox) == []
    editor = page.locator("#cancel-flow")
    await expect(editor.get_by_label("Reason 1", exact=True)).to_have_value("Too expensive")
    await expect(editor.locator("#reason-list > li")).to_have_count(6)

    # Rename the first, give it a discount offer with a bad code: refused on its field.
    await editor.get_by_label("Reason 1", exact=True).fill("Costs too much")
    offer = editor.get_by_label("Offer before cancelling (reason 1)")
    await offer.select_option("discount")
    code = editor.get_by_label("Discount code (reason 1)")
    await code.fill("TWO WORDS")
    await editor.get_by_role("button", name="Save reasons").click()
    await expect(code).to_have_attribute("aria-invalid", "true")
    await expect(code).to_be_focused()
    await expect(page.locator(f"#{await code.get_attribute('id')}-err")).to_contain_text(
        "without spaces")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.cancel_flow is None  # nothing half-written

    await code.fill("STAY20")
    # Remove "Shipping issues", move "Other reason" up, add one with a two-month pause.
    await editor.get_by_role("button", name="Remove: Shipping issues").click()
    await editor.get_by_role("button", name="Move up: Other reason").click()
    await expect(editor.get_by_role("button", name="Move up: Other reason")).to_be_focused()
    await editor.get_by_role("button", name="Add a reason").click()
    await expect(editor.get_by_label("Reason 6", exact=True)).to_be_focused()
    await page.keyboard.type("Moving abroad")
    await editor.get_by_label("Offer before cancelling (reason 6)").select_option("pause")
    await editor.get_by_label("Pause for (reason 6)").select_option("2")
    await editor.get_by_role("button", name="Save reasons").click()
    await expect(page.locator("#reasons-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    stored = shop.cancel_flow["reasons"]
    assert [r["key"] for r in stored] == [
        "too_expensive", "too_much", "no_longer_needed", "other", "did_not_like",
        "moving_abroad"]
    assert stored[0] == {"key": "too_expensive", "label": "Costs too much", "free_text": False,
                         "offer": {"kind": "discount", "code": "STAY20"}}
    assert stored[-1]["offer"] == {"kind": "pause", "months": 2}

    for width in (390, 1280):
        await page.set_viewport_size({"width": width, "height": 900})
        overflow = await page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (width, overflow)
        assert await axe_violations(page) == [], width
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            await editor.screenshot(path=str(SHOTS / f"admin-reasons-{width}.png"))

    # The portal lists them in that order and shows the discount offer.
    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    await portal.open_section("I want to cancel")
    labels = portal.page.locator(".sp-choice > label")
    await expect(labels).to_have_text(["Costs too much", "I have too much",
                                       "I no longer need it", "Other reason",
                                       "I didn't like the product", "Moving abroad"])
    await portal.page.get_by_label("Costs too much").check()
    await portal.submit(portal.page.get_by_test_id("action-cancel"))
    await expect(portal.page.get_by_test_id("offer")).to_contain_text("STAY20")


async def test_the_report_shows_saves_against_cancellations(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    # Saved: "I have too much" → skip accepted.
    await portal.open_section("I want to cancel")
    await portal.page.get_by_label("I have too much", exact=True).check()
    await portal.submit(portal.page.get_by_test_id("action-cancel"))
    await portal.submit(portal.page.get_by_test_id("offer-accept"))
    await portal.expect_success("Your next order is skipped. We are glad you are staying.")
    # Cancelled: the paused one, for "Too expensive" (no offer).
    await portal.page.get_by_test_id("nav-subscriptions").click()
    await portal.manage(PAUSED)
    await portal.cancel("Too expensive")
    await portal.expect_success("Your subscription is cancelled.")

    page = await new_page()
    await open_direct(page, sandbox)
    await expect(page.locator("#saves-summary")).to_have_text(
        "2 customers started to cancel in the last 30 days: 1 saved by an offer, 1 cancelled,"
        " 0 stopped before the end. Save rate 50%.")
    rows = page.locator("#saves-rows tr")
    await expect(rows).to_have_count(2)
    await expect(page.locator('#saves-rows tr[data-reason="too_much"] td')).to_have_text(
        ["I have too much", "1", "1", "1", "0", "100%"])
    await expect(page.locator('#saves-rows tr[data-reason="too_expensive"] td')).to_have_text(
        ["Too expensive", "1", "0", "0", "1", "0%"])
    assert await page.locator("#saves-chart title").text_content() == (
        "Saves and cancellations per day: 1 saved, 1 cancelled in 30 days")
    last = page.locator("#saves-chart rect[data-saved]").last
    assert await last.get_attribute("data-saved") == "1"
    for width in (390, 1280):
        await page.set_viewport_size({"width": width, "height": 900})
        assert await axe_violations(page) == [], width
        if SHOTS is not None:
            await page.locator("#saves").screenshot(path=str(SHOTS / f"admin-saves-{width}.png"))
