from __future__ import annotations

from datetime import UTC, datetime

from shopify_app.storage.models import Shop


async def test_migrated_schema_round_trips_a_shop(database: str) -> None:
    shop = await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC))
    loaded = await Shop.get(domain="a.myshopify.com")
    assert loaded.id == shop.id
    assert loaded.proxy_prefix == "tools" and loaded.proxy_subpath == "recurring"
    assert loaded.installed and loaded.storefront_host == "a.myshopify.com"
