"""The customer account extension's address form in Chromium, against the real backend: the
province list follows the country, refusals sit on their fields, all subscriptions at once,
French, phone and desktop widths, axe.

Set ADDRESS_SCREENSHOTS=<dir> to keep the screenshots for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from tests.browser.harness import BROWSER_TESTS, PageFactory, axe_violations
from tests.browser.test_customer_account import ACTIVE_TITLE, BUNDLE, Account

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
PAUSED = demo.ALICE_PAUSED_CONTRACT_ID
SHOTS = os.environ.get("ADDRESS_SCREENSHOTS")


@pytest.fixture(autouse=True)
def built_bundle() -> None:
    if not BUNDLE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{BUNDLE} is missing: `make extensions` builds it")
        pytest.skip(f"{BUNDLE} is missing: `make extensions` builds it")


def section(page: Page, heading: str) -> Locator:
    return page.locator("s-section", has=page.get_by_role("heading", name=heading))


async def fits(page: Page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_extension_address_form(
    new_page: PageFactory, sandbox: SandboxHandle, width: int
) -> None:
    account = Account(await new_page(), sandbox)
    page = account.page
    await page.set_viewport_size({"width": width, "height": 900})
    await account.sign_in()
    await account.manage()
    form = section(page, "Delivery address")
    country = form.get_by_label("Country/region")
    await expect(country).to_have_value("US")
    await expect(form.get_by_label("State")).to_have_value("NY")
    await expect(form.get_by_label("ZIP code")).to_have_value("11201")
    await country.select_option("CA")
    province = form.get_by_label("Province")
    await expect(province).to_be_visible()  # the list followed the country
    await expect(form.get_by_label("ZIP code")).to_have_count(0)
    await province.select_option("ON")
    await form.get_by_label("City").fill("Toronto")
    await form.get_by_label("Postal code").fill("90210")
    await form.get_by_role("button", name="Save address").click()
    postal = form.get_by_label("Postal code")
    await expect(postal).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_text(
        "This does not look like a postal code of this country (for example H3Z 2Y7)."
    )).to_be_visible()
    await expect(postal).to_have_value("90210")  # what was typed stays
    await fits(page)
    assert await axe_violations(page, "body") == []
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await form.screenshot(path=str(Path(SHOTS) / f"account-address-refused-{width}.png"))
    await postal.fill("M5H 1A1")
    await form.get_by_label("Use this address for all my subscriptions (2)").check()
    await form.get_by_role("button", name="Save address").click()
    await account.expect_done("The delivery address of your 2 subscriptions is saved.")
    for cid in (ACTIVE, PAUSED):
        address = sandbox.store.contracts[cid].terms.address
        assert (address.city, address.province_code, address.zip) == ("Toronto", "ON", "M5H 1A1")
    assert await axe_violations(page, "body") == []


async def test_a_partial_failure_names_each_subscription(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    account = Account(await new_page(), sandbox)
    page = account.page
    await account.sign_in()
    await account.manage()
    form = section(page, "Delivery address")
    await form.get_by_label("City").fill("Albany")
    await form.get_by_label("ZIP code").fill("12207")
    sandbox.store.concurrent_edits.add(PAUSED)
    await form.get_by_label("Use this address for all my subscriptions (2)").check()
    await form.get_by_role("button", name="Save address").click()
    await expect(form.get_by_text(
        f"Changed: {ACTIVE_TITLE.split(',')[0]}. Not changed: Earl Grey Tea."
    , exact=False)).to_be_visible()
    assert sandbox.store.contracts[ACTIVE].terms.address.city == "Albany"
    assert sandbox.store.contracts[PAUSED].terms.address.city == "Brooklyn"


async def test_in_french(new_page: PageFactory, sandbox: SandboxHandle) -> None:
    account = Account(await new_page(), sandbox)
    page = account.page
    await account.sign_in(locale="fr")
    await page.get_by_role("button", name=f"Gérer {ACTIVE_TITLE}").click()
    form = section(page, "Adresse de livraison")
    country = form.get_by_label("Pays/région")
    await expect(country).to_have_value("US")
    await expect(country.locator("option:checked")).to_have_text("États-Unis")
    await country.select_option("CA")
    await form.get_by_label("Province").select_option("QC")
    await expect(form.get_by_label("Province").locator("option:checked")).to_have_text("Québec")
    assert await axe_violations(page, "body") == []
