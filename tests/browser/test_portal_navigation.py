"""Back, Reload and a second tab behave as on any good site (issue 11, item 6): the script
sends forms with fetch and keeps the page's own path in the address bar, never the session;
without script every form still posts and answers a page."""

from __future__ import annotations

from playwright.async_api import Browser, Request, expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, LINK_PATH, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID


async def open_contract(portal: Portal) -> list[str]:
    urls: list[str] = []

    def record(request: Request) -> None:
        urls.append(request.url)

    portal.page.on("request", record)
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    return urls


async def session_value(portal: Portal) -> str:
    value = await portal.page.locator('input[name="session"]').first.get_attribute("value")
    assert value
    return value


async def test_back_after_an_action_shows_the_previous_page_in_its_true_state(
    portal: Portal,
) -> None:
    await open_contract(portal)
    page = portal.page
    contract_url = f"{portal.sandbox.storefront_url}{LINK_PATH}/contracts/{ACTIVE}"
    await expect(page).to_have_url(contract_url)
    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await portal.expect_success("Your subscription is paused.")
    await expect(page).to_have_url(contract_url)

    await page.go_back()
    await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
    await expect(portal.card(ACTIVE).get_by_test_id("contract-status")).to_have_text("Paused")
    await page.go_forward()
    await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
    await expect(page.get_by_test_id("flash-error")).to_have_count(0)


async def test_reload_after_an_action_shows_the_page_without_resending(portal: Portal) -> None:
    await open_contract(portal)
    page = portal.page
    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await portal.expect_success("Your subscription is paused.")
    await page.reload()
    await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
    await expect(portal.card(ACTIVE).get_by_test_id("contract-status")).to_have_text("Paused")
    await expect(page.get_by_test_id("flash-error")).to_have_count(0)
    await expect(page.get_by_test_id("friendly")).to_have_count(0)
    # and the page still works: one more change
    await portal.submit(page.get_by_role("button", name="Resume subscription"))
    await portal.expect_success("Your subscription is active again.")


async def test_a_copied_url_opens_in_a_second_tab(portal: Portal) -> None:
    await open_contract(portal)
    url = portal.page.url
    second = await portal.page.context.new_page()
    await second.goto(url)
    await expect(second.get_by_role("heading", name="Manage subscription")).to_be_visible()
    await expect(second.get_by_test_id(f"contract-{ACTIVE}")).to_be_visible()
    await expect(second).to_have_url(url)


async def test_the_session_is_never_in_a_url(portal: Portal) -> None:
    urls = await open_contract(portal)
    page = portal.page
    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    await page.go_back()
    await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
    # a JWE's header is shared with link tokens: look for its ciphertext and tag
    _header, _key, _iv, ciphertext, tag = (await session_value(portal)).split(".")
    assert len(urls) > 5
    assert not [u for u in urls if "session" in u or ciphertext[:40] in u or tag in u]


async def test_without_script_every_form_still_works(browser: Browser, portal: Portal) -> None:
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID))
        await page.get_by_test_id("continue-button").click()
        await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
        await page.get_by_test_id(f"manage-{ACTIVE}").click()
        await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
        await page.get_by_role("button", name="Pause subscription").click()
        await expect(page.get_by_test_id("flash-success")).to_have_text(
            "Your subscription is paused."
        )
        assert portal.store.contracts[ACTIVE].terms.status == "PAUSED"
    finally:
        await context.close()
