"""Theme fit (issue 11, item 13): buttons and accents follow the theme's custom properties
when it has them; the standalone page uses the system's sans-serif, not Times."""

from __future__ import annotations

from playwright.async_api import expect

from shopify_app.sandbox import demo
from shopify_app.storage.models import Shop
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

# Dawn (and the themes built on it) declare colours as RGB triplets on :root.
THEME = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " const s = document.createElement('style');"
    " s.textContent = ':root { --color-button: 120, 20, 60; --color-button-text: 250, 250, 240; }';"
    " document.head.appendChild(s); });"
)


async def test_buttons_follow_the_theme_s_colours(portal: Portal) -> None:
    await portal.page.add_init_script(THEME)
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    manage = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID).get_by_role("button", name="Manage")
    await expect(manage).to_have_css("background-color", "rgb(120, 20, 60)")
    await expect(manage).to_have_css("color", "rgb(250, 250, 240)")


async def test_without_theme_colours_the_portal_keeps_its_own(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    manage = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID).get_by_role("button", name="Manage")
    await expect(manage).to_have_css("background-color", "rgb(31, 95, 139)")
    await expect(manage).to_have_css("color", "rgb(255, 255, 255)")


async def test_the_standalone_page_uses_a_system_font(portal: Portal) -> None:
    await Shop.filter(domain=demo.DEMO_SHOP).update(portal_format="html")
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    body = portal.page.locator("body")
    family = await body.evaluate("b => getComputedStyle(b).fontFamily")
    assert family.startswith("system-ui"), family
    assert "Times" not in family
    heading = portal.page.get_by_role("heading", name="Your subscriptions")
    assert (await heading.evaluate("h => getComputedStyle(h).fontFamily")) == family
