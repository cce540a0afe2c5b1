"""Benchmark: links per second through the bulk mint against the single mint, same server.

Run: `python -m tests.bench.bench_bulk [batches] [concurrency] [rounds]` (defaults 30, 4, 3).
SQLite, one uvicorn worker, the customers known (no Admin API call: its origin is a closed
port). In alternating rounds: the single mint (raw keep-alive GETs, 64 connections, as
`bench_mint`) and batches of 1,000 items POSTed by `concurrency` clients (half of them asking for
short links, which adds a row each). Goal (issue: campaign links): bulk items per second
>= 5x single mints per second. The p99 of a whole batch is printed too.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson

from shopify_app.keys import api_keys
from shopify_app.storage import db
from shopify_app.storage.models import Customer, Shop
from tests.bench.harness import SERVER_CPUS, ServerSpec, drive, pinned_client, serving

SHOP = "bench-shop.myshopify.com"
CUSTOMERS = 1000
FIRST_ID = 7001
SECRET = "bench-secret"
ITEMS = 1000


async def seed(database_url: str) -> str:
    await db.migrate(database_url)
    await db.init(database_url)
    try:
        shop = await Shop.create(domain=SHOP, primary_domain="shop.bench.test",
                                 installed_at=datetime.now(UTC), access_token="unused",
                                 mint_rate_limit=10**9, bulk_link_rate_limit=10**9)
        await Customer.bulk_create([
            Customer(shop=shop, customer_id=FIRST_ID + i, email=f"c{i}@example.com",
                     active_subscriptions=1)
            for i in range(CUSTOMERS)
        ])
        _, raw = await api_keys.create_key(shop, "bench")
        return raw
    finally:
        await db.close()


def _batch(short: bool) -> bytes:
    items = [{"customerId": FIRST_ID + i % CUSTOMERS, "source": "bench", "short": short}
             for i in range(ITEMS)]
    return orjson.dumps({"items": items})


async def drive_bulk(
    base: str, key: str, batches: int, concurrency: int, *, short: bool
) -> tuple[float, list[float]]:
    """(items per second, per-batch latencies in ms) for `batches` batches."""
    body = _batch(short)
    latencies: list[float] = []
    remaining = batches
    headers = {"X-API-Key": key, "Content-Type": "application/json"}

    async def worker(client: httpx.AsyncClient, index: int) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            response = await client.post(f"{base}/api/external/v2/manage-subscription-links",
                                         content=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or response.json()["minted"] != ITEMS:
                raise RuntimeError(f"bulk answered {response.status_code}: {response.text[:200]}")

    async with httpx.AsyncClient(timeout=120) as client:
        await client.post(f"{base}/api/external/v2/manage-subscription-links",
                          content=body, headers=headers)  # warm-up
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    return batches * ITEMS / elapsed, latencies


def main(argv: list[str]) -> int:
    batches = int(argv[0]) if argv else 30
    concurrency = int(argv[1]) if len(argv) > 1 else 4
    rounds = int(argv[2]) if len(argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        key = asyncio.run(seed(database_url))
        env = {"SHOPIFY_API_KEY": "bench-client", "SHOPIFY_API_SECRET": SECRET,
               "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
               "SHOPIFY_ADMIN_ORIGIN": "http://127.0.0.1:9/shops/{shop}"}
        spec = ServerSpec("tests.bench.bench_mint:mint_app", env)
        single_rates: list[float] = []
        bulk_rates: dict[bool, list[float]] = {False: [], True: []}
        batch_ms: dict[bool, list[float]] = {False: [], True: []}
        single_p99: list[float] = []
        with serving(spec, cpus=SERVER_CPUS) as base, pinned_client():
            for _ in range(rounds):
                single = asyncio.run(drive(
                    "single mint", f"{base}/api/external/v2/manage-subscription-link/{FIRST_ID}",
                    requests=6000, concurrency=64, headers={"X-API-Key": key}))
                single_rates.append(single.throughput)
                single_p99.append(single.percentile(0.99))
                for short in (False, True):
                    rate, latencies = asyncio.run(drive_bulk(
                        base, key, batches // rounds or 1, concurrency, short=short))
                    bulk_rates[short].append(rate)
                    batch_ms[short] += latencies
    single_rate = statistics.fmean(single_rates)
    print(f"single mint        {single_rate:9.0f} links/s   p99 {max(single_p99):7.2f} ms "
          f"(64 connections)")
    for short in (False, True):
        rate = statistics.fmean(bulk_rates[short])
        ordered = sorted(batch_ms[short])
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        spread = [b / s for b, s in zip(bulk_rates[short], single_rates, strict=True)]
        label = "bulk, short links" if short else "bulk mint"
        ratio = rate / single_rate
        print(f"{label:<18} {rate:9.0f} links/s   batch of {ITEMS}: p50 {p50:7.1f} ms, "
              f"p99 {p99:7.1f} ms ({concurrency} clients)")
        print(f"ratio {label}/single per link: {ratio:.1f}x (rounds {min(spread):.1f}-"
              f"{max(spread):.1f}); goal >= 5x -> {'met' if ratio >= 5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
