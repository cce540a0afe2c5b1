"""The simulated store's products: products, variants, collections and selling plan groups.

A selling plan group lists the variants it sells by subscription and the plans it holds; a
contract line carries the plan it was bought with. Shopify lets a line change to a variant
only if that variant is sold by a group holding the line's plan, which `compatible` answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class VariantRecord:
    id: int
    product_id: int
    title: str
    price: Decimal
    sku: str | None = None
    image_url: str | None = None
    available: bool = True


@dataclass
class ProductRecord:
    id: int
    shop: str
    title: str
    variant_ids: list[int] = field(default_factory=list)


@dataclass
class CollectionRecord:
    id: int
    shop: str
    title: str
    product_ids: list[int] = field(default_factory=list)


@dataclass
class SellingPlanGroupRecord:
    id: int
    shop: str
    name: str
    plan_ids: set[int]
    variant_ids: set[int]


class Catalog:
    """Every shop's products, looked up scoped to the asking shop (another's is absent)."""

    def __init__(self) -> None:
        self.products: dict[int, ProductRecord] = {}
        self.variants: dict[int, VariantRecord] = {}
        self.collections: dict[int, CollectionRecord] = {}
        self.groups: dict[int, SellingPlanGroupRecord] = {}

    def add_product(self, product: ProductRecord, variants: list[VariantRecord]) -> None:
        self.products[product.id] = product
        for variant in variants:
            variant.product_id = product.id
            self.variants[variant.id] = variant
            if variant.id not in product.variant_ids:
                product.variant_ids.append(variant.id)

    def add_collection(self, collection: CollectionRecord) -> None:
        self.collections[collection.id] = collection

    def add_group(self, group: SellingPlanGroupRecord) -> None:
        self.groups[group.id] = group

    def product(self, shop: str, product_id: int | None) -> ProductRecord | None:
        found = self.products.get(product_id) if product_id is not None else None
        return found if found is not None and found.shop == shop else None

    def variant(self, shop: str, variant_id: int | None) -> VariantRecord | None:
        found = self.variants.get(variant_id) if variant_id is not None else None
        if found is None or self.product(shop, found.product_id) is None:
            return None
        return found

    def collection(self, shop: str, collection_id: int | None) -> CollectionRecord | None:
        found = self.collections.get(collection_id) if collection_id is not None else None
        return found if found is not None and found.shop == shop else None

    def variants_of(self, product: ProductRecord) -> list[VariantRecord]:
        return [self.variants[v] for v in product.variant_ids if v in self.variants]

    def compatible(self, shop: str, variant_id: int, selling_plan_id: int | None) -> bool:
        """Sold by subscription under the line's plan (any plan when the line names none)."""
        return any(
            group.shop == shop
            and variant_id in group.variant_ids
            and (selling_plan_id is None or selling_plan_id in group.plan_ids)
            for group in self.groups.values()
        )

    def search_products(self, shop: str, query: str | None) -> list[ProductRecord]:
        """Shopify's product search, the part the admin uses: every word of the query (an
        optional `title:` prefix and `*` wildcards ignored) in the product's title."""
        words = [
            w.removeprefix("title:").strip("*").lower()
            for w in (query or "").split()
            if w.upper() not in ("AND", "")
        ]
        return [
            p
            for p in sorted(self.products.values(), key=lambda p: p.id)
            if p.shop == shop and all(w in p.title.lower() for w in words)
        ]

    def search_collections(self, shop: str, query: str | None) -> list[CollectionRecord]:
        words = [w.removeprefix("title:").strip("*").lower() for w in (query or "").split()]
        return [
            c
            for c in sorted(self.collections.values(), key=lambda c: c.id)
            if c.shop == shop and all(w in c.title.lower() for w in words)
        ]
