"""PostgreSQL-only indexes of the customers listing, made by `migrate` after the models'
migration (Tortoise's migrations cannot say `USING gin` or `NULLS LAST`; SQLite needs none of
them for a local shop's size).

- Trigram indexes (pg_trgm) on email, first and last name serve the partial-match filters
  (`ILIKE '%…%'`) without reading every customer of the shop.
- One btree per sort field and direction, `(shop_id, key …, customer_id)` in the listing's exact
  order (empty values last both ways, ties by customer id ascending): a page is the next few
  entries of an index, whatever the shop's size.
- A partial index of the shop's subscribers answers the unfiltered `X-Total-Count` from the
  index alone (an index-only scan; the table is not read).
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
_NULLABLE = frozenset({"email", "next_order", "lifetime_value"})


def statements() -> list[str]:
    found = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        *(f"CREATE INDEX IF NOT EXISTS customers_{column}_trgm ON customers "
          f"USING gin ({column} gin_trgm_ops)" for column in ("email", "first_name", "last_name")),
        "CREATE INDEX IF NOT EXISTS customers_subscribers ON customers (shop_id) "
        "WHERE active_subscriptions > 0 OR inactive_subscriptions > 0",
    ]
    for name, keys in _SORT_KEYS.items():
        nulls = " NULLS LAST" if name in _NULLABLE else ""
        for direction in ("ASC", "DESC"):
            columns = ", ".join(f"{key} {direction}{nulls}" for key in keys)
            found.append(f"CREATE INDEX IF NOT EXISTS customers_sort_{name}_{direction.lower()} "
                         f"ON customers (shop_id, {columns}, customer_id)")
    return found


async def apply(conn: BaseDBAsyncClient) -> None:
    for statement in statements():
        await conn.execute_script(statement)
