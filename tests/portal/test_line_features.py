"""Swapping a line and one-time add-ons through the proxy portal, against the simulated store:
the choices the merchant allows with their new price, a confirmation step, forged values
refused before any mutation, Shopify's refusal shown, add-ons on one order only."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx
import pytest

from shopify_app.keys import api_keys  # noqa: F401  (the fixtures' app needs the keys table)
from shopify_app.links.tokens import Keyring
from shopify_app.sandbox import demo_catalog
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, BOB_CONTRACT_ID, BOB_ID, DEMO_SHOP
from shopify_app.sandbox.records import gid
from shopify_app.storage.models import PortalEvent, Shop
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from

MUG = gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)
SAMPLER_TEA = gid("ProductVariant", demo_catalog.SAMPLER_TEA_ID)


async def _contract_page(client: ProxyClient, keyring: Keyring) -> str:
    page = await enter(client, keyring, ALICE_ID)
    response = await client.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert response.status_code == 200, response.text
    return response.text


def _line(store: Any, position: int = 0) -> Any:
    return store.contracts[ACTIVE].terms.lines[position]


async def test_swap_offers_the_other_variants_with_their_price_then_confirms(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring)
    assert 'data-testid="swap-1"' in page
    line = _line(store)
    refill = gid("ProductVariant", line.variant_id + demo_catalog.REFILL_OFFSET)
    choices = await alice.post(f"/swap/{ACTIVE}", {"session": session_from(page),
                                                  "line_id": line.id})
    assert choices.status_code == 200
    assert f'value="{refill}"' in choices.text
    assert f'value="{gid("ProductVariant", line.variant_id)}"' not in choices.text  # not itself
    # Same discount rate: the line costs its variant's list price, so the refill's list price.
    assert "43.20" in choices.text
    confirm = await alice.post(
        f"/swap/{ACTIVE}",
        {"session": session_from(choices.text), "line_id": line.id, "variant_id": refill},
    )
    assert 'data-testid="swap-new-price"' in confirm.text and "43.20" in confirm.text
    assert _line(store).variant_id == line.variant_id  # nothing changed before confirming
    done = await alice.post(
        f"/contracts/{ACTIVE}/swap",
        {"session": session_from(confirm.text), "line_id": line.id, "variant_id": refill},
    )
    assert done.status_code == 200 and 'data-testid="flash-success"' in done.text
    swapped = _line(store)
    assert (swapped.variant_title, swapped.price) == ("Refill bag", Decimal("43.20"))
    event = await PortalEvent.get(action="swap")
    assert refill in event.detail


async def test_a_forged_variant_is_refused_before_any_mutation(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    page = await _contract_page(alice, keyring)
    before = _line(store).variant_id
    calls = len(store.requests)
    refused = await alice.post(
        f"/contracts/{ACTIVE}/swap",
        {"session": session_from(page), "line_id": _line(store).id, "variant_id": MUG},
    )
    assert refused.status_code == 422 and 'data-testid="flash-error"' in refused.text
    sent = [name for _shop, name in store.requests[calls:]]
    assert "SubscriptionContractProductChange" not in sent
    assert _line(store).variant_id == before
    assert not await PortalEvent.filter(action="swap").exists()


async def test_shopify_refuses_a_variant_without_a_selling_plan(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    """The trial pack is offered (same product) but no selling plan group sells it."""
    page = await _contract_page(alice, keyring)
    line = _line(store)
    trial = gid("ProductVariant", line.variant_id + demo_catalog.TRIAL_OFFSET)
    refused = await alice.post(
        f"/contracts/{ACTIVE}/swap",
        {"session": session_from(page), "line_id": line.id, "variant_id": trial},
    )
    assert refused.status_code == 422, refused.text
    assert "not sold by subscription with your plan" in refused.text
    assert _line(store).variant_id == line.variant_id


async def test_swap_choices_from_the_merchants_collection(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    shop.swap_collection_id = gid("Collection", demo_catalog.FAVOURITES_COLLECTION_ID)
    await shop.save()
    page = await _contract_page(alice, keyring)
    choices = await alice.post(
        f"/swap/{ACTIVE}", {"session": session_from(page), "line_id": _line(store).id}
    )
    assert "Espresso Roast" in choices.text and "Ceramic Mug" in choices.text
    assert "Tasting Sampler" not in choices.text  # a product outside the collection


async def test_swap_turned_off_is_hidden_and_refused(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    shop.portal_actions = {**shop.portal_actions, "swap": False}
    await shop.save()
    page = await _contract_page(alice, keyring)
    assert 'data-testid="swap-1"' not in page
    refused = await alice.post(
        f"/swap/{ACTIVE}", {"session": session_from(page), "line_id": _line(store).id}
    )
    assert refused.status_code == 403


async def _offer_addons(shop: Shop) -> None:
    shop.addon_variants = [{"id": MUG, "title": "Ceramic Mug"},
                           {"id": SAMPLER_TEA, "title": "Tasting Sampler - Tea"}]
    await shop.save()


async def test_add_on_goes_to_the_next_order_only_and_can_be_removed(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    await _offer_addons(shop)
    page = await _contract_page(alice, keyring)
    assert 'data-testid="action-add-on"' in page and "Ceramic Mug" in page
    assert "&lt;time" not in page  # the hint's date is words, not escaped markup
    contract = store.contracts[ACTIVE]
    lines_before = [line.id for line in contract.terms.lines]
    added = await alice.post(
        f"/contracts/{ACTIVE}/add_on",
        {"session": session_from(page), "variant_id": MUG, "quantity": "2"},
    )
    assert added.status_code == 200, added.text
    assert [line.id for line in contract.terms.lines] == lines_before  # the contract unchanged
    (index,) = contract.cycle_edits
    assert index == contract.next_cycle_index
    assert [line.title for line in contract.cycle_edits[index].lines][-1:] == ["Ceramic Mug"]
    cycle_html = re.search(rf'data-testid="cycle-{index}".*?</li>', added.text, re.S)
    assert cycle_html is not None and "Ceramic Mug \u2013 White \u00d7 2" in cycle_html.group(0)
    later = re.search(rf'data-testid="cycle-{index + 1}".*?</li>', added.text, re.S)
    assert later is not None and "Ceramic Mug" not in later.group(0)
    removed = await alice.post(
        f"/contracts/{ACTIVE}/remove_add_on",
        {
            "session": session_from(added.text),
            "cycle_index": str(index),
            "line_id": contract.cycle_edits[index].lines[-1].id,
        },
    )
    assert removed.status_code == 200, removed.text
    assert [line.id for line in contract.cycle_edits[index].lines] == lines_before
    assert 'data-testid="add-on"' not in removed.text


async def test_add_on_refuses_what_the_merchant_does_not_offer(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    await _offer_addons(shop)
    page = await _contract_page(alice, keyring)
    refill = gid("ProductVariant", _line(store).variant_id + demo_catalog.REFILL_OFFSET)
    refused = await alice.post(
        f"/contracts/{ACTIVE}/add_on", {"session": session_from(page), "variant_id": refill}
    )
    assert refused.status_code == 422
    assert store.contracts[ACTIVE].cycle_edits == {}
    forged = await alice.post(
        f"/contracts/{ACTIVE}/remove_add_on",
        {"session": session_from(refused.text), "cycle_index": "1",
         "line_id": _line(store).id},
    )
    assert forged.status_code == 422
    assert len(store.contracts[ACTIVE].terms.lines) == 2


async def test_no_add_on_read_for_a_shop_offering_none(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    await _contract_page(alice, keyring)
    assert [name for _shop, name in store.requests] == ["PortalOverview", "PortalContract"]


@pytest.fixture
def bob(http: httpx.AsyncClient, shop: Shop) -> ProxyClient:
    return ProxyClient(http, DEMO_SHOP, headers={"user-agent": "pytest-browser"})


def _sent(store: Any, since: int) -> list[str]:
    return [name for _shop, name in store.requests[since:]]


async def test_add_on_reads_only_what_the_page_shows(
    alice: ProxyClient, bob: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    """The offers are the shop's (read once a minute, not per customer); a cycle's lines only
    for a cycle with edits; an action reads the offers afresh and charges today's price."""
    await _offer_addons(shop)
    calls = len(store.requests)
    page = await _contract_page(alice, keyring)
    assert _sent(store, calls) == ["PortalOverview", "PortalContract", "PortalAddOnOffers"]
    assert "Ceramic Mug" in page and 'data-testid="add-on"' not in page
    calls = len(store.requests)
    bob_page = await enter(bob, keyring, BOB_ID)
    await bob.post(f"/contracts/{BOB_CONTRACT_ID}", {"session": session_from(bob_page)})
    assert _sent(store, calls) == ["PortalOverview", "PortalContract"]  # offers kept

    mug = store.catalog.variants[demo_catalog.MUG_VARIANT_ID]
    mug.price = Decimal("13.50")  # the merchant's new price, after the view above
    calls = len(store.requests)
    added = page
    for variant in (MUG, SAMPLER_TEA, MUG, SAMPLER_TEA):
        added = (await alice.post(f"/contracts/{ACTIVE}/add_on",
                                  {"session": session_from(added), "variant_id": variant})).text
    assert _sent(store, calls).count("PortalAddOnOffers") >= 4  # each action read them afresh
    contract = store.contracts[ACTIVE]
    (index,) = contract.cycle_edits
    assert [line.price for line in contract.cycle_edits[index].lines[-4:]] == [
        Decimal("13.50"), Decimal("7.5"), Decimal("13.50"), Decimal("7.5")]
    # Four add-ons: more than the first read's three newest lines, so a second read.
    calls = len(store.requests)
    page = await _contract_page(alice, keyring)
    assert _sent(store, calls).count("PortalCycleAddOns") == 2
    shown = re.findall(r'data-testid="add-on".*?</li>', page, re.S)
    assert len(shown) == 4
    assert ["Ceramic Mug" in item for item in shown] == [True, False, True, False]  # as added


