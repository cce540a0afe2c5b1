from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from shopify_app.storage.db import is_postgres
from shopify_app.storage.models import Shop


async def test_migrated_schema_round_trips_a_shop(database: str) -> None:
    shop = await Shop.create(domain="a.myshopify.com", installed_at=datetime.now(UTC))
    loaded = await Shop.get(domain="a.myshopify.com")
    assert loaded.id == shop.id
    assert loaded.proxy_prefix == "tools" and loaded.proxy_subpath == "recurring"
    assert loaded.installed and loaded.storefront_host == "a.myshopify.com"


async def test_postgres_gets_the_listing_indexes_and_uses_them(database: str) -> None:
    """`migrate` made the trigram and sort indexes; the planner picks them for the listing."""
    if not is_postgres(database):
        pytest.skip("PostgreSQL-only indexes")
    conn = Tortoise.get_connection("default")
    names = {row["indexname"] for row in await conn.execute_query_dict(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'customers'")}
    assert {"customers_email_trgm", "customers_first_name_trgm", "customers_sort_email_desc",
            "customers_sort_name_asc", "customers_subscribers"} <= names
    async with in_transaction() as tx:  # one connection: the setting applies to the EXPLAIN
        await tx.execute_script("SET LOCAL enable_seqscan = off")  # an empty table: no stats
        plan = await tx.execute_query_dict(
            "EXPLAIN SELECT customer_id FROM customers WHERE email ILIKE '%exa%'")
    assert "customers_email_trgm" in " ".join(row["QUERY PLAN"] for row in plan)
