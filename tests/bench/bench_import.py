"""Benchmark: importing contracts from the simulated store (`sync`), contracts per second and
Admin API cost per contract.

Run: `python -m tests.bench.bench_import [contracts]` (default 10000). The store runs in this
process behind httpx's ASGI transport (its GraphQL execution is counted in the time: a real
Shopify answers a 200-contract page in a few hundred ms, which would dominate instead). The
database is SQLite, or PostgreSQL when `TEST_POSTGRES_DSN` is set (`make bench-scale` runs it
there too). Cost is what the store reports in `extensions.cost.actualQueryCost`, after
Shopify's published rules; the bucket is not enforced, so no time is spent waiting for it (at
Shopify's standard 100 points/s restore rate, the cost per contract bounds the sustained rate:
printed as well).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from shopify_app.mirror.imports import import_progress
from shopify_app.mirror.sync import sync_shop
from shopify_app.sandbox.costs import RESTORE_RATE
from shopify_app.sandbox.demo import BOB_CONTRACT_ID, DEMO_SHOP
from shopify_app.sandbox.records import CustomerRecord
from shopify_app.sandbox.registration import register_shop
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.storage import db

CLIENT_ID, SECRET = "bench-client", "bench-secret"


async def database_url(workdir: Path) -> tuple[str, str]:
    dsn = os.environ.get("TEST_POSTGRES_DSN")
    if not dsn:
        return f"sqlite://{workdir / 'import.sqlite3'}", "SQLite"
    name = f"import_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(dsn.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}")), "PostgreSQL"


async def main(contracts: int) -> int:
    store = simulated_store()
    store.register_app(CLIENT_ID, SECRET)
    template = store.contracts[BOB_CONTRACT_ID]
    customers = max(1, contracts // 3)
    for n in range(contracts):
        customer_id = 9_000_000_000_000 + n % customers
        if customer_id not in store.customers:
            store.add_customer(CustomerRecord(customer_id, DEMO_SHOP, f"F{n}", f"L{n}",
                                              f"p{n}@example.com"))
        store.add_contract(dataclasses.replace(template, id=9_500_000_000_000 + n,
                                               customer_id=customer_id))
    with tempfile.TemporaryDirectory() as workdir:
        url, kind = await database_url(Path(workdir))
        settings = Settings(api_key=CLIENT_ID, api_secret=SECRET, database_url=url,
                            admin_origin="http://store.test/shops/{shop}")
        await db.migrate(url)
        async with db.connected(url):
            shop = await register_shop(store, DEMO_SHOP)
            transport = httpx.ASGITransport(app=build_store_app(store))
            async with httpx.AsyncClient(transport=transport) as http:
                started = time.perf_counter()
                result = await sync_shop(AdminClient(http, settings), shop)
                seconds = time.perf_counter() - started
            progress = await import_progress(shop.id)
    per_contract = progress.cost_per_contract or 0.0
    print(f"import on {kind}: {result.contracts} contracts, {result.customers} customers, "
          f"{result.pages} pages in {seconds:.2f}s")
    print(f"import: {result.contracts / seconds:.0f} contracts/s, Admin API cost "
          f"{progress.cost} points ({per_contract:.2f} per contract; at Shopify's "
          f"{RESTORE_RATE:.0f} points/s restore rate: at most "
          f"{RESTORE_RATE / per_contract if per_contract else 0:.0f} contracts/s sustained)")
    return 0


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    raise SystemExit(asyncio.run(main(count)))
