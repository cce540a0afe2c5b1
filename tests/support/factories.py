"""Small builders shared by the external API tests."""

from __future__ import annotations

from datetime import UTC, datetime

from shopify_app.storage.models import Shop

NOW = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


async def make_shop(domain: str = "a-shop.myshopify.com", **fields: object) -> Shop:
    values: dict[str, object] = {"installed_at": NOW, "access_token": "shpat_test"}
    values.update(fields)
    return await Shop.create(domain=domain, **values)
