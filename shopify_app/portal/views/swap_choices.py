"""What a subscription line may be swapped to, with the price each would cost.

The merchant allows the other variants of the line's own product (the default) or, when they
picked a collection in the admin (`Shop.swap_collection_id`), the variants of its products.
The new price keeps the subscriber's discount rate: the line's price over its variant's list
price, applied to the new variant's list price (so "10% off by subscription" stays 10% off).
The same list is what the page offers and what the server accepts (`actions.swap`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from shopify_app.portal.views.viewmodels import Line, Money
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SwapChoice:
    variant_gid: str
    product_title: str
    variant_title: str
    price: Money  # what the line will cost per delivery after the swap
    available: bool

    @property
    def label(self) -> str:
        if not self.variant_title or self.variant_title == "Default Title":
            return self.product_title
        return f"{self.product_title} \u2013 {self.variant_title}"


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def new_price(line: Line, current_list: Decimal | None, target_list: Decimal) -> Decimal:
    """The target's price at the line's discount rate (its list price when none is known)."""
    if current_list is None or current_list <= 0:
        return target_list.quantize(CENT, ROUND_HALF_UP)
    rate = line.price.amount / current_list
    return (target_list * rate).quantize(CENT, ROUND_HALF_UP)


def _variants(data: dict[str, Any], collection: bool) -> list[tuple[str, dict[str, Any]]]:
    """(product title, variant node) pairs from either query's answer."""
    if collection:
        products = ((data.get("collection") or {}).get("products") or {}).get("nodes") or []
    else:
        product = data.get("product")
        products = [product] if isinstance(product, dict) else []
    pairs: list[tuple[str, dict[str, Any]]] = []
    for product in products:
        if not isinstance(product, dict):
            continue
        for variant in (product.get("variants") or {}).get("nodes") or []:
            if isinstance(variant, dict) and isinstance(variant.get("id"), str):
                pairs.append((str(product.get("title") or ""), variant))
    return pairs


async def load_swap_choices(admin: AdminClient, shop: Shop, line: Line) -> list[SwapChoice]:
    """The line's swap choices, its current variant left out (one Admin API request)."""
    if not line.variant_gid:
        return []
    collection = bool(shop.swap_collection_id)
    if collection:
        data = await admin.query(
            shop,
            "SwapChoicesOfCollection",
            {"collectionId": shop.swap_collection_id, "currentVariantId": line.variant_gid},
        )
    elif line.product_gid:
        data = await admin.query(
            shop,
            "SwapChoicesOfProduct",
            {"productId": line.product_gid, "currentVariantId": line.variant_gid},
        )
    else:
        return []
    current_list = _decimal((data.get("productVariant") or {}).get("price"))
    choices: list[SwapChoice] = []
    for product_title, variant in _variants(data, collection):
        target_list = _decimal(variant.get("price"))
        if variant["id"] == line.variant_gid or target_list is None:
            continue
        choices.append(
            SwapChoice(
                variant_gid=variant["id"],
                product_title=product_title,
                variant_title=str(variant.get("title") or ""),
                price=Money(new_price(line, current_list, target_list), line.price.currency),
                available=variant.get("availableForSale") is not False,
            )
        )
    return choices
