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
    assert {"customers_email_trgm", "customers_name_trgm", "customers_list_email_desc",
            "customers_list_name_asc", "customers_list_customer"} <= names
    assert not {"customers_first_name_trgm", "customers_last_name_trgm",
                "customers_subscribers", "customers_sort_name_asc"} & names
    options = {row["relname"]: row["reloptions"] for row in await conn.execute_query_dict(
        "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'customers_%_trgm'")}
    assert options == {"customers_email_trgm": ["fastupdate=off"],
                       "customers_name_trgm": ["fastupdate=off"]}
    async with in_transaction() as tx:  # one connection: the setting applies to the EXPLAIN
        await tx.execute_script("SET LOCAL enable_seqscan = off")  # an empty table: no stats
        plan = await tx.execute_query_dict(
            "EXPLAIN SELECT customer_id FROM customers WHERE email ILIKE '%exa%'")
        # The name filter's words, each on the joined name: one scan of one index.
        words = await tx.execute_query_dict(
            "EXPLAIN SELECT customer_id FROM customers "
            "WHERE (first_name || ' ' || last_name) ILIKE '%zoe%' "
            "AND (first_name || ' ' || last_name) ILIKE '%mart%'")
    assert "customers_email_trgm" in " ".join(row["QUERY PLAN"] for row in plan)
    name_plan = " ".join(row["QUERY PLAN"] for row in words)
    assert name_plan.count("Bitmap Index Scan on customers_name_trgm") == 1, name_plan


async def test_postgres_plans_each_statement_with_its_values(database: str) -> None:
    """asyncpg prepares statements once; PostgreSQL would switch to a generic plan after five
    executions, blind to the `ILIKE` pattern. The app's connections forbid it."""
    if not is_postgres(database):
        pytest.skip("PostgreSQL only")
    sql = "SELECT count(*) AS n FROM customers WHERE shop_id = $1 AND email ILIKE $2"
    async with in_transaction() as tx:  # one connection: its prepared statements
        assert await tx.execute_query_dict("SHOW plan_cache_mode") == [
            {"plan_cache_mode": "force_custom_plan"}]
        for pattern in ("%a%", "%ab%", "%abc%", "%b%", "%bc%", "%bcd%", "%c%", "%cd%"):
            await tx.execute_query_dict(sql, [1, pattern])
        plans = await tx.execute_query_dict(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement = $1", [sql])
    assert plans == [{"generic_plans": 0, "custom_plans": 8}]


async def test_postgres_keeps_each_shops_subscriber_count_whatever_writes(database: str) -> None:
    """The trigger's count equals a real count after inserts, upserts, updates both ways,
    deletes and a shop's cascade."""
    if not is_postgres(database):
        pytest.skip("PostgreSQL-only trigger")
    from shopify_app.storage.models import Customer

    now = datetime.now(UTC)
    shops = [await Shop.create(domain=f"s{n}.myshopify.com", installed_at=now) for n in range(2)]

    async def check() -> None:
        conn = Tortoise.get_connection("default")
        kept = {row["shop_id"]: (row["subscribers"], row["multi_active"])
                for row in await conn.execute_query_dict(
                    "SELECT shop_id, subscribers, multi_active FROM shop_subscriber_counts")}
        for shop in shops:
            real = (await conn.execute_query_dict(
                "SELECT count(*) AS n, count(*) FILTER (WHERE active_subscriptions > 1) AS m "
                "FROM customers WHERE shop_id = $1 AND "
                "(active_subscriptions > 0 OR inactive_subscriptions > 0)", [shop.pk]))[0]
            assert kept.get(shop.pk, (0, 0)) == (real["n"], real["m"])

    for n in range(6):
        await Customer.create(shop=shops[n % 2], customer_id=n, active_subscriptions=n % 3)
    await check()
    await Customer.bulk_create(
        [Customer(shop=shops[0], customer_id=n, active_subscriptions=1, created_at=now,
                  updated_at=now) for n in range(10)],
        on_conflict=("shop_id", "customer_id"), update_fields=["active_subscriptions"])
    await check()
    await Customer.filter(shop=shops[0], customer_id__lt=3).update(active_subscriptions=0)
    await Customer.filter(shop=shops[0], customer_id=2).update(inactive_subscriptions=4)
    await Customer.filter(shop=shops[0], customer_id__gte=7).update(active_subscriptions=3)
    await check()
    await Customer.filter(shop=shops[1], customer_id=1).delete()
    await check()
    await shops[1].delete()
    shops.pop()
    await check()
    conn = Tortoise.get_connection("default")
    assert await conn.execute_query_dict(  # the cascade took the shop's counter row too
        "SELECT 1 FROM shop_subscriber_counts WHERE shop_id NOT IN (SELECT id FROM shops)") == []


async def test_postgres_reads_deep_pages_from_the_sort_indexes_alone(database: str) -> None:
    """Every sort index holds the shop's subscribers only and carries what the unfiltered and
    `activeMoreThanOneSubscription` pages read, so the ids of a deep page come from an
    index-only scan; a text filter's count is left to the trigram indexes."""
    if not is_postgres(database):
        pytest.skip("PostgreSQL-only indexes")
    from shopify_app.api import customer_listing as listing
    from shopify_app.storage.models import Customer

    shop = await Shop.create(domain="deep.myshopify.com", installed_at=datetime.now(UTC))
    await Customer.bulk_create([Customer(
        shop=shop, customer_id=n, first_name=f"F{n % 7}", last_name=f"L{n % 5}",
        email=f"c{n}@example.com", active_subscriptions=n % 4, inactive_subscriptions=n % 2)
        for n in range(400)])
    conn = Tortoise.get_connection("default")
    await conn.execute_script("VACUUM ANALYZE customers")  # the visibility map: all visible

    async def plan(sql: str, values: list[object]) -> str:
        async with in_transaction() as tx:  # one connection: the settings apply to the EXPLAIN
            await tx.execute_script("SET LOCAL enable_seqscan = off; SET LOCAL "
                                    "enable_bitmapscan = off; SET LOCAL enable_sort = off")
            rows = await tx.execute_query_dict(f"EXPLAIN {sql}", values)
        return " ".join(row["QUERY PLAN"] for row in rows)

    for field in listing.SORT_FIELDS:
        for descending in (False, True):
            for more_than_one in (False, True):
                query = listing.ListingQuery(sorts=(listing.Sort(field, descending),),
                                             more_than_one_active=more_than_one)
                sql = listing._Sql(postgres=True)
                where = listing._where(sql, shop.pk, query)
                order = listing._order_by(query.sorts, True)
                found = await plan(
                    f"SELECT shop_id, customer_id FROM customers WHERE {where} "  # noqa: S608
                    f"ORDER BY {order} LIMIT 10 OFFSET 150", sql.values)
                assert "Index Only Scan" in found and "customers_list_" in found, (query, found)
    sql = listing._Sql(postgres=True)
    where = listing._where(sql, shop.pk, listing.ListingQuery(email="c1"),
                           listing._COUNTED_SUBSCRIBER)
    counted = await plan(f"SELECT count(*) FROM customers WHERE {where}",  # noqa: S608
                         sql.values)
    assert "customers_list_" not in counted, counted
