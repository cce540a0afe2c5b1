"""The cancel flow in Chromium through the storefront proxy: a save by each offer kind, a
refusal and a cancellation, forged form values, keyboard only and without script; axe-core on
every new page at phone and desktop widths, and the outcome taking the focus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from shopify_app.merchant import cancel_reasons
from shopify_app.sandbox import demo
from shopify_app.storage.models import CancelAttempt, Shop
from tests.browser.harness import BROWSER_TESTS, Portal, axe_violations, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]
# Set CANCEL_SCREENSHOTS=<dir> to keep the pages' screenshots for a person to look at.
SHOTS = Path(os.environ["CANCEL_SCREENSHOTS"]) if os.environ.get("CANCEL_SCREENSHOTS") else None
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


async def shot(page: Page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def clean(page: Page, what: str) -> None:
    assert await axe_violations(page) == [], what


async def use_reasons(*reasons: dict[str, Any]) -> None:
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    shop.cancel_flow = {"reasons": list(reasons)}
    await shop.save(update_fields=["cancel_flow"])


async def open_contract(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)


async def choose(portal: Portal, reason: str) -> None:
    await portal.open_section("I want to cancel")
    await portal.page.get_by_label(reason, exact=True).check()
    await portal.submit(portal.page.get_by_test_id("action-cancel"))


@pytest.mark.parametrize("width", WIDTHS)
async def test_decline_then_cancel_with_axe_and_focus(portal: Portal, width: int) -> None:
    page = portal.page
    await page.set_viewport_size({"width": width, "height": 900})
    await open_contract(portal)
    await portal.open_section("I want to cancel")
    await expect(page.get_by_role("group", name="Why are you cancelling?")).to_be_visible()
    await clean(page, "reasons")
    await shot(page, f"cancel-reasons-{width}")

    await page.get_by_label("I have too much", exact=True).check()  # default offer: skip
    await portal.submit(page.get_by_test_id("action-cancel"))
    await expect(page.get_by_role("heading", name="Before you go", level=1)).to_be_visible()
    await expect(page.get_by_test_id("offer")).to_have_attribute("data-offer", "skip")
    assert await page.evaluate(FOCUSED_ID) == "offer"
    await clean(page, "offer page")
    await shot(page, f"cancel-offer-{width}")

    await portal.submit(page.get_by_test_id("offer-decline"))
    await expect(page.get_by_role("heading", name="Cancel your subscription?")).to_be_visible()
    await expect(page.get_by_text("Your reason: I have too much")).to_be_visible()
    assert await page.evaluate(FOCUSED_ID) == "confirm"
    await clean(page, "confirmation page")
    await shot(page, f"cancel-confirm-{width}")
    assert not portal.store.contracts[ACTIVE].skipped_cycles
    assert portal.store.contracts[ACTIVE].terms.status == "ACTIVE"

    await portal.submit(page.get_by_role("button", name="Cancel subscription"))
    await portal.expect_success("Your subscription is cancelled.")
    assert await page.evaluate(FOCUSED_ID) == "sp-outcome"
    assert portal.store.contracts[ACTIVE].terms.status == "CANCELLED"
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.reason_key, attempt.offer_kind, attempt.offer_response, attempt.outcome) == (
        "too_much", "skip", "declined", "cancelled")


@pytest.mark.parametrize(
    ("offer", "button", "outcome"),
    [
        ({"kind": "skip"}, "Skip my next order", "Your next order is skipped."),
        ({"kind": "pause", "months": None}, "Pause my subscription",
         "Your subscription is paused."),
        ({"kind": "pause", "months": 2}, "Pause for 2 months", "takes a break"),
        ({"kind": "change_frequency"}, "Change my frequency", "frequency has changed"),
        ({"kind": "discount", "code": "SAVE10"}, "Apply the discount and stay",
         "discount is applied"),
    ],
    ids=["skip", "pause", "pause-months", "frequency", "discount"],
)
async def test_each_offer_saves_the_subscription(
    portal: Portal, offer: dict[str, Any], button: str, outcome: str
) -> None:
    await use_reasons({"key": "too_expensive", "label": "Too pricey", "offer": offer},
                      {"key": "other", "label": None, "free_text": True, "offer": None})
    page, contract = portal.page, portal.store.contracts[ACTIVE]
    discounts = len(contract.terms.discounts)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await open_contract(portal)
    await choose(portal, "Too pricey")
    await expect(page.get_by_test_id("offer")).to_have_attribute("data-offer", offer["kind"])
    if offer["kind"] == "change_frequency":
        await page.get_by_label("Deliver").select_option("WEEK:2")
    await clean(page, f"{offer['kind']} offer")
    await shot(page, f"cancel-offer-{offer['kind']}-{offer.get('months')}")
    await portal.submit(page.get_by_role("button", name=button))
    await expect(page.get_by_test_id("flash-success")).to_contain_text(outcome)
    assert await page.evaluate(FOCUSED_ID) == "sp-outcome"
    await clean(page, f"saved by {offer['kind']}")
    terms = contract.terms
    assert terms.status != "CANCELLED"
    if offer["kind"] == "skip":
        assert contract.skipped_cycles
    elif offer["kind"] == "pause":
        assert terms.status == ("ACTIVE" if offer["months"] else "PAUSED")
    elif offer["kind"] == "change_frequency":
        assert (terms.billing_policy.interval, terms.billing_policy.interval_count) == ("WEEK", 2)
    else:
        assert len(terms.discounts) == discounts + 1
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.offer_response, attempt.outcome) == ("accepted", "saved")


async def test_forged_offer_values_are_refused_in_the_page(portal: Portal) -> None:
    page = portal.page
    await open_contract(portal)
    await choose(portal, "I have too much")
    # The hidden field names another offer kind, as a forged form would.
    await page.evaluate(
        "document.querySelectorAll('input[name=offer]').forEach(i => { i.value = 'discount'; })")
    await portal.submit(page.get_by_test_id("offer-accept"))
    await portal.expect_refusal("This offer is not available for this subscription.")
    assert await page.evaluate(FOCUSED_ID) == "sp-outcome"
    await clean(page, "forged offer refused")
    assert not portal.store.contracts[ACTIVE].skipped_cycles
    assert portal.store.contracts[ACTIVE].terms.status == "ACTIVE"
    # A reason that is not the merchant's (the refusal left the cancel disclosure open).
    await expect(page.locator("#cancel details")).to_have_attribute("open", "")
    await page.evaluate(
        "document.querySelector('input[name=reason]').value = 'made_up';")
    await page.locator("input[name=reason]").first.check()
    await portal.submit(page.get_by_test_id("action-cancel"))
    await portal.expect_refusal("Please choose one of the reasons.")
    assert portal.store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert await CancelAttempt.filter(reason_key="made_up").count() == 0


async def test_the_whole_flow_by_keyboard(portal: Portal) -> None:
    page = portal.page
    await open_contract(portal)
    await page.locator("summary", has_text="I want to cancel").focus()
    await page.keyboard.press("Enter")
    first = page.get_by_label(cancel_reasons.DEFAULT_LABELS["too_expensive"], exact=True)
    await first.focus()
    await page.keyboard.press("ArrowDown")  # radios move by arrows: "I have too much"
    await expect(page.get_by_label("I have too much", exact=True)).to_be_checked()
    await page.get_by_test_id("action-cancel").focus()
    before = await portal.rendered()
    await page.keyboard.press("Enter")
    await portal.wait_rendered(before)
    await expect(page.get_by_test_id("offer")).to_be_visible()
    # From the focused offer, Tab reaches its button.
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await page.evaluate("() => document.activeElement.dataset.testid") == "offer-accept":
            break
    before = await portal.rendered()
    await page.keyboard.press("Enter")
    await portal.wait_rendered(before)
    await portal.expect_success("Your next order is skipped. We are glad you are staying.")
    assert await page.evaluate(FOCUSED_ID) == "sp-outcome"
    assert portal.store.contracts[ACTIVE].skipped_cycles


async def test_without_script_the_flow_still_works(browser: Browser, portal: Portal) -> None:
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(await mint_link(portal.sandbox, demo.ALICE_ID))
        await page.get_by_test_id("continue-button").click()
        await page.get_by_test_id(f"manage-{ACTIVE}").click()
        await page.locator("summary", has_text="I want to cancel").click()
        await page.get_by_label("Other reason", exact=True).check()
        await page.get_by_label("Tell us more (optional)").fill("Moving abroad")
        await page.get_by_test_id("action-cancel").click()
        await expect(page.get_by_role("heading", name="Cancel your subscription?")).to_be_visible()
        await expect(page.get_by_text("Your reason: Other reason: Moving abroad")).to_be_visible()
        await page.get_by_role("button", name="Cancel subscription").click()
        await expect(page.get_by_test_id("flash-success")).to_have_text(
            "Your subscription is cancelled.")
        assert portal.store.contracts[ACTIVE].terms.status == "CANCELLED"
    finally:
        await context.close()
