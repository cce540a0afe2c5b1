"""Swap and one-time add-ons through the customer account extension's backend: the same
choices, rules and refusals as the proxy portal, answered as the OpenAPI document says."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from shopify_app.portal.customer_account import openapi
from shopify_app.sandbox import demo_catalog
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import BOB_CONTRACT_ID, BOB_ID
from shopify_app.sandbox.records import gid
from shopify_app.storage.models import Shop
from tests.portal.customer_account.conftest import Extension
from tests.portal.customer_account.test_openapi import check_answer

MUG = gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)
OPTIONS = "/customer-account/api/subscriptions/{contractId}/swap-options"
ACT = "/customer-account/api/subscriptions/{contractId}/{action}"


@pytest.fixture
def document() -> dict[str, Any]:
    return openapi.openapi_document()


def _line(store: Any) -> Any:
    return store.contracts[ACTIVE].terms.lines[0]


async def test_swap_options_then_swap(
    extension: Extension, store: Any, document: dict[str, Any]
) -> None:
    line = _line(store)
    response = await extension.get(f"/subscriptions/{ACTIVE}/swap-options?line={quote(line.id)}")
    assert response.status_code == 200, response.text
    check_answer(document, OPTIONS, "get", response)
    body = response.json()
    assert body["line"]["id"] == line.id
    refill = gid("ProductVariant", line.variant_id + demo_catalog.REFILL_OFFSET)
    (choice,) = [c for c in body["choices"] if c["variantId"] == refill]
    assert choice["price"] == {"amount": "43.20", "currencyCode": "USD"}
    done = await extension.act(ACTIVE, "swap", line_id=line.id, variant_id=refill)
    assert done.status_code == 200, done.text
    check_answer(document, ACT, "post", done)
    assert done.json()["message"] == "flash.swap"
    assert _line(store).variant_title == "Refill bag"


async def test_swap_refusals(extension: Extension, store: Any, document: dict[str, Any]) -> None:
    line = _line(store)
    forged = await extension.act(ACTIVE, "swap", line_id=line.id, variant_id=MUG)
    assert forged.status_code == 422 and forged.json()["code"] == "invalid_input"
    trial = gid("ProductVariant", line.variant_id + demo_catalog.TRIAL_OFFSET)
    refused = await extension.act(ACTIVE, "swap", line_id=line.id, variant_id=trial)
    assert refused.status_code == 422 and refused.json()["code"] == "shopify_user_error"
    check_answer(document, ACT, "post", refused)
    assert _line(store).variant_id == line.variant_id
    other = await extension.get(f"/subscriptions/{BOB_CONTRACT_ID}/swap-options?line=x")
    assert other.status_code == 404
    unknown_line = await extension.get(f"/subscriptions/{ACTIVE}/swap-options?line=x")
    assert unknown_line.status_code == 422
    check_answer(document, OPTIONS, "get", unknown_line)


async def test_add_on_and_remove_it(
    extension: Extension, store: Any, shop: Shop, document: dict[str, Any]
) -> None:
    shop.addon_variants = [{"id": MUG, "title": "Ceramic Mug"}]
    await shop.save()
    shown = (await extension.get(f"/subscriptions/{ACTIVE}")).json()
    assert shown["subscription"]["addOnOffers"][0]["variantId"] == MUG
    assert {"add_on", "remove_add_on", "swap"} <= set(shown["subscription"]["actions"])
    added = await extension.act(ACTIVE, "add_on", variant_id=MUG, quantity=1)
    assert added.status_code == 200, added.text
    check_answer(document, ACT, "post", added)
    upcoming = added.json()["subscription"]["upcoming"]
    with_addon = [c for c in upcoming if c["addOns"]]
    assert len(with_addon) == 1 and with_addon[0]["addOns"][0]["title"] == "Ceramic Mug"
    cycle = with_addon[0]
    removed = await extension.act(
        ACTIVE, "remove_add_on", cycle_index=cycle["index"], line_id=cycle["addOns"][0]["id"]
    )
    assert removed.status_code == 200, removed.text
    assert all(not c["addOns"] for c in removed.json()["subscription"]["upcoming"])


async def test_add_on_offers_are_read_once_for_every_customer(
    extension: Extension, store: Any, shop: Shop
) -> None:
    shop.addon_variants = [{"id": MUG, "title": "Ceramic Mug"}]
    await shop.save()
    bob = Extension(extension.http, customer_id=BOB_ID)
    for client, contract_id in ((extension, ACTIVE), (bob, BOB_CONTRACT_ID)):
        shown = await client.get(f"/subscriptions/{contract_id}")
        assert shown.status_code == 200, shown.text
        assert shown.json()["subscription"]["addOnOffers"][0]["variantId"] == MUG
    sent = [name for _shop, name in store.requests]
    assert sent.count("PortalContract") == 2 and sent.count("PortalAddOnOffers") == 1
    assert "PortalCycleAddOns" not in sent  # no upcoming order was edited
