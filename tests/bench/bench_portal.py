"""Benchmark: a portal page view vs a bare Starlette endpoint, and its GraphQL cost per view.

Run: `python -m tests.bench.bench_portal [requests] [concurrency] [rounds]` (defaults 3000, 32,
3). SQLite, one uvicorn worker. The page is the main portal page of a signed-in storefront
customer (a signed proxy GET: guard, session, the read cache's check, `PortalOverview` on the
first view only, rendering), then the order history (`PortalOrders`).

Shopify is the simulated store in its own uvicorn process, off the app's CPU, reached over HTTP
as the real Admin API would be. It replays its answer to a query it has already executed
(same operation, variables and token): Shopify's own time is not ours, and the store's
graphql-core execution (milliseconds a query) would otherwise be what the ratio measures. The
app still sends every request, receives and parses every answer. The store process shows how
many queries it received: repeat views must need none (the per-customer read cache).
The signed query is valid for 90 s (Shopify's tolerance), so runs are kept short.
The GraphQL cost per view is read from the store's `extensions.cost`, as Shopify reports it.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopify_app.app import create_app
from shopify_app.portal.views import addon_reads
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.registration import register_shop
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.settings import Settings
from shopify_app.shopify import operations
from shopify_app.storage import db
from tests.bench.harness import (
    ServerSpec,
    Target,
    client_cpus,
    compare,
    serving,
    warmup_requests,
)
from tests.portal.proxy_client import PORTAL, signed_query

SECRET = "bench-secret"
_OPERATION = re.compile(r"(?:query|mutation)\s+(\w+)")
# The main page (it also writes the visit audit row) and the order history (read only).
PAGES = {"main page": "", "orders page": "/orders"}


def portal_app() -> ASGIApp:
    """The app as `serve` builds it; its Admin API origin is the store process."""
    return create_app(Settings.from_env(env_file=None))


class ReplayingStore:
    """ASGI wrapper of the simulated store: the first answer to each distinct GraphQL POST
    (path, token, body) is executed and kept, later identical ones are replayed. Counts
    requests (GET /calls reports them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.answers: dict[tuple[str, bytes, bytes], tuple[int, list[Any], bytes]] = {}
        self.calls: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            if scope["type"] == "http" and scope["path"] == "/calls":
                await JSONResponse(self.calls)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        operation = _OPERATION.search(json.loads(body).get("query", "")) if body else None
        name = operation.group(1) if operation else "?"
        self.calls[name] = self.calls.get(name, 0) + 1
        token = dict(scope["headers"]).get(b"x-shopify-access-token", b"")
        key = (scope["path"], token, body)
        if key not in self.answers:
            self.answers[key] = await self._execute(scope, body)
        status, headers, payload = self.answers[key]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def _execute(self, scope: Scope, body: bytes) -> tuple[int, list[Any], bytes]:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return sent[0]["status"], list(sent[0]["headers"]), payload


def store_app() -> ASGIApp:
    """The simulated store (seeded with the demo data), replaying repeated queries."""
    return ReplayingStore(build_store_app(simulated_store()))


async def seed(database_url: str) -> None:
    await db.migrate(database_url)
    await db.init(database_url)
    try:
        await register_shop(simulated_store(), DEMO_SHOP)
    finally:
        await db.close()


async def graphql_costs() -> dict[str, dict[str, Any]]:
    """Each page's one query, sent to the store as the app sends it: Shopify's cost report."""
    store = simulated_store()
    now = datetime.now(UTC).replace(microsecond=0)
    iso = now.isoformat().replace("+00:00", "Z")
    views = {
        "PortalOverview": {"customerId": f"gid://shopify/Customer/{ALICE_ID}"},
        "PortalOrders": {"customerId": f"gid://shopify/Customer/{ALICE_ID}"},
        "PortalContract": {
            "contractId": f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
            "cyclesStart": iso,
            "cyclesEnd": (now + timedelta(days=366)).isoformat().replace("+00:00", "Z"),
        },
        # the overview's second look, only for a card whose date is a known skipped cycle
        "PortalNextOrder": {
            "contractId": f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
            "fromIndex": 1,
            "toIndex": 6,
        },
        # a shop offering add-ons: an upcoming order with add-ons (only when PortalContract
        # says it is `edited`), and the shop's offers (once a minute for all its customers)
        "PortalCycleAddOns": {
            "contractId": f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
            "index": 1,
            "lines": addon_reads.ADDON_LINES,
        },
        "PortalAddOnOffers": {
            "offered": [f"gid://shopify/ProductVariant/{n}" for n in range(addon_reads.MAX_OFFERED)]
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


def store_calls(base: str) -> dict[str, int]:
    calls: dict[str, int] = httpx.get(base + "/calls").json()
    return calls


def main(argv: list[str]) -> int:
    requests = int(argv[0]) if argv else 3000
    concurrency = int(argv[1]) if len(argv) > 1 else 32
    rounds = int(argv[2]) if len(argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        asyncio.run(seed(database_url))
        # The store shares the client's CPUs, never the app's.
        store_spec = ServerSpec("tests.bench.bench_portal:store_app", ready_path="/calls")
        with serving(store_spec, cpus=client_cpus()) as store_base:
            env = {
                "SHOPIFY_API_KEY": "bench-client",
                "SHOPIFY_API_SECRET": SECRET,
                "DATABASE_URL": database_url,
                "LOG_LEVEL": "WARNING",
                "SHOPIFY_ADMIN_ORIGIN": store_base + "/shops/{shop}",
            }
            spec = ServerSpec("tests.bench.bench_portal:portal_app", env)
            query = signed_query(DEMO_SHOP, customer_id=ALICE_ID, secret=SECRET)
            targets = [
                Target(spec, f"{PORTAL}{path}?{query}", label, expect='id="sp-portal"')
                for label, path in PAGES.items()
            ]
            started = time.monotonic()
            _, pages = compare(targets, requests=requests, concurrency=concurrency, rounds=rounds)
            elapsed = time.monotonic() - started
            calls = store_calls(store_base)
    views = sum(page.requests for page in pages)
    # Each drive first checks one page (httpx) and warms up (unmeasured views).
    unmeasured = len(pages) * rounds * (1 + warmup_requests(concurrency))
    queries = sum(calls.values())
    # Each page's first view reads Shopify; repeat views come from the per-customer read
    # cache (until its minute is up or the customer changes something).
    print(f"Admin API requests received by the store: {calls} for {views + unmeasured} page "
          f"views ({views} measured): {queries / (views + unmeasured):.4f} per view "
          f"(first view of each page 1, repeat views {max(queries - len(PAGES), 0)})")
    for name, cost in asyncio.run(graphql_costs()).items():
        print(
            f"GraphQL cost per view, {name}: requested {cost['requestedQueryCost']}, "
            f"actual {cost['actualQueryCost']} (bucket {cost['throttleStatus']})"
        )
    ok = all(page.statuses.get(200, 0) == page.requests for page in pages)
    # A cache entry lives a minute: a long run may read each page again once a minute.
    return 0 if ok and queries <= len(PAGES) * (1 + int(elapsed // 60)) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
