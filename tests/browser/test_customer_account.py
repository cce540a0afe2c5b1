"""The customer account extension in Chromium: the built bundle in the sandbox's account host,
against the real backend and the simulated store, whose state is checked after each change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.account_host import EXTENSIONS_DIR
from shopify_app.sandbox.runner import SandboxHandle
from shopify_app.storage.models import PortalEvent, Shop
from tests.browser.harness import BROWSER_TESTS, PageFactory

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
ACTIVE_TITLE = "House Blend Coffee, Decaf Colombia"
BUNDLE = EXTENSIONS_DIR / "customer-portal" / "dist" / "customer-portal.js"


@pytest.fixture(autouse=True)
def built_bundle() -> None:
    if not BUNDLE.is_file():
        message = f"{BUNDLE} is missing: `make extensions` builds it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Account:
    """A signed-in customer's account pages on the sandbox storefront."""

    def __init__(self, page: Page, sandbox: SandboxHandle) -> None:
        self.page = page
        self.sandbox = sandbox
        self.store = sandbox.store

    async def sign_in(self, email: str = demo.ALICE_EMAIL, path: str = "/account/subscriptions",
                      locale: str = "") -> None:
        url = f"{self.sandbox.storefront_url}/account/login?return_url={path}"
        await self.page.goto(url)
        await self.page.get_by_label("Log in as").select_option(label=email)
        await self.page.get_by_role("button", name="Log in").click()
        if locale:
            await self.page.goto(f"{self.sandbox.storefront_url}{path}?locale={locale}")

    async def manage(self, title: str = ACTIVE_TITLE) -> None:
        await self.page.get_by_role("button", name=f"Manage {title}").click()
        await expect(self.page.get_by_role("heading", name="Manage subscription")).to_be_visible()
        await expect(self.page.get_by_role("region", name=title)).to_be_visible()

    async def expect_done(self, message: str) -> None:
        await expect(self.page.get_by_role("status", name=message)).to_be_visible()


@pytest_asyncio.fixture(loop_scope="session")
async def account(new_page: PageFactory, sandbox: SandboxHandle) -> Account:
    account = Account(await new_page(), sandbox)
    await account.sign_in()
    await expect(account.page.get_by_role("heading", name="Subscriptions")).to_be_visible()
    return account


async def test_the_list_shows_the_customers_subscriptions(account: Account) -> None:
    page = account.page
    await expect(page.get_by_role("region", name=ACTIVE_TITLE)).to_be_visible()
    tea = page.locator("s-section", has=page.get_by_role("heading", name="Earl Grey Tea"))
    await expect(tea).to_contain_text("Paused")
    # Bob's subscription is not Alice's
    bob_titles = [line.title for line in account.store.contracts[demo.BOB_CONTRACT_ID].terms.lines]
    for title in bob_titles:
        if title not in ACTIVE_TITLE and title != "Earl Grey Tea":
            await expect(page.get_by_text(title)).to_have_count(0)


async def test_pause_then_resume(account: Account) -> None:
    await account.manage()
    page, contract = account.page, account.store.contracts[ACTIVE]
    await page.get_by_role("button", name="Pause subscription").click()
    await account.expect_done("Your subscription is paused.")
    assert contract.terms.status == "PAUSED"
    await expect(page.get_by_role("button", name="Pause subscription")).to_have_count(0)
    await page.get_by_role("button", name="Resume subscription").click()
    await account.expect_done("Your subscription is active again.")
    assert contract.terms.status == "ACTIVE"
    actions = [e.action for e in await PortalEvent.filter(contract_id=ACTIVE).order_by("id")]
    assert actions == ["pause", "resume"]


async def test_skip_then_bring_back(account: Account) -> None:
    await account.manage()
    page, contract = account.page, account.store.contracts[ACTIVE]
    await page.get_by_role("button", name="Skip next order").click()
    await account.expect_done("The next order is skipped.")
    assert len(contract.skipped_cycles) == 1
    await page.get_by_role("button", name="Bring back").click()
    await account.expect_done("The order is back on schedule.")
    assert contract.skipped_cycles == set()


