"""What browser tests share: their marks, Chromium's flags, and a portal driver.

`Portal` drives the customer portal as a person would: it opens a minted link through the
sandbox's storefront proxy (the continue page submits itself), then clicks visible buttons and
fills labelled inputs, waiting for the page the server answers with after each form.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from shopify_app.keys import api_keys
from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import Shop

BROWSER_TESTS = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]
# Without the background-networking flags Chromium keeps dialing Google, which this closed
# network refuses; --no-sandbox because the suite runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LINK_PATH = "/tools/recurring/customer_portal"
# axe-core from npm, pinned by package-lock.json beside this file (`make test` runs `npm ci`).
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"

PageFactory = Callable[[], Awaitable[Page]]


async def mint_link(sandbox: SandboxHandle, customer_id: int, **params: str) -> str:
    """A portal link from the external API, with a fresh API key of the demo shop."""
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    _, raw_key = await api_keys.create_key(shop, "browser tests")
    async with httpx.AsyncClient(base_url=sandbox.app_url, timeout=15) as http:
        response = await http.get(
            f"/api/external/v2/manage-subscription-link/{customer_id}",
            params=params,
            headers={"X-API-Key": raw_key},
        )
    assert response.status_code == 200, response.text
    link: str = response.json()["manageSubscriptionLink"]
    # The demo shop's primary domain is the sandbox storefront: the link opens through it.
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == sandbox.storefront_url
    assert parts.path == LINK_PATH and parts.query.startswith("token=")
    return link


async def axe_violations(page: Page, selector: str = "#sp-portal") -> list[str]:
    """axe-core's violations inside the portal (the theme around it is not ours), as
    "rule: target" lines, empty when none."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/browser` (make test does)")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.add_script_tag(path=str(AXE))
    found: list[str] = await page.evaluate(
        """async selector => {
          const result = await axe.run(document.querySelector(selector),
            {resultTypes: ['violations']});
          return result.violations.flatMap(v => v.nodes.map(
            n => v.id + ': ' + n.target.join(' ') + ' ' + n.failureSummary));
        }""",
        selector,
    )
    return found


class Portal:
    """One customer's portal in one browser page."""

    def __init__(self, page: Page, sandbox: SandboxHandle) -> None:
        self.page = page
        self.sandbox = sandbox
        self.store = sandbox.store

    async def open(self, link: str) -> None:
        """Open a link: the continue page posts the token by itself and the portal appears."""
        await self.page.goto(link)
        await expect(self.page.get_by_role("heading", name="Your subscriptions")).to_be_visible()

    def card(self, contract_id: int) -> Locator:
        return self.page.get_by_test_id(f"contract-{contract_id}")

    async def manage(self, contract_id: int) -> None:
        await self.card(contract_id).get_by_role("button", name="Manage").click()
        await expect(self.page.get_by_role("heading", name="Manage subscription")).to_be_visible()
        await expect(self.card(contract_id)).to_be_visible()

    async def open_section(self, summary: str) -> None:
        """Open a `<details>` disclosure by its summary text, as a click (or Enter) would."""
        disclosure = self.page.locator("details").filter(
            has=self.page.locator("summary", has_text=summary)
        )
        await disclosure.locator("summary").click()
        await expect(disclosure).to_have_attribute("open", "")

    async def rendered(self) -> str:
        """The mark portal.js sets on each portal it shows (a new one per page)."""
        mark = await self.page.locator("#sp-portal").get_attribute("data-sp-rendered")
        return mark or ""

    async def wait_rendered(self, before: str) -> None:
        await self.page.wait_for_function(
            "before => { const r = document.getElementById('sp-portal');"
            " const m = r && r.getAttribute('data-sp-rendered');"
            " return !!m && m !== before && r.getAttribute('aria-busy') !== 'true'; }",
            arg=before,
        )

    async def submit(self, button: Locator) -> None:
        """Click a form's button and wait for the page the server answers with (shown by
        the script without a page load, or loaded by the browser without script)."""
        before = await self.rendered()
        await button.click()
        await self.wait_rendered(before)

    async def expect_success(self, text: str | re.Pattern[str]) -> None:
        await expect(self.page.get_by_test_id("flash-success")).to_have_text(text)

    async def expect_refusal(self, text: str | re.Pattern[str]) -> None:
        await expect(self.page.get_by_test_id("flash-error")).to_contain_text(text)

    async def cancel(self, reason: str = "Other reason", text: str = "") -> None:
        """The cancel flow all the way: a reason (and its words), any offer declined, the
        confirmation's "Cancel subscription"."""
        await self.open_section("I want to cancel")
        await self.page.get_by_label(reason, exact=True).check()
        if text:
            await self.page.get_by_label("Tell us more (optional)").fill(text)
        await self.submit(self.page.get_by_test_id("action-cancel"))
        decline = self.page.get_by_test_id("offer-decline")
        if await decline.count():
            await self.submit(decline)
        await self.submit(self.page.get_by_role("button", name="Cancel subscription"))

    async def status(self, contract_id: int) -> str:
        return await self.card(contract_id).get_by_test_id("contract-status").inner_text()

