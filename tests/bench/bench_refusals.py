"""Benchmark: refusals cost less than successes, and a flood of them does not slow other keys.

Run: `python -m tests.bench.bench_refusals [requests]` (default 6000). SQLite, one uvicorn
worker (the mint benchmark's server). Targets (issue 8):
- refusals per second (an over-limit key's 429s) >= mints per second;
- another key's mint p99 under a concurrent flood (an over-limit key, then unknown keys) stays
  under 2x its quiet p99.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from shopify_app.keys import api_keys
from shopify_app.storage import db
from shopify_app.storage.models import Customer, Shop
from tests.bench.bench_mint import CUSTOMER_ID, SECRET, SQLITE_OPTIONS
from tests.bench.harness import (
    SERVER_CPUS,
    Result,
    ServerSpec,
    _raw_exchange,
    pinned_client,
    run,
    serving,
)

MINT_PATH = f"/api/external/v2/manage-subscription-link/{CUSTOMER_ID}?source=bench"
OVER_LIMIT = 60  # the flooding key's limit per minute
MEASURED_CONNECTIONS = 32
FLOOD_CONNECTIONS = 32  # as many as the measured client: a fair share of the loop


async def seed(database_url: str) -> tuple[str, str]:
    """(a key with room, a key of a shop whose limit the flood exhausts)."""
    await db.migrate(database_url)
    await db.init(database_url)
    try:
        now = datetime.now(UTC)
        made = []
        for domain, limit in (("roomy.myshopify.com", 10**9),
                              ("flooder.myshopify.com", OVER_LIMIT)):
            shop = await Shop.create(domain=domain, installed_at=now, access_token="unused",
                                     mint_rate_limit=limit)
            await Customer.create(shop=shop, customer_id=CUSTOMER_ID, active_subscriptions=1)
            made.append((await api_keys.create_key(shop, "bench"))[1])
        return made[0], made[1]
    finally:
        await db.close()


Headers = Callable[[], dict[str, str]]


def request_bytes(url: httpx.URL, headers: dict[str, str]) -> bytes:
    lines = [f"GET {url.raw_path.decode('ascii')} HTTP/1.1", f"Host: {url.host}:{url.port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def load(label: str, url: str, headers: Headers, *, requests: int, concurrency: int,
               stop: asyncio.Event | None = None) -> Result:
    """`requests` requests (or until `stop` is set) over `concurrency` keep-alive connections,
    each with fresh `headers()`."""
    parsed = httpx.URL(url)
    connections = [await asyncio.open_connection(parsed.host, parsed.port)
                   for _ in range(concurrency)]
    remaining = requests
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal remaining
        while remaining > 0 and not (stop is not None and stop.is_set()):
            remaining -= 1
            raw = request_bytes(parsed, headers())
            started = time.perf_counter()
            status = await _raw_exchange(reader, writer, raw)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker(r, w) for r, w in connections))
    finally:
        for _, writer in connections:
            writer.close()
    done = len(latencies)
    return Result(label, done, concurrency, time.perf_counter() - started, latencies, statuses)


async def under_flood(url: str, measured: Headers, flood: Headers, requests: int,
                      label: str) -> tuple[Result, Result]:
    stop = asyncio.Event()
    flooding = asyncio.ensure_future(load(f"flood {label}", url, flood, requests=10**9,
                                          concurrency=FLOOD_CONNECTIONS, stop=stop))
    await asyncio.sleep(0.5)  # the flood is running before the measurement starts
    result = await load(f"mint+{label}", url, measured, requests=requests,
                        concurrency=MEASURED_CONNECTIONS)
    stop.set()
    return result, await flooding


async def scenario(base: str, roomy: str, flooder: str, requests: int) -> int:
    url = base + MINT_PATH
    mine: Headers = lambda: {"X-API-Key": roomy}  # noqa: E731
    over: Headers = lambda: {"X-API-Key": flooder}  # noqa: E731

    def unknown() -> dict[str, str]:
        return {"X-API-Key": f"ssp_{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"}

    await load("warm-up", url, mine, requests=500, concurrency=64)
    await load("exhaust", url, over, requests=OVER_LIMIT + 10, concurrency=1)
    mints = await load("mints", url, mine, requests=requests, concurrency=64)
    refusals = await load("429s", url, over, requests=requests, concurrency=64)
    unknowns = await load("unknown keys", url, unknown, requests=requests, concurrency=64)
    quiet = await load("mint quiet", url, mine, requests=requests // 2,
                       concurrency=MEASURED_CONNECTIONS)
    flood_over, over_load = await under_flood(url, mine, over, requests // 2, "429 flood")
    flood_unknown, unknown_load = await under_flood(url, mine, unknown, requests // 2,
                                                    "unknown flood")
    for result in (mints, refusals, unknowns, quiet, flood_over, over_load, flood_unknown,
                   unknown_load):
        print(result.line())
    ratio = refusals.throughput / mints.throughput
    unknown_ratio = unknowns.throughput / mints.throughput
    p99_over = flood_over.percentile(0.99) / quiet.percentile(0.99)
    p99_unknown = flood_unknown.percentile(0.99) / quiet.percentile(0.99)
    print(f"refusals/s vs mints/s: {ratio:.2f} (unknown keys {unknown_ratio:.2f}); "
          f"target >= 1 -> {'met' if ratio >= 1 else 'MISSED'}")
    print(f"mint p99 quiet {quiet.percentile(0.99):.1f} ms; under a 429 flood "
          f"{flood_over.percentile(0.99):.1f} ms ({p99_over:.2f}x); under an unknown-key flood "
          f"{flood_unknown.percentile(0.99):.1f} ms ({p99_unknown:.2f}x); target < 2x -> "
          f"{'met' if max(p99_over, p99_unknown) < 2 else 'MISSED'}")
    statuses_ok = (set(refusals.statuses) == {429} and set(mints.statuses) == {200}
                   and set(flood_over.statuses) == {200} and set(flood_unknown.statuses) == {200})
    return 0 if statuses_ok else 1


def main(argv: list[str]) -> int:
    requests = int(argv[0]) if argv else 6000
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}" + SQLITE_OPTIONS
        roomy, flooder = asyncio.run(seed(database_url))
        env = {
            "SHOPIFY_API_KEY": "bench-client", "SHOPIFY_API_SECRET": SECRET,
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
            "SHOPIFY_ADMIN_ORIGIN": "http://127.0.0.1:9/shops/{shop}",
        }
        spec = ServerSpec("tests.bench.bench_mint:mint_app", env)
        with serving(spec, cpus=SERVER_CPUS) as base, pinned_client() as pinned:
            print(f"{MEASURED_CONNECTIONS} measured + {FLOOD_CONNECTIONS} flooding connections, "
                  f"uvicorn 1 worker, {'pinned' if pinned else 'no CPU pinning'}")
            return run(scenario(base, roomy, flooder, requests))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
