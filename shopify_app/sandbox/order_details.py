"""Orders in detail: line items, totals and fulfillments with tracking, and the `order(id:)`
root field (another shop's order is `null`, as Shopify answers ids it does not show you).

Demo orders get their lines from the subscription they came from, with the difference to the
recorded total as shipping (or a discount), and a fulfillment with a carrier's tracking link
once they are fulfilled."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from shopify_app.sandbox.paging import View, connection
from shopify_app.sandbox.records import (
    FulfillmentRecord,
    OrderLine,
    OrderRecord,
    TrackingRecord,
    gid,
    iso,
    parse_numeric_gid,
)
from shopify_app.sandbox.store import Context, SimulatedStore
from shopify_app.sandbox.value_views import money, order_view
from shopify_app.sandbox.views import Info, customer_view

_CARRIERS = (
    ("UPS", "https://www.ups.com/track?tracknum={n}"),
    ("Canada Post", "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{n}"),
)


def _bag(amount: Decimal, currency: str) -> View:
    value = money(amount, currency)
    return {"shopMoney": value, "presentmentMoney": value}


def _line_view(line: OrderLine, currency: str) -> View:
    return {
        "id": gid("LineItem", line.id),
        "title": line.title,
        "variantTitle": line.variant_title,
        "quantity": line.quantity,
        "originalUnitPriceSet": _bag(line.unit_price, currency),
        "originalTotalSet": _bag(line.unit_price * line.quantity, currency),
        "image": {"id": None, "url": line.image_url, "altText": line.title}
        if line.image_url
        else None,
    }


def _fulfillment_view(fulfillment: FulfillmentRecord) -> View:
    tracking = [
        {"company": t.company, "number": t.number, "url": t.url} for t in fulfillment.tracking
    ]
    return {
        "id": gid("Fulfillment", fulfillment.id),
        "createdAt": iso(fulfillment.created_at),
        "status": fulfillment.status,
        "displayStatus": fulfillment.display_status,
        "trackingInfo": lambda _info, first=None: tracking[: first or len(tracking)],
    }


def order_detail_view(ctx: Context, order: OrderRecord) -> View:
    currency = order.currency
    subtotal = sum((li.unit_price * li.quantity for li in order.lines), Decimal(0))
    owner = ctx.store.customer(ctx.shop, order.customer_id)
    fulfillments = [_fulfillment_view(f) for f in order.fulfillments]
    return {
        **order_view(order),
        "customer": customer_view(ctx, owner) if owner is not None else None,
        "subtotalPriceSet": _bag(subtotal, currency),
        "totalShippingPriceSet": _bag(order.shipping, currency),
        "totalTaxSet": _bag(order.tax, currency),
        "totalDiscountsSet": _bag(order.discounts, currency),
        "lineItems": lambda _info, first=None, after=None: connection(
            [_line_view(li, currency) for li in order.lines], first, after
        ),
        "fulfillments": lambda _info, first=None: fulfillments[: first or len(fulfillments)],
    }


def order(_root: Any, info: Info, id: str) -> View | None:
    ctx: Context = info.context
    found = ctx.store.orders.get(parse_numeric_gid(id, "Order") or 0)
    if found is None or found.shop != ctx.shop:
        return None
    return order_detail_view(ctx, found)


def enrich_demo_orders(store: SimulatedStore) -> None:
    """Lines from each order's subscription, totals that add up, tracking once fulfilled."""
    for order_id, record in store.orders.items():
        contract = store.contracts.get(record.contract_id or 0)
        if contract is None or record.lines:
            continue
        record.lines = [
            OrderLine(order_id * 10 + i, li.title, li.variant_title, li.quantity, li.price,
                      li.image_url)
            for i, li in enumerate(contract.terms.lines, 1)
        ]
        subtotal = sum((li.unit_price * li.quantity for li in record.lines), Decimal(0))
        record.shipping = max(record.total - subtotal, Decimal(0))
        record.discounts = max(subtotal - record.total, Decimal(0))
        if record.fulfillment_status == "FULFILLED":
            company, url = _CARRIERS[order_id % len(_CARRIERS)]
            number = f"1Z{order_id % 10**10:010d}"
            record.fulfillments = [
                FulfillmentRecord(
                    id=order_id + 1,
                    created_at=record.processed_at + timedelta(days=1),
                    display_status="DELIVERED",
                    tracking=[TrackingRecord(company, number, url.format(n=number))],
                )
            ]
