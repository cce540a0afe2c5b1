"""Products, variants and collections seen through the GraphQL schema (`sandbox.catalog`)."""

from __future__ import annotations

from shopify_app.sandbox.catalog import Catalog, CollectionRecord, ProductRecord, VariantRecord
from shopify_app.sandbox.paging import View, paged
from shopify_app.sandbox.records import gid, money_text


def variant_view(catalog: Catalog, variant: VariantRecord) -> View:
    product = catalog.products[variant.product_id]
    return {
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", variant.id),
        "title": variant.title,
        "displayName": f"{product.title} - {variant.title}",
        "price": money_text(variant.price),
        "sku": variant.sku,
        "availableForSale": variant.available,
        "image": (
            {"id": None, "url": variant.image_url, "altText": product.title}
            if variant.image_url
            else None
        ),
        "product": lambda _info: product_view(catalog, product),
    }


def product_view(catalog: Catalog, product: ProductRecord) -> View:
    return {
        "__typename": "Product",
        "id": gid("Product", product.id),
        "title": product.title,
        "variants": paged(lambda: [variant_view(catalog, v) for v in catalog.variants_of(product)]),
    }


def collection_view(catalog: Catalog, collection: CollectionRecord) -> View:
    def products() -> list[View]:
        found = (catalog.products.get(p) for p in collection.product_ids)
        return [product_view(catalog, p) for p in found if p is not None]

    return {
        "__typename": "Collection",
        "id": gid("Collection", collection.id),
        "title": collection.title,
        "products": paged(products),
    }

