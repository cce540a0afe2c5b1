"""`subscriptionBillingCycleCharge`: a billing attempt for one billing cycle, now.

As on Shopify: the contract must be active (paused → `CONTRACT_PAUSED`, cancelled or expired
→ `CONTRACT_TERMINATED`), the cycle must exist (`CYCLE_INDEX_OUT_OF_RANGE`,
`CYCLE_START_DATE_OUT_OF_RANGE`), not be skipped (`BILLING_CYCLE_SKIPPED`) nor billed. Billing a
future cycle early uses the current time as the attempt's `originTime`. A successful attempt
makes an order, the cycle becomes billed and the contract's `nextBillingDate` moves on to the
next cycle (the schedule keeps its anchor: ordering early does not shift later orders).

The simulation bills synchronously (Shopify completes attempts a moment later) and only the
earliest unbilled cycle, or one whose earlier unbilled cycles are all skipped: its cycles are
"billed up to an index", so a cycle cannot be billed out of order here (`INVALID`). A contract
without a usable card gets an attempt that makes no order, as Shopify's fails afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopify_app.sandbox import cycles
from shopify_app.sandbox.mutations_common import TERMINATED, contract_of, ctx_of, touch, user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import (
    BillingAttemptRecord,
    ContractRecord,
    OrderLine,
    OrderRecord,
    gid,
    iso,
)
from shopify_app.sandbox.scalars import parse_datetime
from shopify_app.sandbox.store import Context
from shopify_app.sandbox.views import Info, contract_view

_FIELD = ["billingCycleSelector"]


def _refused(field: list[str] | None, message: str, code: str) -> View:
    return {"subscriptionBillingAttempt": None, "userErrors": [user_error(field, message, code)]}


def _order_total(contract: ContractRecord) -> tuple[Decimal, Decimal]:
    """(subtotal, discounts) of an order made from the contract as it stands."""
    lines = contract.terms.lines
    subtotal = sum((li.price * li.quantity for li in lines), Decimal(0))
    off = Decimal(0)
    for discount in contract.terms.discounts:
        if discount.percentage is not None:
            off += subtotal * Decimal(discount.percentage) / 100
        elif discount.amount is not None:
            off += discount.amount
    return subtotal, min(off, subtotal).quantize(Decimal("0.01"))


def _make_order(ctx: Context, contract: ContractRecord) -> OrderRecord:
    store = ctx.store
    number = max((o.number for o in store.orders.values()), default=1000) + 1
    order_id = max(store.orders, default=5000000000000) + 1
    subtotal, off = _order_total(contract)
    order = OrderRecord(
        id=order_id,
        shop=ctx.shop,
        customer_id=contract.customer_id,
        number=number,
        processed_at=store.now(),
        total=subtotal - off + contract.delivery_price,
        currency=contract.currency,
        financial_status="PAID",
        fulfillment_status="UNFULFILLED",
        contract_id=contract.id,
        lines=[
            OrderLine(order_id * 10 + i, li.title, li.variant_title, li.quantity, li.price,
                      li.image_url)
            for i, li in enumerate(contract.terms.lines, 1)
        ],
        shipping=contract.delivery_price,
        discounts=off,
    )
    store.add_order(order)
    return order


def _find_cycle(contract: ContractRecord, selector: dict[str, Any]) -> cycles.Cycle | View:
    index, moment = selector.get("index"), selector.get("date")
    if (index is None) == (moment is None):
        return _refused(_FIELD, "Select a billing cycle by exactly one of index or date", "INVALID")
    if index is not None:
        if not cycles.exists(contract, index):
            return _refused(_FIELD, "Cycle index is out of range", "CYCLE_INDEX_OUT_OF_RANGE")
        return cycles.cycle(contract, index)
    found = cycles.containing(contract, parse_datetime(moment))
    if found is None:
        return _refused(_FIELD, "No billing cycle at this date", "CYCLE_START_DATE_OUT_OF_RANGE")
    return found


def cycle_charge(
    _root: Any,
    info: Info,
    subscriptionContractId: str,
    billingCycleSelector: dict[str, Any],
    inventoryPolicy: str = "PRODUCT_VARIANT_INVENTORY_POLICY",
) -> View:
    ctx = ctx_of(info)
    store = ctx.store
    contract = contract_of(ctx, subscriptionContractId)
    if contract is None:
        return _refused(["subscriptionContractId"], "Contract not found", "CONTRACT_NOT_FOUND")
    status = contract.terms.status
    if status in TERMINATED:
        return _refused(None, "Contract is terminated", "CONTRACT_TERMINATED")
    if status == "PAUSED":
        return _refused(None, "Contract is paused", "CONTRACT_PAUSED")
    found = _find_cycle(contract, billingCycleSelector)
    if not isinstance(found, cycles.Cycle):
        return found
    if found.skipped:
        return _refused(_FIELD, "Billing cycle is skipped", "BILLING_CYCLE_SKIPPED")
    if found.billed:
        return _refused(_FIELD, "Billing cycle has already been billed", "INVALID")
    earlier = range(contract.next_cycle_index, found.index)
    if any(i not in contract.skipped_cycles for i in earlier):
        return _refused(_FIELD, "An earlier billing cycle is not billed yet", "INVALID")
    now = store.now()
    method = store.payment_methods.get(contract.payment_method_id or "")
    order = None
    if method is not None and method.revoked_at is None:
        order = _make_order(ctx, contract)
        following = cycles.cycle(contract, found.index + 1)
        contract.next_cycle_index = found.index + 1
        contract.terms.next_billing_date = following.start_at
        touch(ctx, contract)
    attempt = BillingAttemptRecord(
        id=len(store.billing_attempts) + 1,
        shop=ctx.shop,
        contract_id=contract.id,
        cycle_index=found.index,
        created_at=now,
        origin_time=min(now, found.expected_at),  # a future cycle billed now starts now
        order_id=order.id if order is not None else None,
        idempotency_key=f"{contract.id}-{found.index}-{len(store.billing_attempts) + 1}",
    )
    store.billing_attempts.append(attempt)
    return {
        "subscriptionBillingAttempt": {
            "id": gid("SubscriptionBillingAttempt", attempt.id),
            "createdAt": iso(attempt.created_at),
            "completedAt": iso(now) if order is not None else None,
            "idempotencyKey": attempt.idempotency_key,
            "originTime": iso(attempt.origin_time),
            "respectInventoryPolicy": inventoryPolicy == "PRODUCT_VARIANT_INVENTORY_POLICY",
            "subscriptionContract": contract_view(ctx, contract),
        },
        "userErrors": [],
    }
