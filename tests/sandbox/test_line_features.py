"""The simulated store's line swap and billing-cycle edits: Shopify's semantics and userErrors,
nothing changed by a refused call, an edit reaching its own cycle only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopify_app.sandbox import demo, demo_catalog
from shopify_app.sandbox.records import gid
from shopify_app.sandbox.store import SimulatedStore
from tests.sandbox.conftest import Admin

ALICE = demo.ALICE_ACTIVE_CONTRACT_ID
LINE = demo.line_id(ALICE, 1)


def _variant_of_line(store: SimulatedStore) -> int:
    variant = store.contracts[ALICE].terms.lines[0].variant_id
    assert variant is not None
    return variant


async def test_product_change_swaps_the_line_to_a_variant_the_plan_sells(
    admin: Admin, store: SimulatedStore
) -> None:
    refill = _variant_of_line(store) + demo_catalog.REFILL_OFFSET
    revision = store.contracts[ALICE].revision
    payload = await admin.mutate(
        "SubscriptionContractProductChange",
        contractId=gid("SubscriptionContract", ALICE),
        lineId=LINE,
        input={"productVariantId": gid("ProductVariant", refill), "currentPrice": "40.5"},
    )
    assert payload["userErrors"] == []
    assert payload["lineUpdated"]["variantId"] == gid("ProductVariant", refill)
    line = store.contracts[ALICE].terms.lines[0]
    assert (line.variant_id, line.variant_title, line.price) == (
        refill, "Refill bag", Decimal("40.5")
    )
    assert store.contracts[ALICE].revision == revision + 1


async def test_product_change_refuses_a_variant_without_a_compatible_selling_plan(
    admin: Admin, store: SimulatedStore
) -> None:
    before = _variant_of_line(store)
    for variant in (before + demo_catalog.TRIAL_OFFSET, demo_catalog.MUG_VARIANT_ID):
        payload = await admin.mutate(
            "SubscriptionContractProductChange",
            contractId=gid("SubscriptionContract", ALICE),
            lineId=LINE,
            input={"productVariantId": gid("ProductVariant", variant), "currentPrice": "1.0"},
        )
        assert payload["lineUpdated"] is None
        (error,) = payload["userErrors"]
        assert error["field"] == ["input", "productVariantId"]
        assert error["code"] == "INVALID"
        assert "selling plan" in error["message"]
    assert _variant_of_line(store) == before


async def test_product_change_of_an_unknown_line_or_variant(admin: Admin) -> None:
    contract = gid("SubscriptionContract", ALICE)
    payload = await admin.mutate(
        "SubscriptionContractProductChange",
        contractId=contract,
        lineId="gid://shopify/SubscriptionLine/nope",
        input={"productVariantId": gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)},
    )
    assert payload["userErrors"][0]["code"] == "INVALID_LINES"
    payload = await admin.mutate(
        "SubscriptionContractProductChange",
        contractId=contract,
        lineId=LINE,
        input={"productVariantId": gid("ProductVariant", 1)},
    )
    assert payload["userErrors"][0]["field"] == ["input", "productVariantId"]


async def test_another_shops_variant_does_not_exist(other_admin: Admin) -> None:
    found = await other_admin.run(
        "SwapChoicesOfProduct",
        productId=gid("Product", demo_catalog.MUG_PRODUCT_ID),
        currentVariantId=gid("ProductVariant", demo_catalog.MUG_VARIANT_ID),
    )
    assert found == {"product": None, "productVariant": None}


async def _add_to_cycle(admin: Admin, index: int, variant: int, quantity: int = 1) -> str:
    cycle = {"contractId": gid("SubscriptionContract", ALICE), "selector": {"index": index}}
    edit = await admin.mutate("SubscriptionBillingCycleContractEdit", input=cycle)
    assert edit["userErrors"] == []
    draft = edit["draft"]["id"]
    added = await admin.mutate(
        "SubscriptionDraftLineAdd",
        draftId=draft,
        input={
            "productVariantId": gid("ProductVariant", variant),
            "quantity": quantity,
            "currentPrice": "12.0",
        },
    )
    assert added["userErrors"] == []
    committed = await admin.mutate("SubscriptionBillingCycleContractDraftCommit", draftId=draft)
    assert committed["userErrors"] == []
    line_id: str = added["lineAdded"]["id"]
    assert line_id in [n["id"] for n in committed["contract"]["lines"]["nodes"]]
    return line_id


async def _cycles(admin: Admin, store: SimulatedStore) -> list[dict[str, object]]:
    now = store.now()
    data = await admin.run(
        "PortalContract",
        contractId=gid("SubscriptionContract", ALICE),
        cyclesStart=now.isoformat(),
        cyclesEnd=now.replace(year=now.year + 1).isoformat(),
    )
    nodes: list[dict[str, object]] = data["subscriptionBillingCycles"]["nodes"]
    offers = await admin.run(
        "PortalAddOnOffers", offered=[gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)]
    )
    assert offers["nodes"][0]["product"]["title"] == "Ceramic Mug"
    return nodes


async def _cycle(admin: Admin, index: int, lines: int = 50) -> dict[str, Any]:
    data = await admin.run(
        "PortalCycleAddOns",
        contractId=gid("SubscriptionContract", ALICE),
        index=index,
        lines=lines,
    )
    cycle: dict[str, Any] = data["subscriptionBillingCycle"]
    return cycle


async def test_a_cycle_edit_applies_to_that_cycle_only(
    admin: Admin, store: SimulatedStore
) -> None:
    contract = store.contracts[ALICE]
    lines_before = [line.id for line in contract.terms.lines]
    first = contract.next_cycle_index
    line_id = await _add_to_cycle(admin, first, demo_catalog.MUG_VARIANT_ID)
    assert [line.id for line in contract.terms.lines] == lines_before  # the contract as it was
    cycles = await _cycles(admin, store)
    assert [c["cycleIndex"] for c in cycles if c["edited"]] == [first]
    edited = await _cycle(admin, first)
    edited_lines = edited["editedContract"]["lines"]["nodes"]
    assert [n["id"] for n in edited_lines] == [*lines_before, line_id][::-1]  # newest first
    assert edited["editedContract"]["linesCount"]["count"] == len(lines_before) + 1
    assert (await _cycle(admin, first, lines=1))["editedContract"]["lines"] == {
        "nodes": [edited_lines[0]], "pageInfo": {"hasNextPage": True}}
    other = await _cycle(admin, first + 1)
    assert other["edited"] is False and other["editedContract"] is None

    # Removing it again, through a new draft of the same cycle.
    cycle = {"contractId": gid("SubscriptionContract", ALICE), "selector": {"index": first}}
    draft = (await admin.mutate("SubscriptionBillingCycleContractEdit", input=cycle))["draft"]
    removed = await admin.mutate("SubscriptionDraftLineRemove", draftId=draft["id"], lineId=line_id)
    assert removed["userErrors"] == []
    await admin.mutate("SubscriptionBillingCycleContractDraftCommit", draftId=draft["id"])
    lines = (await _cycle(admin, first))["editedContract"]["lines"]["nodes"]
    assert [n["id"] for n in lines] == lines_before[::-1]


async def test_cycle_and_contract_drafts_do_not_mix(admin: Admin, store: SimulatedStore) -> None:
    contract_gid = gid("SubscriptionContract", ALICE)
    index = store.contracts[ALICE].next_cycle_index
    cycle = {"contractId": contract_gid, "selector": {"index": index}}
    cycle_draft = (await admin.mutate("SubscriptionBillingCycleContractEdit", input=cycle))["draft"]
    refused = await admin.mutate("SubscriptionDraftCommit", draftId=cycle_draft["id"])
    assert refused["userErrors"][0]["code"] == "BILLING_CYCLE_PRESENT"
    contract_draft = (await admin.mutate("SubscriptionContractUpdate", contractId=contract_gid))
    refused = await admin.mutate(
        "SubscriptionBillingCycleContractDraftCommit", draftId=contract_draft["draft"]["id"]
    )
    assert refused["userErrors"][0]["code"] == "BILLING_CYCLE_ABSENT"
    assert store.contracts[ALICE].cycle_edits == {}


async def test_cycle_edit_refusals(admin: Admin, store: SimulatedStore) -> None:
    contract_gid = gid("SubscriptionContract", ALICE)
    billed = store.contracts[ALICE].next_cycle_index - 1
    cases = [
        ({"index": 0}, "CYCLE_INDEX_OUT_OF_RANGE"),
        ({}, "CYCLE_SELECTOR_VALIDATE_ONE_OF"),
    ]
    if billed >= 1:
        cases.append(({"index": billed}, "INVALID"))
    for selector, code in cases:
        payload = await admin.mutate(
            "SubscriptionBillingCycleContractEdit",
            input={"contractId": contract_gid, "selector": selector},
        )
        assert payload["draft"] is None
        assert payload["userErrors"][0]["code"] == code, selector
    cycle = {"contractId": contract_gid, "selector": {"index": billed + 1}}
    draft = (await admin.mutate("SubscriptionBillingCycleContractEdit", input=cycle))["draft"]
    bad = await admin.mutate(
        "SubscriptionDraftLineAdd",
        draftId=draft["id"],
        input={"productVariantId": gid("ProductVariant", 1), "quantity": 1, "currentPrice": "1"},
    )
    assert bad["userErrors"][0]["field"] == ["input", "productVariantId"]
    assert store.contracts[ALICE].cycle_edits == {}
