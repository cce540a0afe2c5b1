"""Benchmark: the customers listing on PostgreSQL at 10k, 100k and 1M contracts.

Run: `make bench-scale` (a throwaway PostgreSQL cluster, then
`python -m tests.bench.bench_scale [sizes] [repeats]`, sizes in contracts, default
`10000,100000,1000000`, 30 repeats). Without `TEST_POSTGRES_DSN` (plain `make bench`) it says so
and stops.

For each size a generator fills a fresh migrated database with COPY: 50 shops, customers = 0.3
x contracts, one shop holding a third of them (100 000 customers at 1M contracts), each customer
with 3 or more contracts (active 60 %, paused 15 %, cancelled 25 %) and its counters, next order
date and lifetime value as the mirror keeps them. Then, for the big shop, the listing service
(`customer_listing.list_customers`: the count and the page, exactly what the endpoint runs) is
timed for every query: unfiltered, partial email (broad, and one person's), partial name in
another case (broad, and two words), and `activeMoreThanOneSubscription`, each sorted by every
documented field in both directions, page 0 of 10 (Appstle's default). The queries are
interleaved, `repeats` times each. Each size prints how many customers each filter matches
(`X-Total-Count`): counting a text filter's matches exactly is the part that grows.

Deep pages are measured apart: the last page of 100 for every sort of the unfiltered and
`activeMoreThanOneSubscription` listings (what an integrator exporting every customer reads),
and of the broad text filters in two orders. Skipping to a page walks every customer before it,
so their time grows with the shop: their table says how much, and its line
`deep pages: p50 max <ms> ms, p99 max <ms> ms` comes before the summary.

The last line reads `scale: p50 max <ms> ms, p99 max <ms> ms, growth <ratio>x`: the worst p50
and p99 over every first-page query at the largest size, and the worst p50 growth from the
smallest size to the largest.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from shopify_app.api.customer_listing import ListingQuery, Sort, list_customers
from shopify_app.storage import db, listing_indexes
from shopify_app.storage.models.shops import Shop

SHOPS = 50
FIRST = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas",
         "Karin", "Leo", "Maria", "Marc", "Nina", "Oscar", "Paula", "Quentin", "Rosa", "Samuel",
         "Tara", "Ugo", "Vera", "Walter", "Xenia", "Yann", "Zoe", "Amelie", "Bruno", "Chloe",
         "Marion", "Theo", "Lucie", "Mathis", "Jade", "Louis", "Lea", "Arthur", "Manon", "Jules"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier",
        "Dupont", "Lambert", "Bonnet", "Francois", "Martinez", "Legrand", "Smith", "Jones",
        "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Marley", "Hughes"]
DOMAINS = ["example.com", "mail.test", "inbox.example", "post.example"]
SORTS = ["customerId", "name", "email", "activeSubscriptions", "inActiveSubscriptions",
         "nextOrderDate", "lifetimeValue"]
FILTERS: dict[str, dict[str, object]] = {
    "all": {},
    "email~mart": {"email": "mart"},  # partial email, broad: ~5 % of the shop
    # One person's address up to the @, and first name + start of the last name in another
    # case: taken from each size's rows by one_person(), so that they find someone everywhere.
    "email~one": {},
    "name~MAR": {"name": "MAR"},  # partial name, another case, broad: ~15 % of the shop
    "name~2word": {},
    "active>1": {"more_than_one_active": True},
}
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def database_url(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


def one_person(customer_rows: list[tuple[object, ...]]) -> dict[str, dict[str, object]]:
    """The `email~one` and `name~2word` searches, from a big-shop customer of this size's rows:
    the address up to its `@` (`zoe.martin500@`: that person, and the odd namesake) and
    `ZOE mart` (namesakes: ~0.1 % of the shop). Fixed strings found no one at 10k, where the
    count then answered alone, one query instead of two: an unfair baseline."""
    _, _, email, first, last, *_ = next(row for row in customer_rows[500:] if row[2])
    return {"email~one": {"email": str(email).split("@")[0] + "@"},
            "name~2word": {"name": f"{str(first).upper()} {str(last)[:4].lower()}"}}


def rows_for(contracts: int, seed: int = 7) -> tuple[list[tuple[object, ...]],
                                                     list[tuple[object, ...]], int]:
    """(customer rows, contract rows, the big shop's index) for `contracts` contracts."""
    rng = random.Random(seed)
    customers = max(SHOPS, contracts * 3 // 10)
    big = customers // 3
    shop_of = [1] * big + [2 + n % (SHOPS - 1) for n in range(customers - big)]
    extra = contracts - 3 * customers
    per_customer = [3] * customers
    for _ in range(max(extra, 0)):
        per_customer[rng.randrange(customers)] += 1
    customer_rows: list[tuple[object, ...]] = []
    contract_rows: list[tuple[object, ...]] = []
    contract_id = 1
    for n in range(customers):
        customer_id = 1_000_000 + n
        shop_id = shop_of[n]
        active = inactive = 0
        next_dates = []
        for _ in range(per_customer[n]):
            draw = rng.random()
            status = "active" if draw < 0.6 else "paused" if draw < 0.75 else "cancelled"
            next_date = NOW + timedelta(days=rng.randrange(1, 90), hours=rng.randrange(24))
            if status == "active":
                active += 1
                next_dates.append(next_date)
            else:
                inactive += 1
            contract_rows.append((shop_id, contract_id, customer_id, status, next_date, "USD",
                                  NOW))
            contract_id += 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = (None if rng.random() < 0.02 else
                 f"{first}.{last}{n % 997}@{rng.choice(DOMAINS)}".lower())
        spent = (None if rng.random() < 0.05 else
                 Decimal(rng.randrange(0, 500_000)) / 100)
        customer_rows.append((shop_id, customer_id, email, first, last, active, inactive,
                              min(next_dates, default=None), spent, "USD" if spent else None,
                              NOW, NOW, NOW))
    return customer_rows, contract_rows, 1


async def fill(url: str, contracts: int) -> tuple[int, float, dict[str, dict[str, object]]]:
    """Migrate a fresh database and COPY the data in; (big shop id, seconds, the one-person
    searches)."""
    await db.migrate(url)
    started = time.perf_counter()
    customer_rows, contract_rows, big = rows_for(contracts)
    # Shops through the model, so its defaults fill whatever columns it gains.
    async with db.connected(url):
        for n in range(1, SHOPS + 1):
            await Shop.create(id=n, domain=f"shop-{n}.myshopify.com", installed_at=NOW)
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        # Bulk load as one would: the listing's indexes are built after the COPY, and the
        # subscriber counter is filled once instead of row by row by its trigger.
        indexes = [row["indexname"] for row in await conn.fetch(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'customers' "
            "AND indexname LIKE 'customers\\_%' AND indexdef NOT LIKE '%UNIQUE%'")]
        for name in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        await conn.execute("ALTER TABLE customers DISABLE TRIGGER customers_count_subscribers")
        await conn.copy_records_to_table("customers", records=customer_rows, columns=[
            "shop_id", "customer_id", "email", "first_name", "last_name", "active_subscriptions",
            "inactive_subscriptions", "next_order_date", "lifetime_value", "currency",
            "profile_updated_at", "created_at", "updated_at"])
        await conn.copy_records_to_table("subscription_contracts", records=contract_rows,
                                         columns=["shop_id", "contract_id", "customer_id",
                                                  "status", "next_billing_date", "currency",
                                                  "updated_at"])
        await conn.execute(
            "INSERT INTO shop_subscriber_counts (shop_id, subscribers, multi_active) "
            "SELECT shop_id, count(*), count(*) FILTER (WHERE active_subscriptions > 1) "
            "FROM customers WHERE active_subscriptions > 0 OR inactive_subscriptions > 0 "
            "GROUP BY shop_id")
        await conn.execute("ALTER TABLE customers ENABLE TRIGGER customers_count_subscribers")
        for statement in listing_indexes.statements():
            await conn.execute(statement)
        await conn.execute("VACUUM ANALYZE customers")
        await conn.execute("VACUUM ANALYZE subscription_contracts")
    finally:
        await conn.close()
    return big, time.perf_counter() - started, one_person(customer_rows)


DEEP_SIZE = 100
DEEP_TEXT = {"email~mart": ("customerId", "name"), "name~MAR": ("customerId", "name")}


def deep_queries() -> list[tuple[str, ListingQuery]]:
    """Page 0 of 100 of each deep query: `measure` moves each to its last page."""
    found = []
    for name in ("all", "active>1"):
        for field in SORTS:
            for descending in (False, True):
                found.append((f"{name:<11} {field},{'desc' if descending else 'asc'}",
                              ListingQuery(size=DEEP_SIZE, sorts=(Sort(field, descending),),
                                           **FILTERS[name])))  # type: ignore[arg-type]
    for name, fields in DEEP_TEXT.items():
        for field in fields:
            found.append((f"{name:<11} {field},asc", ListingQuery(
                size=DEEP_SIZE, sorts=(Sort(field),), **FILTERS[name])))  # type: ignore[arg-type]
    return found


def queries(one: dict[str, dict[str, object]]) -> list[tuple[str, ListingQuery]]:
    found = []
    for name, chosen in FILTERS.items():
        options = one.get(name, chosen)
        for field in SORTS:
            for descending in (False, True):
                label = f"{name:<11} {field},{'desc' if descending else 'asc'}"
                query = ListingQuery(size=10, sorts=(Sort(field, descending),),
                                     **options)  # type: ignore[arg-type]
                found.append((label, query))
    return found


Timings = dict[str, list[float]]


async def measure(url: str, shop_id: int, repeats: int,
                  one: dict[str, dict[str, object]]) -> tuple[Timings, Timings]:
    """(first pages, deep pages): each query's times in ms."""
    await db.init(url)
    try:
        plan = queries(one)
        matches = {}
        for label, query in plan:  # warm the caches once
            page = await list_customers(shop_id, query)
            matches[label.split()[0]] = page.total
        print("matches: " + ", ".join(f"{name} {total}" for name, total in matches.items()),
              flush=True)
        deep = []
        for label, query in deep_queries():
            last = (await list_customers(shop_id, query)).last_page
            deep.append((label, replace(query, page=last)))
            await list_customers(shop_id, deep[-1][1])
        return await timed(shop_id, plan, repeats), await timed(shop_id, deep, repeats)
    finally:
        await db.close()


async def timed(shop_id: int, plan: list[tuple[str, ListingQuery]], repeats: int) -> Timings:
    """Each query's times in ms, the queries interleaved `repeats` times (first pages and deep
    pages are timed apart, so that neither colours the other's times)."""
    found: Timings = {}
    for _ in range(repeats):
        for label, query in plan:
            started = time.perf_counter()
            await list_customers(shop_id, query)
            found.setdefault(label, []).append((time.perf_counter() - started) * 1000)
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(sizes: list[int], repeats: int) -> int:
    dsn = os.environ.get("TEST_POSTGRES_DSN")
    if not dsn:
        print("bench_scale: needs PostgreSQL; run `make bench-scale`")
        return 0
    admin = await asyncpg.connect(dsn.replace("postgres://", "postgresql://", 1))
    results: dict[int, Timings] = {}
    deep: dict[int, Timings] = {}
    try:
        for size in sizes:
            name = f"scale_{size}_{uuid.uuid4().hex[:6]}"
            await admin.execute(f'CREATE DATABASE "{name}"')
            url = database_url(dsn, name)
            shop_id, seconds, one = await fill(url, size)
            print(f"filled {size} contracts, {max(SHOPS, size * 3 // 10)} customers "
                  f"in {seconds:.1f}s; searches {one}", flush=True)
            results[size], deep[size] = await measure(url, shop_id, repeats, one)
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()
    print(f"first page of {ListingQuery.size}:")
    worst_p50, worst_p99, worst_growth = table(sizes, results)
    print(f"deep pages (the last of {DEEP_SIZE}):")
    deep_p50, deep_p99, _ = table(sizes, deep)
    print(f"deep pages: p50 max {deep_p50:.1f} ms, p99 max {deep_p99:.1f} ms")
    print(f"scale: p50 max {worst_p50:.1f} ms, p99 max {worst_p99:.1f} ms, "
          f"growth {worst_growth:.2f}x")
    return 0


def table(sizes: list[int], results: dict[int, Timings]) -> tuple[float, float, float]:
    """Print p50/p99 per query and size and the p50 growth; (worst p50, worst p99, worst
    growth) at the largest size."""
    small, large = sizes[0], sizes[-1]
    header = "query                                   " + "".join(
        f"{size:>10} p50/p99 ms " for size in sizes) + " growth"
    print(header)
    worst_p50 = worst_p99 = worst_growth = 0.0
    for label in results[large]:
        cells = ""
        for size in sizes:
            values = results[size][label]
            cells += f"{statistics.median(values):>10.2f} / {percentile(values, 0.99):<7.2f}"
        growth = statistics.median(results[large][label]) / statistics.median(
            results[small][label])
        print(f"{label:<40}{cells} {growth:5.2f}x")
        worst_p50 = max(worst_p50, statistics.median(results[large][label]))
        worst_p99 = max(worst_p99, percentile(results[large][label], 0.99))
        worst_growth = max(worst_growth, growth)
    return worst_p50, worst_p99, worst_growth


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = [int(n) for n in arguments[0].split(",")] if arguments else [10_000, 100_000,
                                                                          1_000_000]
    times = int(arguments[1]) if len(arguments) > 1 else 30
    raise SystemExit(asyncio.run(main(chosen, times)))
