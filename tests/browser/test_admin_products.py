"""The admin's "Products customers can choose" in Chromium: a collection and add-on products
found by searching the store, saved, then obeyed by the portal; by keyboard, axe-clean at
phone and desktop widths. ADMIN_SCREENSHOTS=<dir> keeps the screenshots."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import expect

from shopify_app.sandbox import demo, demo_catalog
from shopify_app.sandbox.records import gid
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import Shop
from tests.browser.admin_driver import axe_violations, open_direct
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS

SHOTS = Path(os.environ["ADMIN_SCREENSHOTS"]) if os.environ.get("ADMIN_SCREENSHOTS") else None


async def test_the_merchant_picks_a_collection_and_add_ons_by_search(
    new_page: PageFactory, sandbox: SandboxHandle, portal: Portal
) -> None:
    page = await new_page()
    assert await open_direct(page, sandbox) == []
    section = page.locator("#products")
    await expect(section.get_by_label("Other variants of the same product")).to_be_checked()
    # Keyboard: type a search, Enter runs it (and does not submit the form).
    await section.get_by_label("Find a collection").fill("favour")
    await section.get_by_label("Find a collection").press("Enter")
    use = section.get_by_role("button", name="Use Subscriber favourites")
    await use.focus()
    await page.keyboard.press("Enter")
    await expect(section.get_by_label("Products of a collection")).to_be_checked()
    await expect(page.locator("#swap-collection-chosen")).to_have_text(
        "Collection: Subscriber favourites")
    await section.get_by_label("Find a product").fill("mug")
    await section.get_by_role("button", name="Search products").click()
    await section.get_by_role("button", name="Offer Ceramic Mug - White").click()
    await expect(section.get_by_test_id("addon-chosen")).to_contain_text(["Ceramic Mug - White"])
    for width in (390, 1280):
        await page.set_viewport_size({"width": width, "height": 900})
        assert await axe_violations(page) == [], width
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            await section.screenshot(path=str(SHOTS / f"admin-products-{width}.png"))
    await section.get_by_role("button", name="Save products").click()
    await expect(page.locator("#products-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.swap_collection_id == gid("Collection", demo_catalog.FAVOURITES_COLLECTION_ID)
    mug = gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)
    assert shop.addon_variants == [{"id": mug, "title": "Ceramic Mug - White"}]

    # The portal obeys: the mug is offered for the next order.
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    await expect(portal.page.get_by_role("button", name="Add to next order")).to_be_visible()

    # Back to the same product's variants, nothing offered.
    await section.get_by_label("Other variants of the same product").check()
    await section.get_by_role("button", name="Remove Ceramic Mug - White").click()
    await section.get_by_role("button", name="Save products").click()
    await expect(page.locator("#products-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert (shop.swap_collection_id, shop.addon_variants) == (None, [])
