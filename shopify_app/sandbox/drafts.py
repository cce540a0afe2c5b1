"""Draft mutations: `subscriptionContractUpdate` copies a contract's terms into a draft, the
draft edits change only that copy, `subscriptionDraftCommit` writes it back unless the contract
changed meanwhile (STALE_CONTRACT). Shopify has no discard: an uncommitted draft is inert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopify_app.sandbox import draft_edits
from shopify_app.sandbox.mutations_common import contract_of, ctx_of, touch, user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import DraftRecord, parse_numeric_gid
from shopify_app.sandbox.store import Context
from shopify_app.sandbox.value_views import draft_discount_view, line_view
from shopify_app.sandbox.views import Info, contract_view
from shopify_app.sandbox.views import draft_view as _draft_view


def contract_update(_root: Any, info: Info, contractId: str) -> View:
    ctx = ctx_of(info)
    contract = contract_of(ctx, contractId)
    if contract is None:
        error = user_error(["contractId"], "Contract does not exist")
        return {"draft": None, "userErrors": [error]}
    draft = ctx.store.new_draft(contract)
    if contract.id in ctx.store.concurrent_edits:
        # Another app (or the merchant) changes the contract while this draft is open: its
        # commit will be refused as Shopify refuses it (STALE_CONTRACT).
        ctx.store.concurrent_edits.discard(contract.id)
        touch(ctx, contract)
    return {"draft": _draft_view(ctx, draft), "userErrors": []}


def _open_draft(ctx: Context, draft_id: str) -> tuple[DraftRecord | None, list[View]]:
    draft = ctx.store.draft(ctx.shop, parse_numeric_gid(draft_id, "SubscriptionDraft"))
    if draft is None:
        return None, [user_error(["draftId"], "Draft does not exist")]
    if draft.committed:
        return None, [user_error(["draftId"], "Draft has already been committed", "COMMITTED")]
    return draft, []


def draft_update(_root: Any, info: Info, draftId: str, input: dict[str, Any]) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"draft": None, "userErrors": errors}
    errors = draft_edits.update_errors(draft.terms, input, ctx.store.now())
    if errors:
        return {"draft": None, "userErrors": errors}
    draft_edits.apply_update(draft.terms, input)
    return {"draft": _draft_view(ctx, draft), "userErrors": []}


def draft_line_update(
    _root: Any,
    info: Info,
    draftId: str,
    lineId: str,
    input: dict[str, Any],
) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"draft": None, "lineUpdated": None, "userErrors": errors}
    line = next((x for x in draft.terms.lines if x.id == lineId), None)
    if line is None:
        errors = [user_error(["lineId"], "Line does not exist in the draft", "INVALID_LINES")]
        return {"draft": None, "lineUpdated": None, "userErrors": errors}
    errors = draft_edits.line_errors(input)
    if errors:
        return {"draft": None, "lineUpdated": None, "userErrors": errors}
    draft_edits.apply_line(line, input)
    currency = ctx.store.contracts[draft.contract_id].currency
    return {
        "draft": _draft_view(ctx, draft),
        "lineUpdated": line_view(line, currency),
        "userErrors": [],
    }


def draft_discount_code_apply(_root: Any, info: Info, draftId: str, redeemCode: str) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"draft": None, "appliedDiscount": None, "userErrors": errors}
    code = ctx.store.discount_codes.get(ctx.shop, {}).get(redeemCode.strip().upper())
    if code is None:
        errors = [user_error(["redeemCode"], "Discount code is invalid")]
        return {"draft": None, "appliedDiscount": None, "userErrors": errors}
    if any(d.code == code.code for d in draft.terms.discounts):
        errors = [user_error(["redeemCode"], "Discount code has already been applied")]
        return {"draft": None, "appliedDiscount": None, "userErrors": errors}
    discount = draft_edits.discount_from_code(code, ctx.store.new_discount_id())
    draft.terms.discounts.append(discount)
    applied = {
        "id": discount.id,
        "redeemCode": code.code,
        "rejectionReason": None,
    }
    return {"draft": _draft_view(ctx, draft), "appliedDiscount": applied, "userErrors": []}


def draft_discount_remove(_root: Any, info: Info, draftId: str, discountId: str) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"draft": None, "discountRemoved": None, "userErrors": errors}
    discount = next((d for d in draft.terms.discounts if d.id == discountId), None)
    if discount is None:
        errors = [user_error(["discountId"], "Discount does not exist in the draft")]
        return {"draft": None, "discountRemoved": None, "userErrors": errors}
    draft.terms.discounts.remove(discount)
    currency = ctx.store.contracts[draft.contract_id].currency
    return {
        "draft": _draft_view(ctx, draft),
        "discountRemoved": draft_discount_view(discount, currency),
        "userErrors": [],
    }


def draft_commit(_root: Any, info: Info, draftId: str) -> View:
    ctx = ctx_of(info)
    draft, errors = _open_draft(ctx, draftId)
    if draft is None:
        return {"contract": None, "userErrors": errors}
    contract = ctx.store.contracts[draft.contract_id]
    if draft.cycle_index is not None:  # committed by subscriptionBillingCycleContractDraftCommit
        error = user_error(None, "The draft belongs to a billing cycle", "BILLING_CYCLE_PRESENT")
        return {"contract": None, "userErrors": [error]}
    if contract.revision != draft.base_revision:
        message = "The contract changed since this draft was made; start a new draft"
        return {"contract": None, "userErrors": [user_error(None, message, "STALE_CONTRACT")]}
    contract.terms = draft.terms.copy()
    draft.committed = True
    touch(ctx, contract)
    return {"contract": contract_view(ctx, contract), "userErrors": []}


RESOLVERS: dict[str, Callable[..., Any]] = {
    "subscriptionContractUpdate": contract_update,
    "subscriptionDraftUpdate": draft_update,
    "subscriptionDraftLineUpdate": draft_line_update,
    "subscriptionDraftDiscountCodeApply": draft_discount_code_apply,
    "subscriptionDraftDiscountRemove": draft_discount_remove,
    "subscriptionDraftCommit": draft_commit,
}
