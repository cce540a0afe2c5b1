"""One order of the history in detail (`PortalOrder`, one Admin API request): its items,
totals and shipments with tracking links. An order that is not the visitor's answers exactly
like a missing one (`OrderNotFound`), so order ids cannot be probed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from shopify_app.errors import NotFound
from shopify_app.portal.views.parsing import numeric_id
from shopify_app.portal.views.viewmodels import Money
from shopify_app.shopify import gids
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

ORDER_GID = "gid://shopify/Order/"
MAX_ORDER_ID = 10**20


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


@dataclass(frozen=True)
class OrderItem:
    title: str
    variant_title: str
    quantity: int
    unit_price: Money
    total: Money
    image_url: str


@dataclass(frozen=True)
class Tracking:
    company: str
    number: str
    url: str  # only http(s) links are kept


@dataclass(frozen=True)
class Shipment:
    status: str
    created_at: datetime | None
    tracking: list[Tracking]


@dataclass(frozen=True)
class OrderDetail:
    id: int
    name: str
    processed_at: datetime | None
    financial_status: str
    fulfillment_status: str
    items: list[OrderItem]
    more_items: bool
    subtotal: Money | None
    shipping: Money | None
    tax: Money | None
    discounts: Money | None
    total: Money
    shipments: list[Shipment]


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _money(bag: Any) -> Money | None:
    shop_money = _d(_d(bag).get("shopMoney"))
    if not shop_money:
        return None
    try:
        amount = Decimal(str(shop_money.get("amount", "0")))
    except InvalidOperation:
        return None
    return Money(amount, _s(shop_money.get("currencyCode")))


def _line_total(unit: Money, quantity: int) -> Money:
    return Money(unit.amount * quantity, unit.currency)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _url(value: Any) -> str:
    text = _s(value)
    # A tracking link becomes an href: never `javascript:` or anything but the web.
    return text if urlsplit(text).scheme in ("http", "https") else ""


def parse_order(node: dict[str, Any]) -> OrderDetail:
    zero = Money(Decimal(0), "")
    items = [
        OrderItem(
            title=_s(n.get("title")),
            variant_title=_s(n.get("variantTitle")),
            quantity=_int(n.get("quantity")),
            unit_price=_money(n.get("originalUnitPriceSet")) or zero,
            total=_line_total(_money(n.get("originalUnitPriceSet")) or zero,
                              _int(n.get("quantity"))),
            image_url=_s(_d(n.get("image")).get("url")),
        )
        for n in _d(node.get("lineItems")).get("nodes") or []
        if isinstance(n, dict)
    ]
    shipments = [
        Shipment(
            status=_s(f.get("displayStatus")) or _s(f.get("status")),
            created_at=gids.parse_datetime(f.get("createdAt")),
            tracking=[
                Tracking(_s(t.get("company")), _s(t.get("number")), _url(t.get("url")))
                for t in f.get("trackingInfo") or []
                if isinstance(t, dict)
            ],
        )
        for f in node.get("fulfillments") or []
        if isinstance(f, dict)
    ]
    return OrderDetail(
        id=numeric_id(_s(node.get("id"))),
        name=_s(node.get("name")),
        processed_at=gids.parse_datetime(node.get("processedAt")),
        financial_status=_s(node.get("displayFinancialStatus")),
        fulfillment_status=_s(node.get("displayFulfillmentStatus")),
        items=items,
        more_items=bool(_d(_d(node.get("lineItems")).get("pageInfo")).get("hasNextPage")),
        subtotal=_money(node.get("subtotalPriceSet")),
        shipping=_money(node.get("totalShippingPriceSet")),
        tax=_money(node.get("totalTaxSet")),
        discounts=_money(node.get("totalDiscountsSet")),
        total=_money(node.get("totalPriceSet")) or zero,
        shipments=shipments,
    )


async def load_order(
    admin: AdminClient, shop: Shop, customer_id: int, order_id: int
) -> OrderDetail:
    """The order, or `OrderNotFound` unless it is this customer's (missing, another customer's
    and another shop's ids all answer the same)."""
    if not 0 < order_id < MAX_ORDER_ID:
        raise OrderNotFound("We could not find this order.")
    data = await admin.query(shop, "PortalOrder", {"orderId": f"{ORDER_GID}{order_id}"})
    node = _d(data.get("order"))
    owner = numeric_id(_s(_d(node.get("customer")).get("id")))
    if not node or owner != customer_id:
        raise OrderNotFound("We could not find this order.")
    return parse_order(node)
