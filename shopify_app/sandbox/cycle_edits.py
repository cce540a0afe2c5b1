"""Billing-cycle contract edits: one cycle's contents changed, that cycle only.

`subscriptionBillingCycleContractEdit` opens a draft of the contract as that cycle would bill
(its earlier edit, else the contract's terms); the draft line mutations change the copy;
`subscriptionBillingCycleContractDraftCommit` stores it for that cycle alone: the cycle then
answers `edited: true` with its `editedContract`, the contract and every other cycle are
unchanged. A contract draft's commit (`subscriptionDraftCommit`) refuses a cycle's draft and
the cycle commit refuses a contract's draft, as Shopify does (BILLING_CYCLE_PRESENT/ABSENT).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from shopify_app.sandbox import cycles
from shopify_app.sandbox.drafts import _open_draft
from shopify_app.sandbox.mutations_common import TERMINATED, contract_of, ctx_of, touch, user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import ContractRecord, Line, parse_numeric_gid
from shopify_app.sandbox.scalars import parse_datetime, parse_decimal
from shopify_app.sandbox.store import Context
from shopify_app.sandbox.value_views import line_view
from shopify_app.sandbox.views import Info, cycle_view, edited_contract_view
from shopify_app.sandbox.views import draft_view as _draft_view

MAX_QUANTITY = 10_000


def find_cycle(
    ctx: Context, billing_cycle_input: dict[str, Any]
) -> tuple[ContractRecord | None, cycles.Cycle | None, list[View]]:
    """The contract and cycle a `SubscriptionBillingCycleInput` selects, or Shopify's error."""
    contract = contract_of(ctx, billing_cycle_input["contractId"])
    if contract is None:
        field = ["billingCycleInput", "contractId"]
        return None, None, [user_error(field, "Contract does not exist", "INVALID")]
    selector = billing_cycle_input["selector"]
    index, moment = selector.get("index"), selector.get("date")
    field = ["billingCycleInput", "selector"]
    if (index is None) == (moment is None):
        message = "Select a billing cycle by exactly one of index or date"
        return contract, None, [user_error(field, message, "CYCLE_SELECTOR_VALIDATE_ONE_OF")]
    if index is not None:
        found = cycles.cycle(contract, index) if cycles.exists(contract, index) else None
        code = "CYCLE_INDEX_OUT_OF_RANGE"
    else:
        found = cycles.containing(contract, parse_datetime(moment))
        code = "CYCLE_START_DATE_OUT_OF_RANGE"
    if found is None:
        return contract, None, [user_error(field, "Billing cycle does not exist", code)]
    return contract, found, []


def contract_edit(_root: Any, info: Info, billingCycleInput: dict[str, Any]) -> View:
    ctx = ctx_of(info)
    contract, found, errors = find_cycle(ctx, billingCycleInput)
    if contract is None or found is None:
        return {"draft": None, "userErrors": errors}
    if contract.terms.status in TERMINATED:
        field = ["billingCycleInput", "contractId"]
        return {"draft": None, "userErrors": [user_error(field, "Contract is not active")]}
    if found.billed:
        field = ["billingCycleInput", "selector"]
        error = user_error(field, "Billing cycle has already been billed", "INVALID")
        return {"draft": None, "userErrors": [error]}
    draft = ctx.store.new_draft(contract)
    draft.cycle_index = found.index
    edited = contract.cycle_edits.get(found.index)
    if edited is not None:
        draft.terms = edited.copy()
    return {"draft": _draft_view(ctx, draft), "userErrors": []}


