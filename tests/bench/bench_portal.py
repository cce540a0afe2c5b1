"""Benchmark: a portal page view vs a bare Starlette endpoint, and its GraphQL cost per view.

Run: `python -m tests.bench.bench_portal [requests] [concurrency]` (defaults 2000, 32). SQLite,
one uvicorn worker. The page is the main portal page of a signed-in storefront customer (a
signed proxy GET: guard, session, ONE `PortalOverview` query, rendering). Shopify is the
simulated store, served in the same process through an ASGI transport, so its own GraphQL
execution is part of the page's cost: read the ratio as an upper bound of our overhead.
The signed query is valid for 90 s (Shopify's tolerance), so runs are kept short.
The GraphQL cost per view is read from the store's `extensions.cost`, as Shopify reports it.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp

from shopify_app import db
from shopify_app.app import create_app
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.registration import register_shop
from shopify_app.sandbox.store import SimulatedStore, build_store_app
from shopify_app.settings import Settings
from shopify_app.shopify import operations
from tests.bench.harness import BARE_FACTORY, ServerSpec, drive, drive_raw, run, serving
from tests.portal.proxy_client import PORTAL, signed_query

SECRET = "bench-secret"
# The main page (it also writes the visit audit row) and the order history (read only).
PAGES = {"main page": "", "orders page": "/orders"}


def portal_app() -> ASGIApp:
    """The app as `serve` builds it, its Admin API calls answered by an in-process store."""
    store = SimulatedStore()
    return create_app(
        Settings.from_env(env_file=None), http_transport=httpx.ASGITransport(build_store_app(store))
    )


async def seed(database_url: str) -> None:
    await db.migrate(database_url)
    await db.init(database_url)
    try:
        await register_shop(SimulatedStore(), DEMO_SHOP)
    finally:
        await db.close()


async def graphql_costs() -> dict[str, dict[str, Any]]:
    """Each page's one query, sent to the store as the app sends it: Shopify's cost report."""
    store = SimulatedStore()
    now = datetime.now(UTC).replace(microsecond=0)
    iso = now.isoformat().replace("+00:00", "Z")
    views = {
        "PortalOverview": {"customerId": f"gid://shopify/Customer/{ALICE_ID}"},
        "PortalContract": {
            "contractId": f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
            "cyclesStart": iso,
            "cyclesEnd": (now + timedelta(days=366)).isoformat().replace("+00:00", "Z"),
        },
    }
    costs: dict[str, dict[str, Any]] = {}
    transport = httpx.ASGITransport(build_store_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as http:
        for name, variables in views.items():
            response = await http.post(
                f"/shops/{DEMO_SHOP}/admin/api/2026-01/graphql.json",
                json={"query": operations.load(name), "variables": variables},
                headers={"X-Shopify-Access-Token": store.token_of(DEMO_SHOP)},
            )
            payload = response.json()
            assert not payload.get("errors"), payload
            costs[name] = payload["extensions"]["cost"]
    return costs


async def check_page(url: str) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200, response.text[:500]
    assert 'id="sp-portal"' in response.text


def main(argv: list[str]) -> int:
    requests = int(argv[0]) if argv else 2000
    concurrency = int(argv[1]) if len(argv) > 1 else 32
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        asyncio.run(seed(database_url))
        env = {
            "SHOPIFY_API_KEY": "bench-client",
            "SHOPIFY_API_SECRET": SECRET,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            "SHOPIFY_ADMIN_ORIGIN": "http://store.test/shops/{shop}",
        }
        with serving(ServerSpec(BARE_FACTORY)) as base:
            bare = run(drive("bare", base + "/bare", requests=requests, concurrency=concurrency))
        results = []
        with serving(ServerSpec("tests.bench.bench_portal:portal_app", env)) as base:
            for label, path in PAGES.items():
                query = signed_query(DEMO_SHOP, customer_id=ALICE_ID, secret=SECRET)
                url = f"{base}{PORTAL}{path}?{query}"
                asyncio.run(check_page(url))
                results.append(
                    run(drive_raw(label, url, requests=requests, concurrency=concurrency))
                )
    print(f"{requests} requests, {concurrency} concurrent connections, uvicorn 1 worker, SQLite")
    print(bare.line())
    for page in results:
        print(page.line())
        print(
            f"ratio {page.label}/bare: throughput {page.throughput / bare.throughput:.3f}, "
            f"p99 {page.percentile(0.99) / bare.percentile(0.99):.1f}x"
        )
    for name, cost in asyncio.run(graphql_costs()).items():
        print(
            f"GraphQL cost per view, {name}: requested {cost['requestedQueryCost']}, "
            f"actual {cost['actualQueryCost']} (bucket {cost['throttleStatus']})"
        )
    print("Admin API requests per page view: 1 (asserted by tests/portal)")
    return 0 if all(page.statuses.get(200, 0) == requests for page in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
