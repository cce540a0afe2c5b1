"""Keyboard, outcome and fit (issue 11, items 7, 8 and 12), at phone and desktop widths:
disclosures reached by Tab, the current tab marked and visibly focused, focus on the outcome
after each action, fields inside their cards, a compact quantity stepper, the reschedule
window, and every control of the subscription waiting while a change runs."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from playwright.async_api import Route, expect

from shopify_app.sandbox import demo
from tests.browser.harness import BROWSER_TESTS, Portal, mint_link

pytestmark = BROWSER_TESTS

ACTIVE = demo.ALICE_ACTIVE_CONTRACT_ID
WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]

FOCUSED = (
    "() => { const e = document.activeElement; return e ? (e.tagName + '|' +"
    " (e.textContent || '').trim().slice(0, 40)) : ''; }"
)


async def open_contract(portal: Portal, width: int) -> None:
    await portal.page.set_viewport_size({"width": width, "height": 900})
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    await portal.manage(ACTIVE)


@pytest.mark.parametrize("width", WIDTHS)
async def test_tab_reaches_every_disclosure(portal: Portal, width: int) -> None:
    await open_contract(portal, width)
    page = portal.page
    await page.locator("#sp-heading").focus()
    reached: list[str] = []
    for _ in range(80):
        await page.keyboard.press("Tab")
        reached.append(await page.evaluate(FOCUSED))
    summaries = [r for r in reached if r.startswith("SUMMARY|")]
    for title in ("Quantities", "Delivery address", "Discount codes", "I want to cancel"):
        assert any(s.startswith(f"SUMMARY|{title}") for s in summaries), (title, summaries)
    # and Enter opens one from there
    summary = page.locator("summary", has_text="Quantities")
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_label("Quantity of Decaf Colombia")).to_be_visible()


async def test_the_current_tab_is_marked_and_visibly_focused(portal: Portal) -> None:
    await portal.open(await mint_link(portal.sandbox, demo.ALICE_ID))
    page = portal.page
    current = page.get_by_test_id("nav-subscriptions")
    await expect(current).to_have_attribute("aria-current", "page")
    await expect(page.get_by_test_id("nav-orders")).not_to_have_attribute("aria-current", "page")
    await page.locator("#sp-heading").focus()
    await page.keyboard.press("Tab")
    assert await page.evaluate(FOCUSED) == "BUTTON|My subscriptions"
    style = await current.evaluate("e => getComputedStyle(e).outlineStyle")
    assert style == "solid"
    await portal.manage(ACTIVE)
    await expect(page.get_by_test_id("nav-subscriptions")).to_have_attribute("aria-current", "true")


@pytest.mark.parametrize("width", WIDTHS)
async def test_focus_moves_to_the_outcome_after_each_action(portal: Portal, width: int) -> None:
    await open_contract(portal, width)
    page = portal.page
    await portal.submit(page.get_by_role("button", name="Pause subscription"))
    outcome = page.get_by_role("status")
    await expect(outcome).to_have_text("Your subscription is paused.")
    await expect(outcome).to_be_focused()
    # a refusal is an alert, focused too
    await portal.open_section("Discount codes")
    await page.get_by_label("Discount code", exact=True).fill("NOT-A-CODE")
    await portal.submit(page.get_by_role("button", name="Apply code"))
    await expect(page.get_by_role("alert")).to_be_focused()


@pytest.mark.parametrize("width", WIDTHS)
async def test_fields_fit_their_cards_and_quantity_is_a_stepper(
    portal: Portal, width: int
) -> None:
    await open_contract(portal, width)
    page = portal.page
    for title in ("Quantities", "Delivery address", "Discount codes"):
        await portal.open_section(title)
    boxes = await page.evaluate(
        """() => Array.from(document.querySelectorAll('#sp-portal details[open]'))
          .flatMap(d => { const c = d.getBoundingClientRect();
            return Array.from(d.querySelectorAll('input:not([type=hidden]), select, button'))
              // a control the page hides (no box: e.g. "Show this country's fields" once
              // script re-shapes the form by itself) takes no room to fit
              .filter(e => e.getClientRects().length > 0)
              .map(e => { const b = e.getBoundingClientRect();
                return {name: e.name || e.textContent, left: b.left, right: b.right,
                        top: b.top, bottom: b.bottom, cl: c.left, cr: c.right}; }); })"""
    )
    assert boxes
    outside = [b for b in boxes if b["left"] < b["cl"] - 0.5 or b["right"] > b["cr"] + 0.5]
    assert outside == []
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    # address fields never overlap one another
    fields = [b for b in boxes if b["name"] and b["name"] not in ("quantity",)]
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert not (overlap_x > 1 and overlap_y > 1), (a, b)
    quantity = page.get_by_label("Quantity of Decaf Colombia")
    box = await quantity.bounding_box()
    assert box is not None and box["width"] <= 100
    await page.get_by_role("button", name="More Decaf Colombia").click()
    await expect(quantity).to_have_value("3")
    await page.get_by_role("button", name="Fewer Decaf Colombia").click()
    await page.get_by_role("button", name="Fewer Decaf Colombia").click()
    await expect(quantity).to_have_value("1")


async def test_reschedule_has_its_window_and_a_past_date_says_why(portal: Portal) -> None:
    await open_contract(portal, 390)
    page = portal.page
    today = portal.store.now().date()
    field = page.get_by_label("New next order date")
    await expect(field).to_have_attribute("min", (today + timedelta(days=1)).isoformat())
    await expect(field).to_have_attribute("max", (today + timedelta(days=365)).isoformat())
    await expect(field).to_have_accessible_description(re.compile(r"^From tomorrow to \w"))
    past = today - timedelta(days=3)
    # the browser keeps a past day from being sent; the server's sentence is for the rest
    await field.evaluate("e => e.removeAttribute('min')")
    await field.fill(past.isoformat())
    await portal.submit(page.get_by_role("button", name="Change date"))
    await expect(page.get_by_role("alert")).to_contain_text("has already passed")
    await expect(page.get_by_role("alert")).to_contain_text("from tomorrow on")


async def test_controls_wait_while_a_change_runs(portal: Portal) -> None:
    await open_contract(portal, 1280)
    page = portal.page
    held: asyncio.Future[Route] = asyncio.get_running_loop().create_future()

    async def hold(route: Route) -> None:
        held.set_result(route)

    await page.route("**/contracts/*/pause", hold)
    pause = page.get_by_role("button", name="Pause subscription")
    await pause.click()
    route = await held
    await expect(page.get_by_test_id("action-pause")).to_have_text("Saving\u2026")
    await expect(page.get_by_test_id("action-pause")).to_be_disabled()
    await expect(page.get_by_test_id("action-skip")).to_be_disabled()
    await expect(page.get_by_label("New next order date")).to_be_disabled()
    await expect(page.get_by_label("Deliver", exact=True)).to_be_disabled()
    await route.continue_()
    await portal.expect_success("Your subscription is paused.")
    await expect(page.get_by_role("button", name="Resume subscription")).to_be_enabled()
