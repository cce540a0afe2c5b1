"""The embedded admin in Chromium, as a merchant uses it: framed by the sandbox's stand-in admin
(bounce page, App Bridge stand-in, token exchange) or opened with session tokens minted with the
app secret. Neither CDN script loads here: everything must work without them."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.async_api import Request, expect

from shopify_app.install.shops import uninstall
from shopify_app.keys import api_keys
from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import ApiKey, Shop
from tests.browser.admin_driver import axe_violations, open_direct, open_framed
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS

MANAGE_LINK = f"/api/external/v2/manage-subscription-link/{demo.ALICE_ID}"
# Set ADMIN_SCREENSHOTS=<dir> to keep the 390 and 1280 px screenshots for a person to look at.
SHOTS = Path(os.environ["ADMIN_SCREENSHOTS"]) if os.environ.get("ADMIN_SCREENSHOTS") else None


async def external_mint(sandbox: SandboxHandle, key: str, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=sandbox.app_url, timeout=15) as http:
        return await http.get(MANAGE_LINK, params=params, headers={"X-API-Key": key})


async def test_the_sandbox_admin_bounces_then_shows_the_app(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    requests: list[str] = []

    def seen(request: Request) -> None:
        if request.url.startswith(sandbox.app_url) and request.resource_type == "document":
            requests.append(request.url)

    page.on("request", seen)
    frame = await open_framed(page, sandbox)
    await expect(frame.get_by_text("Installed on Demo Coffee Roasters.")).to_be_visible()
    # First app home without a token, then the bounce, then app home with a fresh id_token.
    paths = [urlsplit(u).path for u in requests]
    assert paths[:3] == ["/", "/auth/session-token", "/"], requests
    assert "id_token" not in parse_qs(urlsplit(requests[0]).query)
    assert "id_token" in parse_qs(urlsplit(requests[2]).query)
    # The nav menu is in the admin's sidebar, as App Bridge puts it.
    await expect(page.locator("#app-nav a")).to_have_text(
        ["Setup", "Send a link", "API keys", "Portal settings", "Usage"])
    # The page's own calls carry the stand-in's session tokens: the API answered.
    open_portal = frame.get_by_role("button", name="Open the portal as Alice Martin")
    await expect(open_portal).to_be_visible()


async def test_a_shop_without_credentials_is_installed_by_token_exchange(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    await uninstall(demo.OTHER_SHOP, datetime.now(UTC))
    assert not (await Shop.get(domain=demo.OTHER_SHOP)).installed
    page = await new_page()
    frame = await open_framed(page, sandbox, demo.OTHER_SHOP)
    await expect(frame.get_by_text(f"Installed on {demo.OTHER_SHOP_NAME}.")).to_be_visible()
    shop = await Shop.get(domain=demo.OTHER_SHOP)
    assert shop.installed and shop.access_token and shop.access_token_expires_at
    assert sandbox.store.tokens.exchange_count[demo.OTHER_SHOP] == 1
    await expect(frame.get_by_text(re.compile(r"2 subscriptions of 2 customers"))).to_be_visible()


async def test_every_setting_is_saved_then_obeyed_by_the_portal(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    assert await open_direct(page, sandbox) == []
    message = page.locator("#settings-msg")
    save = page.get_by_role("button", name="Save settings")

    await page.get_by_label("Cancel a subscription").uncheck()
    await expect(page.get_by_label("How customers cancel when they cannot cancel in the portal")
                 ).to_have_attribute("aria-required", "true")
    await save.click()
    await expect(message).to_have_text(
        "Tell customers how to cancel when the portal cannot cancel for them.")
    assert (await Shop.get(domain=demo.DEMO_SHOP)).portal_actions == {}

    await page.get_by_label("How customers cancel when they cannot cancel in the portal").fill(
        "Email hello@demo.example <b>any day</b>.")
    await page.get_by_label("Pause a subscription").uncheck()
    await page.get_by_label("Every week", exact=True).uncheck()
    await page.get_by_label("Add: every").fill("5")
    await page.get_by_label("Unit").select_option("WEEK")
    await page.get_by_role("button", name="Add frequency").click()
    await expect(page.get_by_label("Every 5 weeks")).to_be_checked()
    await page.get_by_label("A link works until it expires").check()
    await page.get_by_label("Links last, unless the sender asks otherwise").select_option("30")
    await page.get_by_label("A standalone page").check()
    await page.get_by_label("Portal language when the customer's is unknown").select_option("fr")
    await page.get_by_label("Accent colour").fill("#aa3300")
    await page.get_by_label("Square").check()
    await page.get_by_label("Links per minute per API key", exact=True).fill("50")
    await page.get_by_label("Links per minute per API key in bulk (campaigns)").fill("20000")
    # The preview follows the form before saving.
    preview = page.locator("#preview")
    await expect(preview).to_contain_text("Email hello@demo.example <b>any day</b>.")
    await expect(preview.get_by_text("Pause subscription")).to_have_count(0)
    await save.click()
    await expect(message).to_have_text("Saved.")

    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.portal_actions["cancel"] is False and shop.portal_actions["pause"] is False
    assert {"interval": "WEEK", "count": 5} in shop.allowed_frequencies
    assert {"interval": "WEEK", "count": 1} not in shop.allowed_frequencies
    assert (shop.link_policy, shop.link_lifetime_minutes, shop.portal_format) == (
        "reusable", 30, "html")
    assert (shop.default_locale, shop.accent_color, shop.button_style, shop.mint_rate_limit) == (
        "fr", "#aa3300", "square", 50)
    assert shop.bulk_link_rate_limit == 20000
    await page.reload()
    await expect(page.get_by_label("Every 5 weeks")).to_be_checked()
    await expect(page.get_by_label("Square")).to_be_checked()

    # The portal obeys: a link without expiresInMinutes lasts 30 minutes, 50 a minute per key.
    _, key = await _new_key(shop)
    minted = await external_mint(sandbox, key)
    assert minted.status_code == 200, minted.text
    assert minted.json()["expiresInMinutes"] == 30
    assert minted.headers["RateLimit-Limit"] == "50"
    link = minted.json()["manageSubscriptionLink"]
    portal = await new_page()
    for _visit in range(2):  # reusable: the same link opens the portal again
        await portal.goto(link)
        await expect(portal.locator("#sp-portal")).to_be_visible()
    root = portal.locator("#sp-portal")
    await expect(root).to_have_attribute("lang", "fr")  # the default language
    await expect(portal.locator(".theme-header")).to_have_count(0)  # standalone page
    accent = await root.evaluate("e => getComputedStyle(e).getPropertyValue('--sp-accent')")
    assert accent.strip() == "rgb(170, 51, 0)"  # the theme declares no button colour here
    await portal.locator("[data-testid^=contract-] button").first.click()
    await expect(portal.get_by_test_id("cancel-instructions")).to_have_text(
        "Email hello@demo.example <b>any day</b>.")
    radius = await portal.locator("#sp-portal button").first.evaluate(
        "e => getComputedStyle(e).borderTopLeftRadius")
    assert radius == "0px"
    # Pause is off; the frequencies offered are the merchant's picks.
    await expect(portal.get_by_test_id("action-pause")).to_have_count(0)
    offered = await portal.locator("select option").evaluate_all(
        "options => options.map((o) => o.value)")
    assert "WEEK:5" in offered and "WEEK:3" not in offered


async def _new_key(shop: Shop) -> tuple[ApiKey, str]:
    return await api_keys.create_key(shop, "browser settings test")


async def test_an_api_key_created_shown_once_used_then_revoked(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    await open_direct(page, sandbox)
    await page.get_by_role("button", name="Create key").click()
    await expect(page.locator("#keys-msg")).to_have_text("Give the key a name.")
    await page.get_by_label("New key name").fill("Helpdesk <b>bot</b>")
    await page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-key input")
    await expect(shown).to_be_focused()
    key = await shown.input_value()
    assert key.startswith("ssp_")
    await page.locator("#new-key").get_by_role("button", name="Copy").click()
    await expect(page.locator("#new-key-msg")).to_have_text("Copied.")
    row = page.locator("#keys-rows tr").filter(has_text="Helpdesk <b>bot</b>")
    await expect(row.locator("td").nth(3)).to_have_text("Never")

    assert (await external_mint(sandbox, key, source="helpdesk")).status_code == 200
    await page.reload()
    await expect(page.locator("#new-key")).to_be_hidden()
    assert key not in await page.content()  # shown once
    await expect(row.locator("td").nth(3)).not_to_have_text("Never")  # last use
    stats = page.locator("#stats-rows tr").filter(has_text="helpdesk")
    await expect(stats.locator("td")).to_have_text(
        ["helpdesk", "Helpdesk <b>bot</b>", "1", "0", "0%"])

    await row.get_by_role("button", name="Revoke Helpdesk <b>bot</b>").click()
    await expect(row).to_contain_text("Anything using it stops working at once.")
    await expect(row.get_by_role("button", name="Keep key")).to_be_focused()
    await row.get_by_role("button", name="Keep key").click()
    assert (await external_mint(sandbox, key)).status_code == 200
    await row.get_by_role("button", name="Revoke Helpdesk <b>bot</b>").click()
    await row.get_by_role("button", name="Revoke key").click()
    await expect(page.locator("#keys-msg")).to_have_text('Revoked "Helpdesk <b>bot</b>".')
    await expect(row.locator("td").last).to_contain_text("Revoked")
    assert (await external_mint(sandbox, key)).status_code == 401


async def test_a_support_agent_finds_a_customer_and_sends_a_link(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    await open_direct(page, sandbox)
    await page.get_by_label("Customer email or name").fill("nobody-here")
    await page.get_by_role("button", name="Find customer").click()
    await expect(page.locator("#search-msg")).to_have_text(
        "No subscriber matches. Try part of the email address.")
    await page.get_by_label("Customer email or name").fill("alice mart")
    await page.keyboard.press("Enter")
    await expect(page.locator("#search-results li")).to_have_count(1)
    await page.get_by_role("button", name="Get a link for Alice Martin").click()
    link_field = page.get_by_label("Portal link for Alice Martin")
    await expect(link_field).to_be_focused()
    await expect(page.locator("#link-box")).to_contain_text("Expires")
    link = await link_field.input_value()
    portal = Portal(await new_page(), sandbox)
    await portal.open(link)
    await page.reload()
    admin_row = page.locator("#stats-rows tr").filter(has_text="Sent from this page")
    await expect(admin_row.locator("td").nth(2)).to_have_text("1")
    await expect(admin_row.locator("td").nth(3)).to_have_text("1")


async def test_the_chart_shows_the_days_numbers(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    first = await mint_link(sandbox, demo.ALICE_ID)
    await mint_link(sandbox, demo.BOB_ID)
    portal = Portal(await new_page(), sandbox)
    await portal.open(first)
    page = await new_page()
    await open_direct(page, sandbox)
    await expect(page.locator("#usage-summary")).to_have_text(
        "2 links made and 1 opened in the last 30 days.")
    bars = page.locator("#chart rect[data-mints]")
    await expect(bars).to_have_count(30)
    assert await bars.last.get_attribute("data-mints") == "2"
    assert await page.locator("#chart rect[data-redemptions]").last.get_attribute(
        "data-redemptions") == "1"
    assert await page.locator("#chart title").text_content() == (
        "Links made and opened per day: 2 made, 1 opened in 30 days")


async def test_a_portal_cancellation_reason_is_counted(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    await portal.cancel("Other reason", "Too much <i>coffee</i>")
    await portal.expect_success("Your subscription is cancelled.")
    page = await new_page()
    await open_direct(page, sandbox)
    await expect(page.locator("#reason-rows tr td")).to_have_text(
        ["Other reason: Too much <i>coffee</i>", "1"])


async def test_phone_and_desktop_widths_keyboard_and_axe(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    await mint_link(sandbox, demo.ALICE_ID)  # a key and a bar in the chart
    page = await new_page()
    await open_direct(page, sandbox)
    await expect(page.locator("#keys-rows tr")).to_have_count(1)
    for width in (390, 1280):
        await page.set_viewport_size({"width": width, "height": 900})
        # Nothing wider than the screen but the scrolling tables.
        overflow = await page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (width, overflow)
        violations = await axe_violations(page)
        assert violations == [], (width, violations)
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SHOTS / f"admin-{width}.png"), full_page=True)
    # Every control is reached with Tab, in order, without a trap.
    controls = await page.evaluate("""() => Array.from(document.querySelectorAll(
        'button, input, select, textarea, a[href], summary, [tabindex="0"]'))
        .filter((e) => e.offsetParent !== null && !e.disabled).length""")
    reached: set[str] = set()
    await page.locator("body").focus()
    for _ in range(controls + 5):
        await page.keyboard.press("Tab")
        reached.add(await page.evaluate("""() => { const e = document.activeElement;
            return e.id || e.name + ':' + (e.value || e.textContent).slice(0, 40); }"""))
    for expected in ("search", "key-name", "cancel-instructions", "accent-color", "rate-limit",
                     "bulk-rate-limit", "save-settings", "open-portal", "add-frequency",
                     "action-cancel", "link-lifetime", "default-locale"):
        assert expected in reached, (expected, sorted(reached))
