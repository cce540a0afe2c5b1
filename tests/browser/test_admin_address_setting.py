"""The merchant's "all subscriptions at once" setting in the embedded admin: on by default,
saved off, then obeyed by the portal (no box, a forged one ignored)."""

from __future__ import annotations

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import Shop
from tests.browser.admin_driver import open_direct
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
LABEL = "Change the address of all their subscriptions at once"


async def test_the_setting_is_on_by_default_and_obeyed_when_off(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    admin = await new_page()
    assert await open_direct(admin, sandbox) == []
    box = admin.get_by_label(LABEL)
    await expect(box).to_be_checked()
    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)
    await portal.open_section("Delivery address")
    await expect(portal.page.get_by_label("Use this address for all my subscriptions (2)")
                 ).to_be_visible()

    await box.focus()
    await admin.keyboard.press("Space")  # the keyboard reaches it
    await expect(box).not_to_be_checked()
    await admin.get_by_role("button", name="Save settings").click()
    await expect(admin.locator("#settings-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.portal_actions["change_address_all"] is False
    assert shop.portal_actions["change_address"] is True

    again = Portal(await new_page(), sandbox)
    await again.open(await mint_link(sandbox, demo.ALICE_ID))
    await again.manage(ACTIVE)
    await again.open_section("Delivery address")
    await expect(again.page.get_by_text("Use this address for all my subscriptions")
                 ).to_have_count(0)
