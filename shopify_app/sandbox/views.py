"""Records seen through the GraphQL schema: dicts whose relations are callables, resolved
lazily by graphql-core's default resolver (a callable value is called with `info` and the
field's arguments), so a query only builds what it selects. Plain values without relations
are in `value_views`."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from shopify_app.sandbox import cycles
from shopify_app.sandbox.paging import View, connection, paged
from shopify_app.sandbox.records import (
    ContractRecord,
    CustomerRecord,
    DraftRecord,
    PaymentMethodRecord,
    Terms,
    gid,
    iso,
)
from shopify_app.sandbox.store import Context, SimulatedStore
from shopify_app.sandbox.value_views import (
    address_view,
    draft_discount_view,
    line_view,
    manual_discount_view,
    money,
    order_view,
)

if TYPE_CHECKING:
    Info = GraphQLResolveInfo[Context]
else:
    Info = GraphQLResolveInfo


def customer_view(ctx: Context, customer: CustomerRecord) -> View:
    store = ctx.store

    def orders(
        _info: Any,
        first: int | None = None,
        after: str | None = None,
        reverse: bool = False,
        sortKey: str | None = None,
    ) -> View:
        found = [o for o in store.orders.values() if o.customer_id == customer.id]
        if sortKey == "PROCESSED_AT":
            found.sort(key=lambda o: o.processed_at)
        else:
            found.sort(key=lambda o: o.id)
        if reverse:
            found.reverse()
        return connection([order_view(o) for o in found], first, after)

    return {
        "id": gid("Customer", customer.id),
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "displayName": customer.display_name,
        "defaultEmailAddress": (
            {"emailAddress": customer.email} if customer.email is not None else None
        ),
        "subscriptionContracts": paged(
            lambda: [contract_view(ctx, c) for c in store.contracts_of(customer.id)]
        ),
        "orders": orders,
        "amountSpent": lambda _info: money(amount_spent(store, customer.id), ctx.currency),
        "paymentMethods": paged(
            lambda: [
                payment_method_view(ctx, p)
                for p in store.payment_methods.values()
                if p.customer_id == customer.id and p.revoked_at is None
            ]
        ),
    }


# Orders that brought no money in (Shopify's amountSpent counts what was paid, net of refunds).
_UNPAID = frozenset({"PENDING", "VOIDED", "REFUNDED", "EXPIRED"})


def amount_spent(store: SimulatedStore, customer_id: int) -> Decimal:
    """The customer's `amountSpent`: the total of their orders that were paid."""
    return sum(
        (o.total for o in store.orders.values()
         if o.customer_id == customer_id and o.financial_status not in _UNPAID),
        Decimal("0"),
    )


def payment_method_view(ctx: Context, method: PaymentMethodRecord) -> View:
    # Shopify flags cards that expire within the next two months.
    now = ctx.store.now()
    months_left = (method.expiry_year - now.year) * 12 + method.expiry_month - now.month
    return {
        "id": gid("CustomerPaymentMethod", method.id),
        "customer": lambda _info: _customer_or_none(ctx, method.customer_id),
        "revokedAt": iso(method.revoked_at) if method.revoked_at else None,
        "instrument": {
            "__typename": "CustomerCreditCard",
            "brand": method.brand,
            "lastDigits": method.last_digits,
            "expiryMonth": method.expiry_month,
            "expiryYear": method.expiry_year,
            "expiresSoon": months_left <= 2,
            "maskedNumber": f"•••• •••• •••• {method.last_digits}",
            "name": method.name,
        },
    }


def _customer_or_none(ctx: Context, customer_id: int) -> View | None:
    customer = ctx.store.customers.get(customer_id)
    return customer_view(ctx, customer) if customer is not None else None


def _terms_fields(terms: Terms, currency: str, owner_id: str) -> View:
    return {
        "status": terms.status,
        "nextBillingDate": iso(terms.next_billing_date),
        "note": terms.note,
        "billingPolicy": {
            "interval": terms.billing_policy.interval,
            "intervalCount": terms.billing_policy.interval_count,
            "minCycles": terms.min_cycles,
            "maxCycles": terms.max_cycles,
        },
        "deliveryPolicy": {
            "interval": terms.delivery_policy.interval,
            "intervalCount": terms.delivery_policy.interval_count,
        },
        "deliveryMethod": {
            "__typename": "SubscriptionDeliveryMethodShipping",
            "address": address_view(terms.address, owner_id),
        },
        "lines": paged(lambda: [line_view(line, currency) for line in terms.lines]),
        "linesCount": {"count": len(terms.lines), "precision": "EXACT"},
    }


def contract_view(ctx: Context, contract: ContractRecord) -> View:
    contract_gid = gid("SubscriptionContract", contract.id)
    store = ctx.store

    def payment_method(_info: Any, **_: Any) -> View | None:
        method = store.payment_methods.get(contract.payment_method_id or "")
        return payment_method_view(ctx, method) if method is not None else None

    return {
        **_terms_fields(contract.terms, contract.currency, contract_gid),
        "id": contract_gid,
        "createdAt": iso(contract.created_at),
        "updatedAt": iso(contract.updated_at),
        "currencyCode": contract.currency,
        "customer": lambda _info: _customer_or_none(ctx, contract.customer_id),
        "deliveryPrice": money(contract.delivery_price, contract.currency),
        "customerPaymentMethod": payment_method,
        "discounts": paged(
            lambda: [manual_discount_view(d, contract.currency) for d in contract.terms.discounts]
        ),
    }


def draft_view(ctx: Context, draft: DraftRecord) -> View:
    contract = ctx.store.contracts[draft.contract_id]
    draft_gid = gid("SubscriptionDraft", draft.id)
    customer = ctx.store.customers[contract.customer_id]
    return {
        **_terms_fields(draft.terms, contract.currency, draft_gid),
        "id": draft_gid,
        "currencyCode": contract.currency,
        "customer": lambda _info: customer_view(ctx, customer),
        "originalContract": lambda _info: contract_view(ctx, contract),
        "discounts": paged(
            lambda: [draft_discount_view(d, contract.currency) for d in draft.terms.discounts]
        ),
    }


def cycle_view(ctx: Context, contract: ContractRecord, cycle: cycles.Cycle) -> View:
    return {
        "cycleIndex": cycle.index,
        "cycleStartAt": iso(cycle.start_at),
        "cycleEndAt": iso(cycle.end_at - timedelta(seconds=1)),
        "billingAttemptExpectedDate": iso(cycle.expected_at),
        "skipped": cycle.skipped,
        "status": "BILLED" if cycle.billed else "UNBILLED",
        "sourceContract": lambda _info: contract_view(ctx, contract),
        "edited": cycle.index in contract.cycle_edits,
        "editedContract": lambda _info: edited_contract_view(ctx, contract, cycle.index),
    }


def edited_contract_view(ctx: Context, contract: ContractRecord, index: int) -> View | None:
    """What one cycle bills when it was edited on its own (`sandbox.cycle_edits`), else null."""
    terms = contract.cycle_edits.get(index)
    if terms is None:
        return None
    owner = gid("SubscriptionContract", contract.id)
    return {
        **_terms_fields(terms, contract.currency, owner),
        "createdAt": iso(contract.created_at),
        "updatedAt": iso(contract.updated_at),
        "currencyCode": contract.currency,
        "customer": lambda _info: _customer_or_none(ctx, contract.customer_id),
        "deliveryPrice": money(contract.delivery_price, contract.currency),
        "discounts": paged(
            lambda: [manual_discount_view(d, contract.currency) for d in terms.discounts]
        ),
    }
