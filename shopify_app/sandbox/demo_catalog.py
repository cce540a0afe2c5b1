"""The demo shops' products: every subscribed line's product with sibling variants, a few
one-time add-ons, two collections and one selling plan group per shop.

Each product has a "Refill bag" variant its selling plan group sells by subscription and a
"Trial pack" it does not: swapping to the trial pack is what Shopify refuses.
"""

from __future__ import annotations

from decimal import Decimal

from shopify_app.sandbox.catalog import (
    CollectionRecord,
    ProductRecord,
    SellingPlanGroupRecord,
    VariantRecord,
)
from shopify_app.sandbox.demo_images import product_image
from shopify_app.sandbox.store import SimulatedStore

DEMO_SHOP = "demo-shop.myshopify.com"  # as in sandbox.demo (which imports this module)
OTHER_SHOP = "other-shop.myshopify.com"
SELLING_PLAN_GROUP_IDS = {DEMO_SHOP: 9400000000001, OTHER_SHOP: 9400000000002}
SELLING_PLAN_IDS = {DEMO_SHOP: 9410000000001, OTHER_SHOP: 9410000000002}
REFILL_OFFSET = 100_000_000_000  # a line's variant id + this: "Refill bag" (by subscription)
TRIAL_OFFSET = 200_000_000_000  # + this: "Trial pack" (one-time only)

MUG_PRODUCT_ID, MUG_VARIANT_ID = 9800000000001, 9810000000001
SAMPLER_PRODUCT_ID = 9800000000002
SAMPLER_COFFEE_ID, SAMPLER_TEA_ID = 9810000000002, 9810000000003
FAVOURITES_COLLECTION_ID = 9900000000001
GIFTS_COLLECTION_ID = 9900000000002
CENT = Decimal("0.01")


def seed_catalog(store: SimulatedStore) -> None:
    """Products for the lines already in `store` (run after the contracts are added)."""
    catalog = store.catalog
    sold: dict[str, set[int]] = {shop: set() for shop in SELLING_PLAN_IDS}
    favourites: list[int] = []
    for contract in sorted(store.contracts.values(), key=lambda c: c.id):
        for line in contract.terms.lines:
            if line.product_id is None or line.variant_id is None:
                continue
            line.selling_plan_id = SELLING_PLAN_IDS.get(contract.shop)
            if line.product_id in catalog.products:
                continue
            variant = line.variant_id
            catalog.add_product(
                ProductRecord(line.product_id, contract.shop, line.title),
                [
                    VariantRecord(variant, 0, line.variant_title or "Default", line.price,
                                  line.sku, line.image_url),
                    VariantRecord(variant + REFILL_OFFSET, 0, "Refill bag",
                                  (line.price * Decimal("1.8")).quantize(CENT),
                                  None, line.image_url),
                    VariantRecord(variant + TRIAL_OFFSET, 0, "Trial pack",
                                  (line.price * Decimal("0.4")).quantize(CENT),
                                  None, line.image_url),
                ],
            )
            sold.setdefault(contract.shop, set()).update({variant, variant + REFILL_OFFSET})
            if contract.shop == DEMO_SHOP:
                favourites.append(line.product_id)
    catalog.add_product(
        ProductRecord(MUG_PRODUCT_ID, DEMO_SHOP, "Ceramic Mug"),
        [VariantRecord(MUG_VARIANT_ID, 0, "White", Decimal("12.0"), "MUG-WHITE",
                       product_image("Ceramic Mug"))],
    )
    catalog.add_product(
        ProductRecord(SAMPLER_PRODUCT_ID, DEMO_SHOP, "Tasting Sampler"),
        [
            VariantRecord(SAMPLER_COFFEE_ID, 0, "Coffee", Decimal("8.5"), "SAMPLER-C",
                          product_image("Tasting Sampler")),
            VariantRecord(SAMPLER_TEA_ID, 0, "Tea", Decimal("7.5"), "SAMPLER-T",
                          product_image("Tasting Sampler")),
        ],
    )
    catalog.add_collection(
        CollectionRecord(FAVOURITES_COLLECTION_ID, DEMO_SHOP, "Subscriber favourites",
                         [*dict.fromkeys(favourites), MUG_PRODUCT_ID])
    )
    catalog.add_collection(
        CollectionRecord(GIFTS_COLLECTION_ID, DEMO_SHOP, "Gifts",
                         [MUG_PRODUCT_ID, SAMPLER_PRODUCT_ID])
    )
    for shop, plan_id in SELLING_PLAN_IDS.items():
        catalog.add_group(
            SellingPlanGroupRecord(SELLING_PLAN_GROUP_IDS[shop], shop, "Subscribe and save",
                                   {plan_id}, sold.get(shop, set()))
        )
