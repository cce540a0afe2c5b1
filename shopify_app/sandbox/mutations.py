"""Mutations of the simulated store, with real effects and Shopify-like `userErrors`.

Each mutation validates everything first and changes state only when there is no error, so a
refused change leaves nothing half-applied. The draft flow lives in `drafts`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopify_app.sandbox import billing_attempts, cycle_edits, cycles, drafts, line_changes
from shopify_app.sandbox.mutations_common import TERMINATED, contract_of, ctx_of, touch, user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import SentEmail, parse_gid
from shopify_app.sandbox.scalars import parse_datetime
from shopify_app.sandbox.views import Info, contract_view, customer_view, cycle_view

# --- status ----------------------------------------------------------------------------------

_STATUS_TARGET = {"pause": "PAUSED", "activate": "ACTIVE", "cancel": "CANCELLED"}


def _set_status(info: Info, contract_id: str, action: str) -> View:
    ctx = ctx_of(info)
    contract = contract_of(ctx, contract_id)
    if contract is None:
        error = user_error(["subscriptionContractId"], "Contract does not exist")
        return {"contract": None, "userErrors": [error]}
    status = contract.terms.status
    if status in TERMINATED:
        message = f"Cannot {action} a contract that is {status.lower()}"
        error = user_error(["subscriptionContractId"], message, "CONTRACT_TERMINATED")
        return {"contract": None, "userErrors": [error]}
    target = _STATUS_TARGET[action]
    if status != target:  # repeating a transition is a no-op, as on Shopify
        contract.terms.status = target
        touch(ctx, contract)
    return {"contract": contract_view(ctx, contract), "userErrors": []}


def contract_pause(_root: Any, info: Info, subscriptionContractId: str) -> View:
    return _set_status(info, subscriptionContractId, "pause")


def contract_activate(_root: Any, info: Info, subscriptionContractId: str) -> View:
    return _set_status(info, subscriptionContractId, "activate")


def contract_cancel(_root: Any, info: Info, subscriptionContractId: str) -> View:
    return _set_status(info, subscriptionContractId, "cancel")


# --- billing cycles --------------------------------------------------------------------------


def _skip(info: Info, cycle_input: dict[str, Any], skipped: bool) -> View:
    ctx = ctx_of(info)
    contract = contract_of(ctx, cycle_input["contractId"])
    if contract is None:
        error = user_error(["billingCycleInput", "contractId"], "Contract does not exist")
        return {"billingCycle": None, "userErrors": [error]}
    if contract.terms.status in TERMINATED:
        error = user_error(["billingCycleInput", "contractId"], "Contract is not active")
        return {"billingCycle": None, "userErrors": [error]}
    selector = cycle_input["selector"]
    index, moment = selector.get("index"), selector.get("date")
    field = ["billingCycleInput", "selector"]
    if (index is None) == (moment is None):
        error = user_error(field, "Select a billing cycle by exactly one of index or date")
        return {"billingCycle": None, "userErrors": [error]}
    if index is not None:
        found = cycles.cycle(contract, index) if cycles.exists(contract, index) else None
    else:
        found = cycles.containing(contract, parse_datetime(moment))
    if found is None:
        error = user_error(field, "Billing cycle does not exist")
        return {"billingCycle": None, "userErrors": [error]}
    if found.billed:
        error = user_error(field, "Billing cycle has already been billed")
        return {"billingCycle": None, "userErrors": [error]}
    if skipped:
        contract.skipped_cycles.add(found.index)
    else:
        contract.skipped_cycles.discard(found.index)
    touch(ctx, contract)
    return {
        "billingCycle": cycle_view(ctx, contract, cycles.cycle(contract, found.index)),
        "userErrors": [],
    }


def cycle_skip(_root: Any, info: Info, billingCycleInput: dict[str, Any]) -> View:
    return _skip(info, billingCycleInput, skipped=True)


def cycle_unskip(_root: Any, info: Info, billingCycleInput: dict[str, Any]) -> View:
    return _skip(info, billingCycleInput, skipped=False)


def set_next_billing_date(
    _root: Any,
    info: Info,
    contractId: str,
    date: str,
) -> View:
    ctx = ctx_of(info)
    moment = parse_datetime(date)
    contract = contract_of(ctx, contractId)
    if contract is None:
        error = user_error(["contractId"], "Contract does not exist")
        return {"contract": None, "userErrors": [error]}
    if contract.terms.status in TERMINATED:
        error = user_error(["contractId"], "Cannot reschedule a terminated contract")
        return {"contract": None, "userErrors": [error]}
    if moment <= ctx.store.now():
        error = user_error(["date"], "Next billing date must be in the future")
        return {"contract": None, "userErrors": [error]}
    contract.terms.next_billing_date = moment
    touch(ctx, contract)
    return {"contract": contract_view(ctx, contract), "userErrors": []}


# --- payment methods -------------------------------------------------------------------------


def payment_method_send_update_email(
    _root: Any,
    info: Info,
    customerPaymentMethodId: str,
    **_: Any,
) -> View:
    ctx = ctx_of(info)
    store = ctx.store
    method_id = parse_gid(customerPaymentMethodId, "CustomerPaymentMethod") or ""
    method = store.payment_methods.get(method_id)
    customer = store.customers.get(method.customer_id) if method is not None else None
    field = ["customerPaymentMethodId"]
    if method is None or customer is None or customer.shop != ctx.shop:
        error = user_error(field, "Customer payment method does not exist", None)
        return {"customer": None, "userErrors": [error]}
    if method.revoked_at is not None:
        error = user_error(field, "Payment method has been revoked", None)
        return {"customer": None, "userErrors": [error]}
    if not customer.email:
        error = user_error(None, "Customer has no email address", None)
        return {"customer": None, "userErrors": [error]}
    store.sent_emails.append(
        SentEmail(ctx.shop, customer.id, customer.email, method.id, store.now())
    )
    return {"customer": customer_view(ctx, customer), "userErrors": []}


RESOLVERS: dict[str, Callable[..., Any]] = {
    "subscriptionContractPause": contract_pause,
    "subscriptionContractActivate": contract_activate,
    "subscriptionContractCancel": contract_cancel,
    "subscriptionBillingCycleSkip": cycle_skip,
    "subscriptionBillingCycleUnskip": cycle_unskip,
    "subscriptionContractSetNextBillingDate": set_next_billing_date,
    **drafts.RESOLVERS,
    **line_changes.RESOLVERS,
    **cycle_edits.MUTATIONS,
    "customerPaymentMethodSendUpdateEmail": payment_method_send_update_email,
    "subscriptionBillingCycleCharge": billing_attempts.cycle_charge,
}
