"""`subscriptionContractProductChange`: a contract line becomes another variant, at once.

Shopify changes the live contract (no draft) and only to a variant a selling plan group sells
under the line's plan; anything else is a `SubscriptionDraftUserError`, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopify_app.sandbox.mutations_common import TERMINATED, contract_of, ctx_of, touch, user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import parse_numeric_gid
from shopify_app.sandbox.scalars import parse_decimal
from shopify_app.sandbox.value_views import line_view
from shopify_app.sandbox.views import Info, contract_view

NOT_SOLD_BY_PLAN = (
    "The product variant is not sold with a selling plan compatible with this subscription"
)


def _refused(field: list[str] | None, message: str, code: str) -> View:
    return {"contract": None, "lineUpdated": None, "userErrors": [user_error(field, message, code)]}


def product_change(
    _root: Any, info: Info, subscriptionContractId: str, lineId: str, input: dict[str, Any]
) -> View:
    ctx = ctx_of(info)
    contract = contract_of(ctx, subscriptionContractId)
    if contract is None:
        return _refused(["subscriptionContractId"], "Contract does not exist", "INVALID")
    if contract.terms.status in TERMINATED:
        message = f"Cannot change a contract that is {contract.terms.status.lower()}"
        return _refused(["subscriptionContractId"], message, "INVALID")
    line = next((x for x in contract.terms.lines if x.id == lineId), None)
    if line is None:
        return _refused(["lineId"], "Line does not exist on the contract", "INVALID_LINES")
    catalog = ctx.store.catalog
    variant_gid = input.get("productVariantId")
    variant = (
        catalog.variant(ctx.shop, parse_numeric_gid(variant_gid, "ProductVariant"))
        if variant_gid
        else catalog.variant(ctx.shop, line.variant_id)
    )
    if variant is None:
        return _refused(["input", "productVariantId"], "Product variant does not exist", "INVALID")
    if not catalog.compatible(ctx.shop, variant.id, line.selling_plan_id):
        return _refused(["input", "productVariantId"], NOT_SOLD_BY_PLAN, "INVALID")
    price = input.get("currentPrice")
    if price is not None and parse_decimal(price) < 0:
        message = "Price must be greater than or equal to 0"
        return _refused(["input", "currentPrice"], message, "GREATER_THAN_OR_EQUAL_TO")
    product = catalog.products[variant.product_id]
    line.product_id, line.variant_id = product.id, variant.id
    line.title, line.variant_title = product.title, variant.title
    line.sku, line.image_url = variant.sku, variant.image_url or line.image_url
    line.price = parse_decimal(price) if price is not None else variant.price
    touch(ctx, contract)
    return {
        "contract": contract_view(ctx, contract),
        "lineUpdated": line_view(line, contract.currency),
        "userErrors": [],
    }


RESOLVERS: dict[str, Callable[..., Any]] = {
    "subscriptionContractProductChange": product_change,
}
