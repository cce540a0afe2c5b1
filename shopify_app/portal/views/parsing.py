"""Reading what `PortalOverview` and `PortalContract` return into the portal's views.

Parsing is defensive (Shopify may omit optional objects) and happens once, so pages and
actions work with attributes instead of nested dictionaries.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopify_app.portal.views.viewmodels import (
    Address,
    Contract,
    ContractDetail,
    Cycle,
    Discount,
    Line,
    Money,
    Order,
    Overview,
    PaymentMethod,
    by_relevance,
)
from shopify_app.shopify import gids

CONTRACT_GID = "gid://shopify/SubscriptionContract/"
CUSTOMER_GID = "gid://shopify/Customer/"


def numeric_id(gid: str | None) -> int:
    """`gid://shopify/Thing/42` → 42 (0 when absent or malformed)."""
    return gids.numeric_id(gid) or 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _nodes(value: Any) -> list[dict[str, Any]]:
    nodes = _dict(value).get("nodes")
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


def _has_more(value: Any) -> bool:
    return bool(_dict(_dict(value).get("pageInfo")).get("hasNextPage"))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _moment(value: Any) -> datetime | None:
    return gids.parse_datetime(value)


def _money(value: Any, currency: str = "") -> Money:
    data = _dict(value)
    try:
        amount = Decimal(str(data.get("amount", "0")))
    except InvalidOperation:
        amount = Decimal(0)
    return Money(amount, _text(data.get("currencyCode")) or currency)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _discount(node: dict[str, Any]) -> Discount:
    value = _dict(node.get("value"))
    percentage = _decimal(value.get("percentage")) if "percentage" in value else None
    amount = _money(value.get("amount")) if "amount" in value else None
    if percentage is not None:
        text = f"{value.get('percentage')}%"
    elif amount is not None:
        text = str(amount)
    else:
        text = ""
    return Discount(
        _text(node.get("id")),
        _text(node.get("title")),
        text,
        percentage=percentage,
        amount=amount,
        each_item=bool(value.get("appliesOnEachItem")),
        target=_text(node.get("targetType")) or "LINE_ITEM",
    )


def _address(method: dict[str, Any]) -> Address | None:
    data = method.get("address")
    if not isinstance(data, dict):
        return None
    return Address(
        first_name=_text(data.get("firstName")),
        last_name=_text(data.get("lastName")),
        company=_text(data.get("company")),
        address1=_text(data.get("address1")),
        address2=_text(data.get("address2")),
        city=_text(data.get("city")),
        province_code=_text(data.get("provinceCode")) or _text(data.get("province")),
        zip=_text(data.get("zip")),
        country_code=_text(data.get("countryCodeV2")) or _text(data.get("country")),
        phone=_text(data.get("phone")),
    )


def _payment(data: Any) -> PaymentMethod | None:
    method = _dict(data)
    if not method.get("id"):
        return None
    card = _dict(method.get("instrument"))
    month, year = card.get("expiryMonth"), card.get("expiryYear")
    expiry = f"{month:02d}/{year}" if isinstance(month, int) and isinstance(year, int) else ""
    return PaymentMethod(
        gid=_text(method.get("id")),
        brand=_text(card.get("brand")),
        last_digits=_text(card.get("lastDigits")),
        expiry=expiry,
        expires_soon=bool(card.get("expiresSoon")),
        revoked=bool(method.get("revokedAt")),
        expiry_month=month if isinstance(month, int) else 0,
        expiry_year=year if isinstance(year, int) else 0,
    )


def parse_contract(node: dict[str, Any]) -> Contract:
    currency = _text(node.get("currencyCode"))
    billing, delivery = _dict(node.get("billingPolicy")), _dict(node.get("deliveryPolicy"))
    lines = [
        Line(
            gid=_text(n.get("id")),
            title=_text(n.get("title")),
            variant_title=_text(n.get("variantTitle")),
            quantity=_int(n.get("quantity")),
            price=_money(n.get("currentPrice"), currency),
            image_url=_text(_dict(n.get("variantImage")).get("url")),
            image_alt=_text(_dict(n.get("variantImage")).get("altText")),
            product_gid=_text(n.get("productId")),
            variant_gid=_text(n.get("variantId")),
        )
        for n in _nodes(node.get("lines"))
    ]
    return Contract(
        gid=_text(node.get("id")),
        id=numeric_id(_text(node.get("id"))),
        status=_text(node.get("status")),
        next_billing_date=_moment(node.get("nextBillingDate")),
        currency=currency,
        billing_interval=_text(billing.get("interval")),
        billing_count=int(billing.get("intervalCount") or 0),
        delivery_interval=_text(delivery.get("interval")),
        delivery_count=int(delivery.get("intervalCount") or 0),
        lines=lines,
        address=_address(_dict(node.get("deliveryMethod"))),
        payment=_payment(node.get("customerPaymentMethod")),
        discounts=[_discount(n) for n in _nodes(node.get("discounts"))],
        customer_id=numeric_id(_text(_dict(node.get("customer")).get("id"))),
        # a card reads a few lines and discounts: no total from a part of them
        complete=not (_has_more(node.get("lines")) or _has_more(node.get("discounts"))),
        more_lines=_has_more(node.get("lines")),
        lines_count=_int(_dict(node.get("linesCount")).get("count")),
        more_discounts=_has_more(node.get("discounts")),
        delivery_price=(
            _money(node.get("deliveryPrice"), currency)
            if isinstance(node.get("deliveryPrice"), dict)
            else None
        ),
    )


def parse_overview(data: dict[str, Any], customer_id: int) -> Overview:
    customer = _dict(data.get("customer"))
    orders = [
        Order(
            name=_text(n.get("name")),
            processed_at=_moment(n.get("processedAt")),
            total=_money(_dict(n.get("totalPriceSet")).get("shopMoney")),
            financial_status=_text(n.get("displayFinancialStatus")),
            fulfillment_status=_text(n.get("displayFulfillmentStatus")),
            id=numeric_id(_text(n.get("id"))),
        )
        for n in _nodes(customer.get("orders"))
    ]
    contracts = _dict(customer.get("subscriptionContracts"))
    page = _dict(contracts.get("pageInfo"))
    cursor = _text(page.get("endCursor")) if page.get("hasNextPage") else ""
    return Overview(
        more_after=cursor or None,
        customer_id=customer_id,
        first_name=_text(customer.get("firstName")),
        display_name=_text(customer.get("displayName")),
        contracts=by_relevance(
            [parse_contract(n) for n in _nodes(customer.get("subscriptionContracts"))]
        ),
        orders=orders,
    )


def parse_detail(data: dict[str, Any]) -> ContractDetail | None:
    node = data.get("subscriptionContract")
    if not isinstance(node, dict):
        return None
    cycles = [
        Cycle(
            index=_int(n.get("cycleIndex"), -1),
            expected_at=_moment(n.get("billingAttemptExpectedDate")),
            skipped=bool(n.get("skipped")),
            status=_text(n.get("status")),
            edited=n.get("edited") is True,
        )
        for n in _nodes(data.get("subscriptionBillingCycles"))
    ]
    contracts = _nodes(_dict(_dict(node.get("customer")).get("subscriptionContracts")))
    live = tuple(
        numeric_id(_text(c.get("id")))
        for c in contracts
        if _text(c.get("status")) in ("ACTIVE", "PAUSED")
    )
    return ContractDetail(parse_contract(node), cycles, live_ids=live).with_next_order()
