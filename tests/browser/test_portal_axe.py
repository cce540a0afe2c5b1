"""axe-core finds nothing on any portal page (issue 11), at phone and desktop widths: the
continue page, the overview, the order history, a subscription with every disclosure open,
after a change and after a refusal, a paused and an ended one, the friendly error pages, and
the standalone page."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from shopify_app.sandbox import demo
from shopify_app.storage.models import Shop
from tests.browser.harness import BROWSER_TESTS, LINK_PATH, Portal, axe_violations, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID
WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]
# The continue page submits itself at once; this stops portal.js so it stays to be checked.
HOLD_SCRIPT = "window.spPortal = { boot: function () {} };"


async def clean(page: Page, what: str) -> None:
    assert await axe_violations(page) == [], what


@pytest.mark.parametrize("width", WIDTHS)
async def test_every_portal_page_has_no_axe_violation(portal: Portal, width: int) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    link = await mint_link(portal.sandbox, demo.ALICE_ID)

    held = await page.context.new_page()
    await held.add_init_script(HOLD_SCRIPT)
    await held.goto(link)
    await expect(held.get_by_test_id("continue-button")).to_be_visible()
    await clean(held, "continue page")
    await held.close()

    await portal.open(link)
    await clean(page, "overview")
    before = await portal.rendered()
    await page.get_by_role("button", name="Order history").click()
    await portal.wait_rendered(before)
    await clean(page, "orders")

    before = await portal.rendered()
    await page.get_by_role("button", name="My subscriptions").click()
    await portal.wait_rendered(before)
    await portal.manage(ACTIVE)
    for title in ("Quantities", "Delivery address", "Discount codes", "I want to cancel"):
        await portal.open_section(title)
    await clean(page, "contract page, disclosures open")

    await page.get_by_label("Discount code", exact=True).fill("NOT-A-CODE")
    await portal.submit(page.get_by_role("button", name="Apply code"))
    await expect(page.get_by_role("alert")).to_be_visible()
    await clean(page, "refusal")

    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await portal.expect_success("Your subscription is paused.")
    await clean(page, "paused, after a change")

    await portal.cancel()
    await portal.expect_success("Your subscription is cancelled.")
    await clean(page, "ended")


async def test_error_pages_and_the_standalone_page_have_no_axe_violation(
    portal: Portal,
) -> None:
    page = portal.page
    link = await mint_link(portal.sandbox, demo.ALICE_ID)
    await portal.open(link)
    spent = await page.context.new_page()
    await spent.goto(link)
    await expect(spent.get_by_test_id("friendly")).to_have_attribute("data-code", "token_spent")
    await clean(spent, "spent link")

    stranger = await page.context.browser.new_page()  # type: ignore[union-attr]
    try:
        await stranger.goto(f"{portal.sandbox.storefront_url}{LINK_PATH}/orders")
        await expect(stranger.get_by_test_id("friendly")).to_have_attribute(
            "data-code", "login_required"
        )
        await clean(stranger, "sign-in page")
    finally:
        await stranger.close()

    await Shop.filter(domain=demo.DEMO_SHOP).update(portal_format="html")
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await clean(page, "standalone overview")
    assert await axe_violations(page, "html") == [], "standalone document"
