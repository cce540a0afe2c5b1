"""Theme fit (issue 11, item 13): buttons and accents follow the theme's custom properties
when it has them; the standalone page uses the system's sans-serif, not Times."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Locator, expect

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
    # expect() retries: the heading read mid-navigation (a detached node) has no computed style
    await expect(heading).to_have_css("font-family", family)


# Dawn's shape: colours as RGB triplets, the body's font from `--font-body-family`.
DAWN = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " const s = document.createElement('style');"
    " s.textContent = ':root { --color-button: 120, 20, 60; --color-button-text: 250, 250, 240;"
    " --font-body-family: Georgia, serif; }"
    " body { font-family: var(--font-body-family); }';"
    " document.head.appendChild(s); });"
)
# Set PORTAL_SCREENSHOTS=<dir> to keep the 390 and 1280 px screenshots for a person to look at.
SHOTS = Path(os.environ["PORTAL_SCREENSHOTS"]) if os.environ.get("PORTAL_SCREENSHOTS") else None


async def _shoot(portal: Portal, name: str, width: int) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await portal.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


async def _style(locator: Locator, prop: str) -> str:
    return str(await locator.evaluate("(e, p) => getComputedStyle(e)[p]", prop))


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_dawn_like_theme_wins_over_the_merchants_accent(portal: Portal, width: int) -> None:
    """The theme's button colours and body font reach the portal's buttons, even when the
    merchant chose an accent: the portal is a page of the theme."""
    await Shop.filter(domain=demo.DEMO_SHOP).update(accent_color="#0a7d38")
    await portal.page.set_viewport_size({"width": width, "height": 900})
    await portal.page.add_init_script(DAWN)
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    manage = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID).get_by_role("button", name="Manage")
    await expect(manage).to_have_css("background-color", "rgb(120, 20, 60)")
    await expect(manage).to_have_css("color", "rgb(250, 250, 240)")
    assert await _style(manage, "fontFamily") == "Georgia, serif"
    history = portal.page.get_by_role("button", name="Order history")  # a secondary button
    await expect(history).to_have_css("color", "rgb(120, 20, 60)")
    assert await _style(history, "fontFamily") == "Georgia, serif"
    await _shoot(portal, "theme-dawn", width)


@pytest.mark.parametrize("width", [390, 1280])
async def test_without_theme_properties_buttons_follow_the_merchants_accent(
    portal: Portal, width: int
) -> None:
    await Shop.filter(domain=demo.DEMO_SHOP).update(accent_color="#aa3300", button_style="pill")
    await portal.page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    manage = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID).get_by_role("button", name="Manage")
    await expect(manage).to_have_css("background-color", "rgb(170, 51, 0)")
    await expect(manage).to_have_css("color", "rgb(255, 255, 255)")
    await expect(manage).to_have_css("border-top-left-radius", "999px")
    # pill is for buttons: the cards keep their corners (they were rounded into ovals)
    card = portal.card(demo.ALICE_ACTIVE_CONTRACT_ID)
    await expect(card).to_have_css("border-top-left-radius", "12px")
    history = portal.page.get_by_role("button", name="Order history")
    await expect(history).to_have_css("color", "rgb(170, 51, 0)")
    # the theme's own font (the sandbox theme's body), not a browser default
    family = await _style(manage, "fontFamily")
    body = await _style(portal.page.locator("body"), "fontFamily")
    assert family == body and "Times" not in family
    await _shoot(portal, "theme-accent", width)