async def test_add_on_of_a_long_contract_is_told_from_its_own_lines(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    """A contract of 12 lines: the page reads 10 of them, yet the cycle's two newest lines
    that are the contract's own are not taken for add-ons (the cycle's `linesCount`)."""
    await _offer_addons(shop)
    contract = store.contracts[ACTIVE]
    template = contract.terms.lines[0]
    for n in range(10):
        contract.terms.lines.append(replace(template, id=f"{template.id}-extra-{n}"))
    page = await _contract_page(alice, keyring)
    added = await alice.post(f"/contracts/{ACTIVE}/add_on",
                             {"session": session_from(page), "variant_id": MUG})
    assert added.status_code == 200, added.text
    page = await _contract_page(alice, keyring)
    shown = re.findall(r'data-testid="add-on".*?</li>', page, re.S)
    assert len(shown) == 1 and "Ceramic Mug" in shown[0]


async def test_swap_page_bad_values_are_clear_refusals(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring)
    cases = [
        {"line_id": "gid://shopify/SubscriptionLine/not-mine"},
        {"line_id": "x" * 5000},
        {"line_id": _line(store).id, "variant_id": MUG},  # not offered: the choices again
    ]
    for fields in cases:
        response = await alice.post(f"/swap/{ACTIVE}", {"session": session_from(page), **fields})
        assert response.status_code == 422, (fields, response.status_code)
        assert "Traceback" not in response.text
    other = await alice.post("/swap/8100000000003", {"session": session_from(page),
                                                     "line_id": _line(store).id})
    assert other.status_code == 404  # Bob's subscription, answered as missing


async def test_swap_path_reached_by_get_shows_the_subscription(
    alice: ProxyClient, keyring: Keyring
) -> None:
    await enter(alice, keyring, ALICE_ID)
    alice.customer_id = str(ALICE_ID)  # signed in on the storefront
    response = await alice.get(f"/swap/{ACTIVE}")
    assert response.status_code == 200
    assert f'data-testid="contract-{ACTIVE}"' in response.text
