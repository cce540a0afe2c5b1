"""The embedded admin page, run in Chromium as a merchant uses it inside the Shopify admin.

The page is opened through the sandbox app's real server with a launch URL signed as Shopify's
admin signs it. App Bridge's CDN script cannot load here: it is stubbed, and the session token
its `fetch` would add rides on every request as an extra header instead.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
from playwright.async_api import Page, Route, expect

from shopify_app.admin.home import APP_BRIDGE_URL
from shopify_app.merchant import policy
from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SANDBOX_CLIENT_ID, SandboxHandle
from shopify_app.storage.models import Shop
from tests.admin.conftest import session_token
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS

MANAGE_LINK = f"/api/external/v2/manage-subscription-link/{demo.ALICE_ID}"


def launch_url(sandbox: SandboxHandle, token: str) -> str:
    """App home as the Shopify admin opens it, with App Bridge's session token."""
    host = base64.urlsafe_b64encode(b"admin.shopify.com/store/demo-shop").decode().rstrip("=")
    pairs = [("embedded", "1"), ("host", host), ("shop", demo.DEMO_SHOP), ("id_token", token)]
    return f"{sandbox.app_url}/?{urlencode(pairs)}"


async def open_admin(page: Page, sandbox: SandboxHandle) -> None:
    async def app_bridge_stub(route: Route) -> None:
        await route.fulfill(status=200, content_type="text/javascript", body="")

    await page.route(APP_BRIDGE_URL, app_bridge_stub)
    # What App Bridge's fetch adds; a long-lived token so a slow run stays within its window.
    token = session_token(datetime.now(UTC), aud=SANDBOX_CLIENT_ID,
                          secret=sandbox.settings.secret,
                          exp=int((datetime.now(UTC) + timedelta(minutes=10)).timestamp()))
    await page.context.set_extra_http_headers({"Authorization": f"Bearer {token}"})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(launch_url(sandbox, token))
    await expect(page.get_by_role("heading", name="Subscription portal")).to_be_visible()
    await expect(page.get_by_text(f"Installed on {demo.DEMO_SHOP_NAME}.")).to_be_visible()
    # The script filled the form from the API: the actions are there, checked as stored.
    await expect(page.get_by_label("cancel", exact=True)).to_be_checked()
    assert errors == []


async def external_status(sandbox: SandboxHandle, key: str) -> int:
    async with httpx.AsyncClient(base_url=sandbox.app_url, timeout=15) as http:
        response = await http.get(MANAGE_LINK, headers={"X-API-Key": key})
    return response.status_code


