"""The delivery address in Chromium, at phone and desktop widths: the form follows the country
(with script at once, without script by its button), refusals sit on their fields, the fields
fit their card, the keyboard does everything, axe finds nothing, in English and French.

Set ADDRESS_SCREENSHOTS=<dir> to keep the screenshots for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, Portal, axe_violations, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID
WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]
SHOTS = os.environ.get("ADDRESS_SCREENSHOTS")


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
        card = page.locator("#changes")
        if await card.count():
            await card.screenshot(path=str(Path(SHOTS) / f"{name}-card.png"))


async def fits_its_card(page: Page, form: Locator) -> None:
    """Every control of the form lies inside the card around it (nothing overflows or
    overlaps its neighbour in a row)."""
    boxes = await form.evaluate(
        """form => {
          const card = form.closest('.sp-card').getBoundingClientRect();
          return [...form.querySelectorAll('input:not([type=hidden]), select, button')]
            .filter(el => el.offsetParent !== null)
            .map(el => { const b = el.getBoundingClientRect();
              return {name: el.name || el.textContent, left: b.left, right: b.right,
                      top: b.top, bottom: b.bottom, cardLeft: card.left, cardRight: card.right}; });
        }"""
    )
    assert boxes
    for box in boxes:
        assert box["left"] >= box["cardLeft"] - 0.5, box
        assert box["right"] <= box["cardRight"] + 0.5, box
    for a in boxes:
        for b in boxes:
            if a is b:
                continue
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a["name"], b["name"])


async def open_address(portal: Portal) -> Locator:
    await portal.manage(ACTIVE)
    await portal.open_section("Delivery address")
    return portal.page.locator("form.sp-address-form")


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_form_follows_the_country_and_saves_everywhere(
    portal: Portal, width: int
) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    form = await open_address(portal)
    await expect(portal.card(ACTIVE).get_by_test_id("address")).to_contain_text(
        "Brooklyn, New York 11201"
    )
    country = page.get_by_label("Country/region")
    await expect(country).to_have_value("US")
    await expect(page.get_by_label("State")).to_have_value("NY")
    await expect(form.get_by_test_id("address-refresh")).to_be_hidden()  # script does it
    await fits_its_card(page, form)
    assert await axe_violations(page) == []
    await shot(page, f"address-us-{width}")

    await page.get_by_label("Address", exact=True).fill("1 King Street W")
    await country.select_option("CA")
    province = page.get_by_label("Province")
    await expect(province).to_be_visible()  # only the form was replaced
    await expect(page.get_by_label("Address", exact=True)).to_have_value("1 King Street W")
    await expect(page.get_by_label("Country/region")).to_have_value("CA")
    await province.select_option(label="Ontario")
    await page.get_by_label("City").fill("Toronto")
    await page.get_by_label("Postal code").fill("90210")
    await portal.submit(page.get_by_test_id("action-change-address"))
    await portal.expect_refusal("Please check the highlighted address fields.")
    postal = page.get_by_label("Postal code")
    await expect(postal).to_have_attribute("aria-invalid", "true")
    await expect(postal).to_have_value("90210")
    await expect(page.locator(f"#sp-{ACTIVE}-zip-error")).to_have_text(
        "This does not look like a postal code of Canada (for example H3Z 2Y7)."
    )
    await fits_its_card(page, page.locator("form.sp-address-form"))
    assert await axe_violations(page) == []
    await shot(page, f"address-refused-{width}")

    await postal.fill("M5H 1A1")
    await page.get_by_label("Use this address for all my subscriptions (2)").check()
    await portal.submit(page.get_by_test_id("action-change-address"))
    await portal.expect_success("The delivery address of your 2 subscriptions has changed.")
    for cid in (ACTIVE, PAUSED):
        address = portal.store.contracts[cid].terms.address
        assert (address.city, address.province_code, address.zip) == ("Toronto", "ON", "M5H 1A1")
    await expect(portal.card(ACTIVE).get_by_test_id("address")).to_contain_text(
        "Toronto Ontario M5H 1A1"
    )
    assert await axe_violations(page) == []
    await shot(page, f"address-saved-{width}")


async def test_the_keyboard_changes_country_and_saves_with_enter(portal: Portal) -> None:
    page = portal.page
    await page.set_viewport_size({"width": 1280, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    summary = page.locator("#address > summary")
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#address")).to_have_attribute("open", "")
    await page.keyboard.press("Tab")
    country = page.get_by_label("Country/region")
    await expect(country).to_be_focused()
    await page.keyboard.type("Germany")  # a closed select picks by typing
    await expect(page.get_by_label("State")).to_have_count(0)  # Germany has no state list
    await expect(page.get_by_label("Country/region")).to_be_focused()  # focus stayed
    await expect(page.get_by_label("Country/region")).to_have_value("DE")
    # Germany writes the postal code before the city.
    labels = await page.locator("form.sp-address-form label").all_inner_texts()
    assert labels.index("Postal code") < labels.index("City")
    for _ in range(6):
        await page.keyboard.press("Tab")
        if await page.get_by_label("Postal code").evaluate("el => el === document.activeElement"):
            break
    await expect(page.get_by_label("Postal code")).to_be_focused()
    await page.keyboard.type("10115")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Berlin")
    before = await portal.rendered()
    await page.keyboard.press("Enter")  # the form's first button: save, not re-shape
    await portal.wait_rendered(before)
    await portal.expect_success("Your delivery address has changed.")
    await expect(page.locator("#sp-outcome")).to_be_focused()
    address = portal.store.contracts[ACTIVE].terms.address
    assert (address.zip, address.city, address.country_code) == ("10115", "Berlin", "DE")


async def test_without_script_the_country_button_reshapes_the_form(
    browser: Browser, portal: Portal
) -> None:
    context = await browser.new_context(java_script_enabled=False, viewport={"width": 390,
                                                                           "height": 844})
    try:
        page = await context.new_page()
        await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID))
        await page.get_by_test_id("continue-button").click()
        await page.get_by_test_id(f"manage-{ACTIVE}").click()
        await page.locator("#address > summary").click()
        await page.get_by_label("Address", exact=True).fill("1-1 Jingumae")
        await page.get_by_label("Country/region").select_option("JP")
        await page.get_by_test_id("address-refresh").click()
        prefecture = page.get_by_label("Prefecture")
        await expect(prefecture).to_be_visible()
        await expect(page.get_by_label("Address", exact=True)).to_have_value("1-1 Jingumae")
        await expect(page.get_by_label("Country/region")).to_be_focused()
        await fits_its_card(page, page.locator("form.sp-address-form"))
        await shot(page, "address-noscript-jp-form-390")
        await prefecture.select_option(label="Tokyo")
        await page.get_by_label("City").fill("Shibuya")
        await page.get_by_label("Postal code").fill("150-0001")
        await page.get_by_test_id("action-change-address").click()
        await expect(page.get_by_test_id("flash-success")).to_have_text(
            "Your delivery address has changed."
        )
        address = portal.store.contracts[ACTIVE].terms.address
        assert (address.province_code, address.zip, address.country_code) == (
            "JP-13", "150-0001", "JP"
        )
        await expect(page.get_by_test_id("address").first).to_contain_text("Shibuya, Tokyo")
        await fits_its_card(page, page.locator("form.sp-address-form"))
        await shot(page, "address-noscript-jp-390")
    finally:
        await context.close()


@pytest.mark.parametrize("width", WIDTHS)
async def test_in_french(portal: Portal, width: int) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID, locale="fr"))
    await expect(page.get_by_role("heading", name="Vos abonnements")).to_be_visible()
    before = await portal.rendered()
    await portal.card(ACTIVE).get_by_role("button", name="Gérer").click()
    await portal.wait_rendered(before)
    await page.locator("#address > summary").click()
    country = page.get_by_label("Pays/région")
    await expect(country.locator("option:checked")).to_have_text("États-Unis")
    await expect(page.get_by_label("Code ZIP")).to_have_value("11201")
    await country.select_option("CA")
    await expect(page.get_by_label("Province")).to_be_visible()
    await page.get_by_label("Province").select_option("QC")
    await expect(page.get_by_label("Province").locator("option:checked")).to_have_text("Québec")
    await page.get_by_label("Code postal").fill("12345")
    await portal.submit(page.get_by_role("button", name="Enregistrer l'adresse"))
    await portal.expect_refusal("Veuillez vérifier les champs d'adresse signalés.")
    await expect(page.locator(f"#sp-{ACTIVE}-zip-error")).to_have_text(
        "Ce code postal ne semble pas valide pour ce pays : Canada (par exemple H3Z 2Y7)."
    )
    await expect(page.get_by_label("Code postal")).to_have_value("12345")
    await fits_its_card(page, page.locator("form.sp-address-form"))
    assert await axe_violations(page) == []
    await shot(page, f"address-fr-{width}")
