"""The merchant's product choices for the portal: where swaps come from (a collection, or
each product's own variants) and which variants customers may add to their next order.

Picked by search against the store's products (`search_products`, `search_collections`),
saved as Shopify ids with the title the merchant saw (`swap_collection_id`,
`addon_variants`); the portal reads prices and availability fresh from Shopify."""

from __future__ import annotations

import re
from typing import Any

from shopify_app.errors import BadRequest
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

MAX_ADDONS = 20
MAX_TITLE = 255
MAX_QUERY = 100
_COLLECTION = re.compile(r"^gid://shopify/Collection/[0-9]{1,20}$")
_VARIANT = re.compile(r"^gid://shopify/ProductVariant/[0-9]{1,20}$")


class InvalidSetting(BadRequest):
    code = "invalid_setting"
    title = "Invalid setting"


def _invalid(field: str, detail: str) -> InvalidSetting:
    return InvalidSetting(detail, extra={"field": field})


def check_swap_collection(field: str, value: object, shop: Shop) -> object:
    """A Collection id, or null for "other variants of the same product"."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _COLLECTION.match(value):
        raise _invalid(field, f"{field} is a collection id (gid://shopify/Collection/…) or null.")
    return value


def check_addon_variants(field: str, value: object, shop: Shop) -> object:
    if not isinstance(value, list) or len(value) > MAX_ADDONS:
        raise _invalid(field, f"{field} is a list of at most {MAX_ADDONS} variants.")
    result: list[dict[str, str]] = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _invalid(where, f'{where} is {{"id": "gid://shopify/ProductVariant/…", '
                                  '"title": "…"}.')
        if not _VARIANT.match(item["id"]):
            raise _invalid(f"{where}.id", f"{where}.id is a product variant id.")
        title = item.get("title", "")
        if not isinstance(title, str) or len(title) > MAX_TITLE:
            raise _invalid(f"{where}.title", f"{where}.title is text of at most {MAX_TITLE}.")
        if any(existing["id"] == item["id"] for existing in result):
            raise _invalid(where, f"{where} repeats a variant.")
        result.append({"id": item["id"], "title": title.strip()})
    return result


def _search_text(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY]


async def search_products(admin: AdminClient, shop: Shop, query: str) -> list[dict[str, Any]]:
    """Products matching the merchant's words, each with its variants and their prices."""
    data = await admin.query(shop, "AdminProductSearch", {"query": _search_text(query) or None})
    found: list[dict[str, Any]] = []
    for product in (data.get("products") or {}).get("nodes") or []:
        variants = (product.get("variants") or {}).get("nodes") or []
        found.append(
            {
                "id": product.get("id"),
                "title": product.get("title") or "",
                "variants": [
                    {"id": v.get("id"), "title": v.get("title") or "", "price": v.get("price")}
                    for v in variants
                    if isinstance(v, dict)
                ],
            }
        )
    return found


async def search_collections(admin: AdminClient, shop: Shop, query: str) -> list[dict[str, Any]]:
    data = await admin.query(
        shop, "AdminCollectionSearch", {"query": _search_text(query) or None}
    )
    return [
        {"id": c.get("id"), "title": c.get("title") or ""}
        for c in (data.get("collections") or {}).get("nodes") or []
        if isinstance(c, dict)
    ]