async def test_turning_cancel_off_hides_it_in_the_portal(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    before = await Shop.get(domain=demo.DEMO_SHOP)
    page = await new_page()
    await open_admin(page, sandbox)
    await page.get_by_label("cancel", exact=True).uncheck()
    await page.get_by_role("button", name="Save settings").click()
    await expect(page.locator("#settings-msg")).to_have_text("Saved.")
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.portal_actions["cancel"] is False
    assert all(v for k, v in shop.portal_actions.items() if k != "cancel")
    # Everything else the form sent back is what was stored before.
    fields = ("link_policy", "portal_format", "mint_rate_limit", "default_locale")
    assert [getattr(shop, f) for f in fields] == [getattr(before, f) for f in fields]
    # Only the change is saved: a shop on the app's default frequencies stays on them.
    assert before.allowed_frequencies is None and shop.allowed_frequencies is None
    # Reloaded, the page shows the stored choice.
    await page.reload()
    await expect(page.get_by_label("cancel", exact=True)).not_to_be_checked()
    await expect(page.get_by_label("pause", exact=True)).to_be_checked()

    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    await expect(portal.page.get_by_text("I want to cancel")).to_have_count(0)
    await expect(portal.page.get_by_role("button", name="Cancel subscription")).to_have_count(0)


async def test_an_api_key_created_shown_once_used_then_revoked(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    await open_admin(page, sandbox)
    await page.get_by_label("New key name").fill("Helpdesk <b>bot</b>")
    await page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-key code")
    await expect(shown).to_be_visible()
    key = await shown.inner_text()
    row = page.locator("#keys-rows tr").filter(has_text="Helpdesk <b>bot</b>")
    await expect(row).to_have_count(1)
    await expect(row.get_by_role("button", name="Revoke")).to_be_visible()

    async with httpx.AsyncClient(base_url=sandbox.app_url, timeout=15) as http:
        response = await http.get(MANAGE_LINK, params={"source": "helpdesk"},
                                  headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    assert "manageSubscriptionLink" in response.json()

    # A fresh load: the stats show the mint with its source and key; the key is not shown again.
    await page.reload()
    await expect(page.locator("#new-key")).to_have_text("")
    stats = page.locator("#stats-rows tr").filter(has_text="helpdesk")
    await expect(stats.locator("td")).to_have_text(
        ["helpdesk", "Helpdesk <b>bot</b>", "1", "0", "0.0%"])
    assert key not in await page.content()

    row = page.locator("#keys-rows tr").filter(has_text="Helpdesk <b>bot</b>")
    await row.get_by_role("button", name="Revoke").click()
    await expect(page.locator("#keys-msg")).to_have_text("Revoked.")
    await expect(row.locator("td").last).to_have_text("revoked")
    assert await external_status(sandbox, key) == 401


async def test_frequencies_are_checked_and_an_empty_field_means_the_defaults(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    page = await new_page()
    await open_admin(page, sandbox)
    field = page.get_by_label("Delivery frequencies")
    save = page.get_by_role("button", name="Save settings")
    message = page.locator("#settings-msg")

    await field.fill("fortnight:1")
    await save.click()
    await expect(message).to_have_text("An interval is one of DAY, WEEK, MONTH, YEAR.")
    assert (await Shop.get(domain=demo.DEMO_SHOP)).allowed_frequencies is None

    await field.fill("week:3, MONTH:2")
    await save.click()
    await expect(message).to_have_text("Saved.")
    await expect(field).to_have_value("WEEK:3, MONTH:2")
    assert (await Shop.get(domain=demo.DEMO_SHOP)).allowed_frequencies == [
        {"interval": "WEEK", "count": 3}, {"interval": "MONTH", "count": 2}]

    # Cleared, the field saves as "the defaults" (null), not as an empty list the API refuses.
    await field.fill("")
    await save.click()
    await expect(message).to_have_text("Saved.")
    defaults = ", ".join(f"{f.interval}:{f.count}" for f in policy.DEFAULT_FREQUENCIES)
    await expect(field).to_have_value(defaults)
    assert (await Shop.get(domain=demo.DEMO_SHOP)).allowed_frequencies is None


async def test_a_portal_cancellation_and_its_reason_are_listed(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    portal = Portal(await new_page(), sandbox)
    await portal.open(await mint_link(sandbox, demo.ALICE_ID))
    await portal.manage(demo.ALICE_ACTIVE_CONTRACT_ID)
    await portal.open_section("I want to cancel")
    reason = "Too much <i>coffee</i>"
    await portal.page.get_by_label("Why are you cancelling? (optional)").fill(reason)
    await portal.submit(portal.page.get_by_role("button", name="Cancel subscription"))
    await portal.expect_success("Your subscription is cancelled.")

    page = await new_page()
    await open_admin(page, sandbox)
    rows = page.locator("#cancel-rows tr")
    await expect(rows).to_have_count(1)
    await expect(rows.locator("td").nth(1)).to_have_text(str(demo.ALICE_ACTIVE_CONTRACT_ID))
    await expect(rows.locator("td").nth(2)).to_have_text(str(demo.ALICE_ID))
    await expect(rows.locator("td").nth(3)).to_have_text(reason)
