"""Root query fields over the catalog: one product, variant or collection, searches, `nodes`.

Scoped to the calling shop like every query: another shop's id answers null."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

from shopify_app.sandbox import cycle_edits
from shopify_app.sandbox.catalog_views import collection_view, product_view, variant_view
from shopify_app.sandbox.paging import View, connection
from shopify_app.sandbox.records import parse_numeric_gid
from shopify_app.sandbox.views import Info

MAX_NODES = 250  # Shopify's cap on `nodes(ids:)`


def product(_root: Any, info: Info, id: str) -> View | None:
    catalog, shop = info.context.store.catalog, info.context.shop
    found = catalog.product(shop, parse_numeric_gid(id, "Product"))
    return product_view(catalog, found) if found is not None else None


def product_variant(_root: Any, info: Info, id: str) -> View | None:
    catalog, shop = info.context.store.catalog, info.context.shop
    found = catalog.variant(shop, parse_numeric_gid(id, "ProductVariant"))
    return variant_view(catalog, found) if found is not None else None


def collection(_root: Any, info: Info, id: str) -> View | None:
    catalog, shop = info.context.store.catalog, info.context.shop
    found = catalog.collection(shop, parse_numeric_gid(id, "Collection"))
    return collection_view(catalog, found) if found is not None else None


def products(
    _root: Any, info: Info, first: int | None = None, after: str | None = None,
    query: str | None = None, **_: Any,
) -> View:
    catalog, shop = info.context.store.catalog, info.context.shop
    found = [product_view(catalog, p) for p in catalog.search_products(shop, query)]
    return connection(found, first, after)


def collections(
    _root: Any, info: Info, first: int | None = None, after: str | None = None,
    query: str | None = None, **_: Any,
) -> View:
    catalog, shop = info.context.store.catalog, info.context.shop
    found = [collection_view(catalog, c) for c in catalog.search_collections(shop, query)]
    return connection(found, first, after)


def nodes(_root: Any, info: Info, ids: list[str]) -> list[View | None]:
    """Each id's object, null where there is none for this shop (the catalog's kinds here)."""
    if len(ids) > MAX_NODES:
        raise GraphQLError(f"The ids argument accepts at most {MAX_NODES} ids")
    finders = (product_variant, product, collection)
    answers: list[View | None] = []
    for value in ids:
        found = None
        for finder in finders:
            found = finder(None, info, value)
            if found is not None:
                break
        answers.append(found)
    return answers


RESOLVERS: dict[str, Callable[..., Any]] = {
    "product": product,
    "productVariant": product_variant,
    "collection": collection,
    "products": products,
    "collections": collections,
    "nodes": nodes,
    **cycle_edits.QUERIES,
}
