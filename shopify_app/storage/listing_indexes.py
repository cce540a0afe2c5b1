"""PostgreSQL-only indexes of the customers listing, made by `migrate` after the models'
migration (Tortoise's migrations cannot say `USING gin` or `NULLS LAST`; SQLite needs none of
them for a local shop's size).

- Trigram indexes (pg_trgm, with the shop id through btree_gin) on the email and on the name
  (`first_name || ' ' || last_name`, the expression the name filter matches) serve the
  partial-match filters (`ILIKE '%…%'`): only the shop's matching rows are read. One name
  index, not one per column: the words of a name filter meet inside one index scan, and
  ANALYZE keeps statistics on the expression, so the planner knows how rare "zoe martin" is
  (with two indexes it walked the whole shop in name order: 80 ms instead of 2 at 1M).
  `fastupdate` is off: a GIN index's pending list is read by every search until a vacuum
  merges it, so searches would slow down between vacuums; the writes pay instead.
- One btree per sort field and direction, `(shop_id, key …, customer_id)` in the listing's exact
  order (empty values last both ways, ties by customer id ascending), holding the shop's
  subscribers only (the listing's own condition, so the planner drops it): a page is the next
  few entries of an index, whatever the shop's size. Each also carries what the unfiltered
  and `activeMoreThanOneSubscription` listings read besides its keys (`active_subscriptions`,
  and the names behind the name keys), so the entries a deep page skips are read from the index
  alone (an index-only scan: no table row per skipped customer), and only the page's own rows
  are fetched (`customer_listing`: the page's ids first, then their rows). The last page of a
  100,000-subscriber shop, 100 a page, went from 20-180 ms to 9-18 ms (`make bench-scale`).
- `shop_subscriber_counts`, kept by a trigger on `customers` (every insert, update and delete,
  whichever code or cascade makes it, in the writer's transaction), answers `X-Total-Count`
  without a name or email filter (all subscribers, or those with more than one active
  contract) with one row read: no scan of the shop's customers. Only a change of whether
  a customer has contracts touches it, so concurrent writers rarely meet on that row.
- The customer id's own index (`customers_list_customer`, the same shape: both directions, since
  there are no ties) also serves counts that must look at every subscriber (a filter of one or
  two letters, which trigrams cannot serve).
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

_SORT_KEYS = {
    "name": ("lower(first_name)", "lower(last_name)"),
    "email": ("email",),
    "active": ("active_subscriptions",),
    "inactive": ("inactive_subscriptions",),
    "next_order": ("next_order_date",),
    "lifetime_value": ("lifetime_value",),
}
# Index name → the expression a partial-match filter compares (customer_listing uses these).
TRIGRAM_EXPRESSIONS = {
    "email": "email",
    "name": "first_name || ' ' || last_name",
}
_NULLABLE = frozenset({"email", "next_order", "lifetime_value"})
# What each sort index carries besides its keys, for index-only scans: the `more than one
# active` filter's column, and for the name (keys that are expressions) the columns behind them,
# without which PostgreSQL will not read an expression index alone.
_CARRIED = {"name": ("first_name", "last_name", "active_subscriptions"), "active": ()}
# Who the listing shows: customers with at least one contract (every listing query says so).
SUBSCRIBER = "(active_subscriptions > 0 OR inactive_subscriptions > 0)"


def statements() -> list[str]:
    found = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        # btree_gin puts the shop in the same GIN index: a filter reads its shop's matches only.
        "CREATE EXTENSION IF NOT EXISTS btree_gin",
        *(f"CREATE INDEX IF NOT EXISTS customers_{name}_trgm ON customers "
          f"USING gin (shop_id, ({expression}) gin_trgm_ops) WITH (fastupdate = off)"
          for name, expression in TRIGRAM_EXPRESSIONS.items()),
        # One per column before the name expression had its own (databases migrated then).
        "DROP INDEX IF EXISTS customers_first_name_trgm",
        "DROP INDEX IF EXISTS customers_last_name_trgm",
        *(f"ALTER INDEX customers_{name}_trgm SET (fastupdate = off)"
          for name in TRIGRAM_EXPRESSIONS),
        f"CREATE INDEX IF NOT EXISTS customers_list_customer ON customers (shop_id, customer_id) "
        f"INCLUDE (active_subscriptions) WHERE {SUBSCRIBER}",
    ]
    for name, keys in _SORT_KEYS.items():
        nulls = " NULLS LAST" if name in _NULLABLE else ""
        carried = ", ".join(_CARRIED.get(name, ("active_subscriptions",)))
        include = f" INCLUDE ({carried})" if carried else ""
        for direction in ("ASC", "DESC"):
            columns = ", ".join(f"{key} {direction}{nulls}" for key in keys)
            found.append(f"CREATE INDEX IF NOT EXISTS customers_list_{name}_{direction.lower()} "
                         f"ON customers (shop_id, {columns}, customer_id){include} "
                         f"WHERE {SUBSCRIBER}")
    # The same indexes over every customer, before they held subscribers only (databases
    # migrated then): dropped once their successors exist, so no listing goes without.
    found.append("DROP INDEX IF EXISTS customers_subscribers")
    found.extend(f"DROP INDEX IF EXISTS customers_sort_{name}_{direction}"
                 for name in _SORT_KEYS for direction in ("asc", "desc"))
    return found


COUNTS_TABLE = "shop_subscriber_counts"
_COUNTER = """
CREATE TABLE shop_subscriber_counts (
    shop_id INT PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    subscribers BIGINT NOT NULL DEFAULT 0,
    multi_active BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION count_shop_subscribers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was INT := CASE WHEN TG_OP <> 'INSERT'
        AND (OLD.active_subscriptions > 0 OR OLD.inactive_subscriptions > 0) THEN 1 ELSE 0 END;
    was_multi INT := CASE WHEN TG_OP <> 'INSERT' AND OLD.active_subscriptions > 1
        THEN 1 ELSE 0 END;
    now_is INT := CASE WHEN TG_OP <> 'DELETE'
        AND (NEW.active_subscriptions > 0 OR NEW.inactive_subscriptions > 0) THEN 1 ELSE 0 END;
    now_multi INT := CASE WHEN TG_OP <> 'DELETE' AND NEW.active_subscriptions > 1
        THEN 1 ELSE 0 END;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.shop_id = NEW.shop_id AND was = now_is
            AND was_multi = now_multi THEN
        RETURN NULL;
    END IF;
    IF was + was_multi > 0 THEN
        UPDATE shop_subscriber_counts SET subscribers = subscribers - was,
            multi_active = multi_active - was_multi
        WHERE shop_id = OLD.shop_id;
    END IF;
    IF now_is + now_multi > 0 THEN
        INSERT INTO shop_subscriber_counts (shop_id, subscribers, multi_active)
        VALUES (NEW.shop_id, now_is, now_multi)
        ON CONFLICT (shop_id) DO UPDATE SET
            subscribers = shop_subscriber_counts.subscribers + now_is,
            multi_active = shop_subscriber_counts.multi_active + now_multi;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customers_count_subscribers
AFTER INSERT OR DELETE OR UPDATE OF shop_id, active_subscriptions, inactive_subscriptions
ON customers FOR EACH ROW EXECUTE FUNCTION count_shop_subscribers();
INSERT INTO shop_subscriber_counts (shop_id, subscribers, multi_active)
SELECT shop_id, count(*), count(*) FILTER (WHERE active_subscriptions > 1) FROM customers
WHERE active_subscriptions > 0 OR inactive_subscriptions > 0 GROUP BY shop_id;
"""


async def apply(conn: BaseDBAsyncClient) -> None:
    for statement in statements():
        await conn.execute_script(statement)
    found = await conn.execute_query_dict(f"SELECT to_regclass('{COUNTS_TABLE}') AS t")
    if found and found[0]["t"] is None:
        # Created once, filled from the rows already there, with writers held off meanwhile.
        await conn.execute_script(
            f"BEGIN; LOCK TABLE customers IN SHARE MODE; {_COUNTER} COMMIT;")
