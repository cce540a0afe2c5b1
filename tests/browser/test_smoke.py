"""The harness itself: Chromium starts and renders pages served by a real uvicorn and by the
sandbox's storefront proxy."""

from __future__ import annotations

from playwright.async_api import expect

from shopify_app.app import create_app
from shopify_app.sandbox import demo
from shopify_app.settings import Settings
from tests.browser.harness import BROWSER_TESTS, LINK_PATH, PageFactory, Portal, mint_link
from tests.support.databases import DatabaseFactory
from tests.support.live import serving

pytestmark = BROWSER_TESTS


async def test_chromium_renders_the_app(
    new_page: PageFactory, database_factory: DatabaseFactory
) -> None:
    settings = Settings(
        api_key="browser-client-id",
        api_secret="browser-secret",
        database_url=await database_factory.new_url(),
    )
    async with serving(create_app(settings)) as base:
        page = await new_page()
        health = await page.goto(f"{base}/healthz")
        assert health is not None and health.status == 200
        await expect(page.locator("body")).to_contain_text('"status":"ok"')
        missing = await page.goto(f"{base}/no-such-page")
        assert missing is not None and missing.status == 404
        await expect(page.get_by_role("heading", level=1)).to_have_text("Not Found")


async def test_a_minted_link_opens_the_portal_through_the_storefront(portal: Portal) -> None:
    link = await mint_link(portal.sandbox, demo.ALICE_ID)
    await portal.open(link)
    page = portal.page
    # inside the store's theme, as Shopify renders application/liquid
    assert page.url.startswith(f"{portal.sandbox.storefront_url}/tools/recurring/customer_portal")
    # the token was POSTed; the address bar no longer holds it (the script replaced the entry)
    await expect(page).to_have_url(f"{portal.sandbox.storefront_url}{LINK_PATH}")
    await expect(page.get_by_test_id("greeting")).to_have_text("Hello Alice!")
    await expect(portal.card(demo.ALICE_ACTIVE_CONTRACT_ID)).to_be_visible()
    await expect(portal.card(demo.ALICE_PAUSED_CONTRACT_ID)).to_be_visible()
