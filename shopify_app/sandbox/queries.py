"""Root query fields of the simulated store. Everything is scoped to the calling shop: another
shop's object is `null`, as Shopify answers for ids it does not show you."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

from shopify_app.sandbox import catalog_queries, cycles, order_details
from shopify_app.sandbox.paging import View, connection
from shopify_app.sandbox.records import CustomerRecord, parse_numeric_gid
from shopify_app.sandbox.scalars import parse_datetime
from shopify_app.sandbox.store import Context
from shopify_app.sandbox.value_views import shop_view
from shopify_app.sandbox.views import (
    Info,
    contract_view,
    customer_view,
    cycle_view,
    draft_view,
)


def _ctx(info: Info) -> Context:
    return info.context


def shop(_root: Any, info: Info) -> View:
    ctx = _ctx(info)
    return shop_view(ctx.store.shops[ctx.shop])


def customer(_root: Any, info: Info, id: str) -> View | None:
    ctx = _ctx(info)
    record = ctx.store.customer(ctx.shop, parse_numeric_gid(id, "Customer"))
    return customer_view(ctx, record) if record is not None else None


def _matches(record: CustomerRecord, terms: list[str]) -> bool:
    """A small part of Shopify's customer search syntax: `email:`, `id:`, free text."""
    email = (record.email or "").lower()
    for term in terms:
        field, sep, value = term.partition(":")
        value = value.lower()
        if sep and field == "email":
            if email != value:
                return False
        elif sep and field == "id":
            if str(record.id) != value:
                return False
        elif term.upper() in ("AND", ""):
            continue
        elif term.lower() not in f"{record.display_name.lower()} {email}":
            return False
    return True


def customers(
    _root: Any,
    info: Info,
    first: int | None = None,
    after: str | None = None,
    query: str | None = None,
) -> View:
    ctx = _ctx(info)
    try:
        terms = shlex.split(query or "")
    except ValueError:
        terms = (query or "").split()
    found = [
        customer_view(ctx, c)
        for c in sorted(ctx.store.customers.values(), key=lambda c: c.id)
        if c.shop == ctx.shop and _matches(c, terms)
    ]
    return connection(found, first, after)


def subscription_contract(_root: Any, info: Info, id: str) -> View | None:
    ctx = _ctx(info)
    record = ctx.store.contract(ctx.shop, parse_numeric_gid(id, "SubscriptionContract"))
    return contract_view(ctx, record) if record is not None else None


def subscription_contracts(
    _root: Any, info: Info, first: int | None = None, after: str | None = None
) -> View:
    ctx = _ctx(info)
    found = [
        contract_view(ctx, c)
        for c in sorted(ctx.store.contracts.values(), key=lambda c: c.id)
        if c.shop == ctx.shop
    ]
    return connection(found, first, after)


def subscription_draft(_root: Any, info: Info, id: str) -> View | None:
    ctx = _ctx(info)
    record = ctx.store.draft(ctx.shop, parse_numeric_gid(id, "SubscriptionDraft"))
    return draft_view(ctx, record) if record is not None else None


def subscription_billing_cycles(
    _root: Any,
    info: Info,
    contractId: str,
    billingCyclesDateRangeSelector: dict[str, str] | None = None,
    billingCyclesIndexRangeSelector: dict[str, int] | None = None,
    first: int | None = None,
    after: str | None = None,
) -> View:
    ctx = _ctx(info)
    if (billingCyclesDateRangeSelector is None) == (billingCyclesIndexRangeSelector is None):
        raise GraphQLError(
            "Exactly one of billingCyclesDateRangeSelector or billingCyclesIndexRangeSelector "
            "must be given"
        )
    record = ctx.store.contract(ctx.shop, parse_numeric_gid(contractId, "SubscriptionContract"))
    if record is None:
        raise GraphQLError("Subscription contract does not exist")
    if billingCyclesDateRangeSelector is not None:
        found = cycles.by_date_range(
            record,
            parse_datetime(billingCyclesDateRangeSelector["startDate"]),
            parse_datetime(billingCyclesDateRangeSelector["endDate"]),
        )
    else:
        assert billingCyclesIndexRangeSelector is not None
        found = cycles.by_index_range(
            record,
            billingCyclesIndexRangeSelector["startIndex"],
            billingCyclesIndexRangeSelector["endIndex"],
        )
    return connection([cycle_view(ctx, record, c) for c in found], first, after)


RESOLVERS: dict[str, Callable[..., Any]] = {
    "shop": shop,
    "customer": customer,
    "customers": customers,
    "subscriptionContract": subscription_contract,
    "subscriptionContracts": subscription_contracts,
    "subscriptionDraft": subscription_draft,
    "subscriptionBillingCycles": subscription_billing_cycles,
    "order": order_details.order,
    **catalog_queries.RESOLVERS,
}