async def test_quantity_and_a_refusal_next_to_its_field(account: Account) -> None:
    await account.manage()
    page, terms = account.page, account.store.contracts[ACTIVE].terms
    field = page.get_by_label("Quantity of Decaf Colombia", exact=True)
    update = page.get_by_role("button", name="Update quantity of Decaf Colombia")
    await field.fill("0")
    await update.click()
    await expect(field).to_have_accessible_description("Please check this field.")
    assert terms.lines[1].quantity == 2
    await field.fill("5")
    await update.click()
    await account.expect_done("The quantity is updated.")
    assert account.store.contracts[ACTIVE].terms.lines[1].quantity == 5
    await expect(field).to_have_value("5")


async def test_shopify_user_errors_show_next_to_the_field(account: Account) -> None:
    await account.manage()
    page = account.page
    before = list(account.store.contracts[ACTIVE].terms.discounts)
    await page.get_by_label("Discount code").fill("NOT-A-CODE")
    await page.get_by_role("button", name="Apply code").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    description = await page.get_by_label("Discount code").get_attribute("aria-invalid")
    assert description == "true"
    assert account.store.contracts[ACTIVE].terms.discounts == before


async def test_cancel_with_a_reason(account: Account) -> None:
    await account.manage()
    page = account.page
    await page.get_by_label("Why are you cancelling? (optional)").fill("Moving abroad")
    await page.get_by_role("button", name="Cancel subscription").click()
    # a deliberate second step
    assert account.store.contracts[ACTIVE].terms.status == "ACTIVE"
    await page.get_by_role("button", name="Yes, cancel it").click()
    await account.expect_done("Your subscription is cancelled.")
    assert account.store.contracts[ACTIVE].terms.status == "CANCELLED"
    event = await PortalEvent.get(action="cancel", contract_id=ACTIVE)
    assert json.loads(event.detail) == {"reason": "Moving abroad"}


async def test_the_merchants_toggles_hide_what_is_refused(account: Account) -> None:
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    shop.portal_actions = {"pause": False}
    await shop.save()
    await account.manage()
    await expect(account.page.get_by_role("button", name="Skip next order")).to_be_visible()
    await expect(account.page.get_by_role("button", name="Pause subscription")).to_have_count(0)


async def test_keyboard_only(account: Account) -> None:
    page = account.page
    manage = page.get_by_role("button", name=f"Manage {ACTIVE_TITLE}")
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await manage.evaluate("el => el === document.activeElement"):
            break
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
    pause = page.get_by_role("button", name="Pause subscription")
    await pause.focus()
    await page.keyboard.press(" ")
    await account.expect_done("Your subscription is paused.")
    assert account.store.contracts[ACTIVE].terms.status == "PAUSED"


async def test_the_orders_page_block_links_to_the_page(
    new_page: PageFactory, sandbox: SandboxHandle
) -> None:
    account = Account(await new_page(), sandbox)
    await account.sign_in(path="/account/orders")
    await account.page.get_by_role("button", name="Manage subscriptions").click()
    await expect(account.page).to_have_url(f"{sandbox.storefront_url}/account/subscriptions")
    await expect(account.page.get_by_role("heading", name="Subscriptions")).to_be_visible()


async def test_french(new_page: PageFactory, sandbox: SandboxHandle) -> None:
    account = Account(await new_page(), sandbox)
    await account.sign_in(locale="fr")
    await expect(account.page.get_by_role("heading", name="Abonnements")).to_be_visible()
    await account.page.get_by_role("button", name=f"Gérer {ACTIVE_TITLE}").click()
    await expect(account.page.get_by_role("button", name="Mettre en pause")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_look_at_phone_and_desktop_widths(
    new_page: PageFactory, sandbox: SandboxHandle, width: int, tmp_path: Path
) -> None:
    account = Account(await new_page(), sandbox)
    page = account.page
    await page.set_viewport_size({"width": width, "height": 900})
    await account.sign_in()
    await expect(page.get_by_role("heading", name="Subscriptions")).to_be_visible()
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=shots / f"account-list-{width}.png", full_page=True)
    await account.manage()
    await page.screenshot(path=shots / f"account-detail-{width}.png", full_page=True)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    overflow = await page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0
