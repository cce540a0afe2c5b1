"""Refusals and error pages in the customer's language (issue 11, items 9 and 10): a refused
discount code keeps what was typed and reads Shopify's known code from the catalogue; an
error page follows the link's locale (`fr-CA` → French), else the shop's default."""

from __future__ import annotations

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.storage.models import Shop
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID


async def test_an_invalid_code_is_kept_and_its_refusal_is_in_french(portal: Portal) -> None:
    page = portal.page
    await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID, locale="fr"))
    await expect(page.get_by_role("heading", name="Vos abonnements")).to_be_visible()
    before = await portal.rendered()
    await portal.card(ACTIVE).get_by_role("button", name="Gérer").click()
    await portal.wait_rendered(before)
    await page.locator("summary", has_text="Codes de réduction").click()
    field = page.get_by_label("Code de réduction", exact=True)
    await field.fill("PAS-UN-CODE")
    await portal.submit(page.get_by_role("button", name="Appliquer le code"))
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text(
        "Le magasin n'a pas pu effectuer ce changement : Ce code de réduction n'est pas valide."
    )
    await expect(field).to_have_value("PAS-UN-CODE")
    await expect(field).to_be_visible()


async def test_an_english_refusal_names_the_reason_not_shopify_s_text(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    page = portal.page
    await portal.open_section("Discount codes")
    await page.get_by_label("Discount code", exact=True).fill("NOT-A-CODE")
    await portal.submit(page.get_by_role("button", name="Apply code"))
    await expect(page.get_by_role("alert")).to_have_text(
        "The store could not make this change: This discount code is not valid."
    )
    await expect(page.get_by_label("Discount code", exact=True)).to_have_value("NOT-A-CODE")


async def test_a_used_link_s_error_page_follows_the_link_s_locale(portal: Portal) -> None:
    await Shop.filter(domain=demo.DEMO_SHOP).update(link_policy="single_use")
    link = await mint_link(portal.sandbox, demo.ALICE_ID, locale="fr-CA")
    page = portal.page
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Vos abonnements")).to_be_visible()
    second = await page.context.new_page()
    await second.goto(link)
    friendly = second.get_by_test_id("friendly")
    await expect(friendly).to_have_attribute("data-code", "token_spent")
    await expect(second.locator("#sp-portal")).to_have_attribute("lang", "fr")


async def test_a_tampered_link_s_error_page_uses_the_shop_s_default_locale(
    portal: Portal,
) -> None:
    await Shop.filter(domain=demo.DEMO_SHOP).update(default_locale="fr")
    link = await mint_link(portal.sandbox, demo.ALICE_ID)
    page = portal.page
    await page.goto(link[:-6] + ("AAAAAA" if not link.endswith("AAAAAA") else "BBBBBB"))
    await expect(page.get_by_test_id("friendly")).to_be_visible()
    await expect(page.locator("#sp-portal")).to_have_attribute("lang", "fr")
