"""Swap and one-time add-ons in Chromium, at phone and desktop widths: the proxy portal with
and without script, by keyboard, axe-clean at each step, and the customer account extension.
Set LINE_SCREENSHOTS=<dir> to keep screenshots of each step for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from shopify_app.sandbox import demo, demo_catalog
from shopify_app.sandbox.records import gid
from shopify_app.storage.models import Shop
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, axe_violations, mint_link
from tests.browser.test_customer_account import BUNDLE, Account

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]
SHOTS = Path(os.environ["LINE_SCREENSHOTS"]) if os.environ.get("LINE_SCREENSHOTS") else None
MUG = gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)
DASH, TIMES = "\u2013", "\u00d7"  # as the pages write them


async def shot(page: Page, name: str, width: int) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


async def offer_the_mug() -> None:
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    shop.addon_variants = [{"id": MUG, "title": "Ceramic Mug"}]
    await shop.save()


@pytest.mark.parametrize("width", WIDTHS)
async def test_swap_in_the_portal_with_its_price_and_a_confirmation(
    portal: Portal, width: int
) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    await shot(page, "contract", width)
    before = await portal.rendered()
    await page.get_by_role("button", name="Change House Blend Coffee").click()
    await portal.wait_rendered(before)
    await expect(page.get_by_role("heading", name="Change a product")).to_be_visible()
    await expect(page.get_by_role("group", name="Choose the new product")).to_be_visible()
    assert await axe_violations(page) == []
    await shot(page, "swap-choices", width)
    # By keyboard: the refill bag's radio, then Enter submits the form.
    refill = page.get_by_role("radio", name=f"House Blend Coffee {DASH} Refill bag")
    await refill.focus()
    await page.keyboard.press("Space")
    await expect(refill).to_be_checked()
    before = await portal.rendered()
    await page.keyboard.press("Enter")
    await portal.wait_rendered(before)
    await expect(page.get_by_role("heading", name="Confirm the change")).to_be_visible()
    await expect(page.get_by_test_id("swap-new-price")).to_contain_text("43.20")
    assert await axe_violations(page) == []
    await shot(page, "swap-confirm", width)
    line = portal.store.contracts[ACTIVE].terms.lines[0]
    assert line.variant_title == "1 kg / Beans"  # nothing changed before confirming
    await portal.submit(page.get_by_role("button", name="Confirm change"))
    await portal.expect_success("The product has changed.")
    assert portal.store.contracts[ACTIVE].terms.lines[0].variant_title == "Refill bag"
    assert await axe_violations(page) == []
    await shot(page, "swap-done", width)


async def test_shopifys_refusal_is_shown_on_the_swap(portal: Portal) -> None:
    page = portal.page
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    before = await portal.rendered()
    await page.get_by_role("button", name="Change House Blend Coffee").click()
    await portal.wait_rendered(before)
    await page.get_by_role("radio", name=f"House Blend Coffee {DASH} Trial pack").check()
    await portal.submit(page.get_by_role("button", name="Review change"))
    await portal.submit(page.get_by_role("button", name="Confirm change"))
    await portal.expect_refusal("not sold by subscription with your plan")
    assert portal.store.contracts[ACTIVE].terms.lines[0].variant_title == "1 kg / Beans"
    assert await axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
async def test_add_on_to_the_next_order_then_remove_it(portal: Portal, width: int) -> None:
    await offer_the_mug()
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    mug = f"Ceramic Mug {DASH} White — $12.00"
    await page.get_by_label("Product", exact=True).select_option(label=mug)
    await page.get_by_label("Quantity", exact=True).fill("2")
    await portal.submit(page.get_by_role("button", name="Add to next order"))
    await portal.expect_success("Added to your next order only.")
    contract = portal.store.contracts[ACTIVE]
    (index,) = contract.cycle_edits
    cycle = page.get_by_test_id(f"cycle-{index}")
    added = f"Ceramic Mug {DASH} White {TIMES} 2"
    await expect(cycle.get_by_test_id("add-on")).to_contain_text(added)
    later = page.get_by_test_id(f"cycle-{index + 1}")
    await expect(later.get_by_test_id("add-on")).to_have_count(0)
    assert await axe_violations(page) == []
    await shot(page, "addon-added", width)
    remove = cycle.get_by_role("button", name="Remove Ceramic Mug")
    await remove.focus()
    before = await portal.rendered()
    await page.keyboard.press("Enter")
    await portal.wait_rendered(before)
    await portal.expect_success("Removed from that order.")
    assert [line.title for line in contract.cycle_edits[index].lines] == [
        line.title for line in contract.terms.lines
    ]


async def test_without_script_swap_and_add_on_work(browser: Browser, portal: Portal) -> None:
    await offer_the_mug()
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID))
        await page.get_by_test_id("continue-button").click()
        await page.get_by_test_id(f"manage-{ACTIVE}").click()
        await page.get_by_role("button", name="Change Decaf Colombia").click()
        await page.get_by_role("radio", name=f"Decaf Colombia {DASH} Refill bag").check()
        await page.get_by_role("button", name="Review change").click()
        await page.get_by_role("button", name="Confirm change").click()
        await expect(page.get_by_test_id("flash-success")).to_have_text("The product has changed.")
        assert portal.store.contracts[ACTIVE].terms.lines[1].variant_title == "Refill bag"
        await page.get_by_role("button", name="Add to next order").click()
        await expect(page.get_by_test_id("flash-success")).to_have_text(
            "Added to your next order only."
        )
        assert len(portal.store.contracts[ACTIVE].cycle_edits) == 1
    finally:
        await context.close()


async def test_french_swap_page(portal: Portal) -> None:
    page = portal.page
    await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID, locale="fr"))
    await expect(page.get_by_role("heading", name="Vos abonnements")).to_be_visible()
    await portal.card(ACTIVE).get_by_role("button").first.click()
    before = await portal.rendered()
    await page.get_by_role("button", name="Changer House Blend Coffee").click()
    await portal.wait_rendered(before)
    await expect(page.get_by_role("heading", name="Changer un produit")).to_be_visible()
    await expect(page.get_by_role("button", name="Vérifier le changement")).to_be_visible()
    await shot(page, "swap-choices-fr", 390)


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_extension_swaps_and_adds(
    new_page: PageFactory, portal: Portal, width: int
) -> None:
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE} is missing: `make extensions` builds it")
    await offer_the_mug()
    account = Account(await new_page(), portal.sandbox)
    page = account.page
    await page.set_viewport_size({"width": width, "height": 900})
    await account.sign_in()
    await account.manage()
    await page.get_by_role("button", name="Change House Blend Coffee").click()
    await page.get_by_label("New product").select_option(
        label=f"House Blend Coffee {DASH} Refill bag — $43.20 per delivery"
    )
    await page.get_by_role("button", name="Review change").click()
    await expect(page.get_by_text("New price: $43.20 per delivery")).to_be_visible()
    assert await axe_violations(page, "body") == []
    await shot(page, "extension-swap-confirm", width)
    await page.get_by_role("button", name="Confirm change").click()
    await account.expect_done("The product is changed.")
    assert account.store.contracts[ACTIVE].terms.lines[0].variant_title == "Refill bag"
    # The swap section starts over from the subscription as it now stands.
    await expect(page.get_by_role("button", name="Confirm change")).to_have_count(0)
    await expect(page.get_by_role("button", name="Change House Blend Coffee")).to_be_visible()
    await page.get_by_role("button", name="Add to next order").click()
    await account.expect_done("Added to your next order only.")
    await expect(page.get_by_text(f"Ceramic Mug {TIMES} 1")).to_be_visible()
    assert await axe_violations(page, "body") == []
    await shot(page, "extension-addon", width)
    await page.get_by_role("button", name="Remove Ceramic Mug").click()
    await account.expect_done("Removed from that order.")
