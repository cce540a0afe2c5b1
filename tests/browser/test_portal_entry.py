"""Arriving in the portal: spent links end on a friendly page with a way forward, and whatever a
customer is named shows literally (no Liquid, no HTML) inside the store's theme."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Dialog, expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, PageFactory, Portal, mint_link

pytestmark = BROWSER_TESTS


async def test_a_spent_link_shows_the_friendly_page_and_the_login_way_back(
    portal: Portal, new_page: PageFactory
) -> None:
    link = await mint_link(portal.sandbox, demo.ALICE_ID)
    await portal.open(link)  # the link is spent here (single-use is the default policy)

    # the same link again, in another browser (say the customer's phone)
    page = await new_page()
    await page.goto(link)
    friendly = page.get_by_test_id("friendly")
    await expect(friendly).to_have_attribute("data-code", "token_spent")
    await expect(page.get_by_role("heading", name="This link was already used")).to_be_visible()
    await expect(page.get_by_test_id("friendly-message")).to_contain_text("Sign in to your account")
    assert "Traceback" not in await page.content()

    # the way forward: the store's account login brings the customer back, signed in
    await page.get_by_role("link", name="Sign in to your account").click()
    await expect(page.get_by_role("heading", name="Customer login")).to_be_visible()
    await page.get_by_label("Log in as").select_option(label=demo.ALICE_EMAIL)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Your subscriptions")).to_be_visible()
    await expect(page.get_by_test_id("greeting")).to_have_text("Hello Alice!")
    await expect(page.get_by_test_id(f"contract-{demo.ALICE_ACTIVE_CONTRACT_ID}")).to_be_visible()


async def test_an_unknown_token_shows_the_friendly_page(portal: Portal) -> None:
    link = await mint_link(portal.sandbox, demo.ALICE_ID)
    tampered = link[:-6] + ("AAAAAA" if not link.endswith("AAAAAA") else "BBBBBB")
    response = await portal.page.goto(tampered)
    assert response is not None and response.status >= 400
    await expect(portal.page.get_by_test_id("friendly")).to_have_attribute(
        "data-code", "invalid_token"
    )
    await expect(portal.page.get_by_role("link", name="Sign in to your account")).to_be_visible()


async def test_names_that_look_like_liquid_or_html_show_literally(portal: Portal) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)

    portal.page.on("dialog", on_dialog)
    await portal.open(await mint_link(portal.sandbox, demo.EVE_ID))
    page = portal.page
    # The storefront renders application/liquid with the shop's name in scope: an unescaped
    # `{{ shop.name }}` would read "Demo Coffee Roasters" here.
    await expect(page.get_by_test_id("greeting")).to_have_text("Hello {{ shop.name }}!")
    card = portal.card(demo.EVE_CONTRACT_ID)
    await expect(card).to_contain_text("{{ 7 | times: 6 }}")
    assert await page.locator("#sp-portal b").count() == 0
    # the address is on the subscription's own page
    await portal.manage(demo.EVE_CONTRACT_ID)
    card = portal.card(demo.EVE_CONTRACT_ID)
    await expect(card.get_by_test_id("address")).to_contain_text("<script>alert(1)</script>")
    await expect(card.get_by_test_id("address")).to_contain_text("{% raw %}Liquid{% endraw %}")
    await expect(card.get_by_test_id("address")).to_contain_text("<b>Bold</b>ville")
    assert await page.locator("#sp-portal b").count() == 0
    await expect(page.get_by_label("First name", exact=True)).to_have_value("{{ shop.name }}")
    assert dialogs == []
    assert demo.DEMO_SHOP_NAME not in await page.get_by_test_id(
        f"contract-{demo.EVE_CONTRACT_ID}"
    ).inner_text()


async def test_order_history_lists_the_customers_orders(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    page = portal.page
    await page.get_by_role("button", name="Order history").click()
    await expect(page.get_by_role("heading", name="Order history", level=2)).to_be_visible()
    orders = page.get_by_test_id("order")
    expected = sorted(
        (o for o in portal.store.orders.values() if o.customer_id == demo.ALICE_ID),
        key=lambda o: o.processed_at,
        reverse=True,
    )
    await expect(orders).to_have_count(len(expected))
    await expect(orders.first).to_contain_text(expected[0].name)


async def test_a_link_with_a_destination_opens_that_section(portal: Portal) -> None:
    link = await mint_link(portal.sandbox, demo.ALICE_ID, destination="orders")
    await portal.page.goto(link)
    await expect(portal.page.get_by_role("heading", name="Order history", level=2)).to_be_visible()
    await expect(portal.page.get_by_test_id("order").first).to_be_visible()


async def test_a_section_link_opens_the_next_subscription_to_bill_at_that_section(
    portal: Portal,
) -> None:
    page = portal.page
    await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID, destination="address"))
    await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
    await expect(portal.card(demo.ALICE_ACTIVE_CONTRACT_ID)).to_be_visible()
    address = page.locator("details#address")
    await expect(address).to_have_attribute("open", "")
    await expect(address.locator("summary")).to_be_focused()
    await expect(page.get_by_label("Address", exact=True)).to_have_value("12 Roastery Road")


async def test_with_several_subscriptions_the_next_to_bill_opens(portal: Portal) -> None:
    # Alice's second subscription, made active and due sooner, is the one to open
    other = portal.store.contracts[demo.ALICE_PAUSED_CONTRACT_ID]
    other.terms.status = "ACTIVE"
    first = portal.store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID]
    other.terms.next_billing_date = first.terms.next_billing_date - timedelta(days=3)
    page = portal.page
    await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID, destination="upcoming"))
    await expect(page.get_by_role("heading", name="Manage subscription")).to_be_visible()
    await expect(portal.card(demo.ALICE_PAUSED_CONTRACT_ID)).to_be_visible()
    await expect(page.locator("section#upcoming")).to_be_focused()