def _new_line(ctx: Context, data: dict[str, Any]) -> tuple[Line | None, list[View]]:
    catalog = ctx.store.catalog
    variant = catalog.variant(
        ctx.shop, parse_numeric_gid(data["productVariantId"], "ProductVariant")
    )
    if variant is None:
        field = ["input", "productVariantId"]
        return None, [user_error(field, "Product variant does not exist", "INVALID")]
    quantity, price = data["quantity"], parse_decimal(data["currentPrice"])
    if not 1 <= quantity <= MAX_QUANTITY:
        message = f"Quantity must be between 1 and {MAX_QUANTITY}"
        return None, [user_error(["input", "quantity"], message, "NOT_IN_RANGE")]
    if price < 0:
        message = "Price must be greater than or equal to 0"
        return None, [user_error(["input", "currentPrice"], message, "GREATER_THAN_OR_EQUAL_TO")]
    product = catalog.products[variant.product_id]
    return (
        Line(
            id=f"gid://shopify/SubscriptionLine/{uuid.uuid4()}",
            title=product.title,
            variant_title=variant.title,
            quantity=quantity,
            price=price,
            sku=variant.sku,
            product_id=product.id,
            variant_id=variant.id,
            image_url=variant.image_url,
            selling_plan_id=parse_numeric_gid(data.get("sellingPlanId") or "", "SellingPlan"),
        ),
        [],
    )


def draft_line_add(_root: Any, info: Info, draftId: str, input: dict[str, Any]) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"draft": None, "lineAdded": None, "userErrors": errors}
    line, errors = _new_line(ctx, input)
    if line is None:
        return {"draft": None, "lineAdded": None, "userErrors": errors}
    draft.terms.lines.append(line)
    currency = ctx.store.contracts[draft.contract_id].currency
    return {
        "draft": _draft_view(ctx, draft),
        "lineAdded": line_view(line, currency),
        "userErrors": [],
    }


def draft_line_remove(_root: Any, info: Info, draftId: str, lineId: str) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    empty = {"draft": None, "lineRemoved": None, "discountsUpdated": None}
    if draft is None:
        return {**empty, "userErrors": errors}
    line = next((x for x in draft.terms.lines if x.id == lineId), None)
    if line is None:
        error = user_error(["lineId"], "Line does not exist in the draft", "INVALID_LINES")
        return {**empty, "userErrors": [error]}
    draft.terms.lines.remove(line)
    currency = ctx.store.contracts[draft.contract_id].currency
    return {
        "draft": _draft_view(ctx, draft),
        "lineRemoved": line_view(line, currency),
        "discountsUpdated": [],
        "userErrors": [],
    }


def cycle_draft_commit(_root: Any, info: Info, draftId: str) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"contract": None, "userErrors": errors}
    if draft.cycle_index is None:
        message = "The draft is not a billing cycle contract draft"
        return {"contract": None, "userErrors": [user_error(None, message, "BILLING_CYCLE_ABSENT")]}
    contract = ctx.store.contracts[draft.contract_id]
    if contract.revision != draft.base_revision:
        message = "The contract changed since this draft was made; start a new draft"
        return {"contract": None, "userErrors": [user_error(None, message, "STALE_CONTRACT")]}
    if cycles.cycle(contract, draft.cycle_index).billed:
        message = "Billing cycle has already been billed"
        return {"contract": None, "userErrors": [user_error(None, message, "INVALID")]}
    contract.cycle_edits[draft.cycle_index] = draft.terms.copy()
    draft.committed = True
    touch(ctx, contract)
    return {"contract": edited_contract_view(ctx, contract, draft.cycle_index), "userErrors": []}


def billing_cycle(_root: Any, info: Info, billingCycleInput: dict[str, Any]) -> View | None:
    ctx = ctx_of(info)
    contract, found, _errors = find_cycle(ctx, billingCycleInput)
    if contract is None or found is None:
        return None
    return cycle_view(ctx, contract, found)


MUTATIONS: dict[str, Callable[..., Any]] = {
    "subscriptionBillingCycleContractEdit": contract_edit,
    "subscriptionDraftLineAdd": draft_line_add,
    "subscriptionDraftLineRemove": draft_line_remove,
    "subscriptionBillingCycleContractDraftCommit": cycle_draft_commit,
}
QUERIES: dict[str, Callable[..., Any]] = {"subscriptionBillingCycle": billing_cycle}
