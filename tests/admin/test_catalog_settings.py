"""The merchant's swap collection and add-on products: searched in the store, checked, saved,
and obeyed by the portal."""

from __future__ import annotations

from typing import Any

import pytest

from shopify_app.sandbox import demo_catalog
from shopify_app.sandbox.records import gid
from shopify_app.storage.models import Shop
from tests.admin.conftest import Admin

MUG = gid("ProductVariant", demo_catalog.MUG_VARIANT_ID)
FAVOURITES = gid("Collection", demo_catalog.FAVOURITES_COLLECTION_ID)


async def test_product_search_answers_the_stores_products_with_variants(admin: Admin) -> None:
    response = await admin.request("GET", "products?q=mug")
    assert response.status_code == 200, response.text
    (product,) = response.json()["products"]
    assert product["title"] == "Ceramic Mug"
    assert product["variants"] == [{"id": MUG, "title": "White", "price": "12.0"}]
    everything = (await admin.request("GET", "products")).json()["products"]
    assert len(everything) > 3
    assert (await admin.request("GET", "products?q=nothing-like-this")).json() == {"products": []}


async def test_collection_search(admin: Admin) -> None:
    found = (await admin.request("GET", "collections?q=favourites")).json()["collections"]
    assert found == [{"id": FAVOURITES, "title": "Subscriber favourites"}]


async def test_the_choices_are_saved_and_shown(admin: Admin) -> None:
    defaults = (await admin.request("GET", "settings")).json()
    assert (defaults["swap_collection_id"], defaults["addon_variants"]) == (None, [])
    changes = {
        "swap_collection_id": FAVOURITES,
        "addon_variants": [{"id": MUG, "title": " Ceramic Mug - White "}],
    }
    response = await admin.request("PUT", "settings", json=changes)
    assert response.status_code == 200, response.text
    shop = await Shop.get(id=admin.shop.id)
    assert shop.swap_collection_id == FAVOURITES
    assert shop.addon_variants == [{"id": MUG, "title": "Ceramic Mug - White"}]
    back = await admin.request("PUT", "settings", json={"swap_collection_id": None})
    assert back.json()["swap_collection_id"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"swap_collection_id": "gid://shopify/Product/1"}, "swap_collection_id"),
        ({"swap_collection_id": 5}, "swap_collection_id"),
        ({"addon_variants": "mug"}, "addon_variants"),
        ({"addon_variants": [{"id": "gid://shopify/Product/1"}]}, "addon_variants[0].id"),
        ({"addon_variants": [{"id": MUG}, {"id": MUG}]}, "addon_variants[1]"),
        ({"addon_variants": [{"id": MUG, "title": "x" * 300}]}, "addon_variants[0].title"),
        ({"addon_variants": [{"id": f"{MUG}{i}"} for i in range(21)]}, "addon_variants"),
    ],
)
async def test_bad_choices_change_nothing(
    admin: Admin, changes: dict[str, Any], field: str
) -> None:
    response = await admin.request("PUT", "settings", json=changes)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_setting"
    assert response.json()["field"] == field
    shop = await Shop.get(id=admin.shop.id)
    assert (shop.swap_collection_id, shop.addon_variants) == (None, [])
