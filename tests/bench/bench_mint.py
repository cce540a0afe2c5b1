"""Benchmark: minting a link for a known customer vs a bare Starlette endpoint, and token cost.

Run: `python -m tests.bench.bench_mint [requests] [concurrency] [rounds]` (defaults 30000, 64, 3).
SQLite, one uvicorn worker. The Admin API origin points at a closed port: a mint that called
Shopify would fail, so all-200 statuses prove the hot path stays local. Targets (issue 3):
throughput >= 0.4 of the bare endpoint, p99 < 25 ms.

A third server, "floor", is the same production app answering a constant JSON of a mint's size
and headers from a route at the mint's depth: what uvicorn, the middleware and the router cost
before any of our code runs. (mint - floor) is the mint's own cost.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import timeit
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jwcrypto import jwe, jwk
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from shopify_app.app import create_app
from shopify_app.http.access_log import AccessLog
from shopify_app.keys import api_keys
from shopify_app.links import tokens
from shopify_app.settings import Settings
from shopify_app.storage import db
from shopify_app.storage.models import Customer, LinkStat, Shop
from tests.bench.harness import ServerSpec, Target, compare

SHOP = "bench-shop.myshopify.com"
CUSTOMER_ID = 7001
SQLITE_OPTIONS = os.environ.get("BENCH_SQLITE_OPTIONS", "")
SECRET = "bench-secret"


def mint_app() -> ASGIApp:
    """The production app as `serve --no-worker` builds it, from the environment the harness
    sets (no background job shares the measured process: see `bench_wrk.serve`)."""
    return AccessLog(create_app(Settings.from_env(env_file=None), freeze_heap=True, worker=False))


FLOOR_PATH = "/api/external/v2/floor/{customerId:path}"
_FLOOR_BODY = {
    "manageSubscriptionLink": "https://shop.bench.test/tools/recurring/customer_portal?token="
    + "x" * 400,
    "tokenExpirationTime": "2026-01-01T00:00:00Z",
    "expiresInMinutes": 120,
    "customerId": CUSTOMER_ID,
    "portalUrl": "https://shop.bench.test/tools/recurring/customer_portal",
}
_FLOOR_HEADERS = {"RateLimit-Limit": "1000000000", "RateLimit-Remaining": "999999999",
                  "RateLimit-Reset": "30", "Cache-Control": "no-store"}


def floor_app() -> ASGIApp:
    """`mint_app` plus a constant mint-shaped answer routed just before the mint's route."""

    async def constant(request: Request) -> JSONResponse:
        return JSONResponse(_FLOOR_BODY, headers=_FLOOR_HEADERS)

    app = create_app(Settings.from_env(env_file=None), freeze_heap=True, worker=False)
    routes = app.router.routes
    index = next(
        i for i, route in enumerate(routes)
        if getattr(route, "path", "").endswith("/manage-subscription-link/{customerId:path}")
    )
    routes.insert(index, Route(FLOOR_PATH, constant))
    return AccessLog(app)


async def seed(database_url: str) -> str:
    await db.migrate(database_url)
    await db.init(database_url)
    try:
        now = datetime.now(UTC)
        shop = await Shop.create(domain=SHOP, primary_domain="shop.bench.test", installed_at=now,
                                 access_token="unused", mint_rate_limit=10**9)
        await Customer.create(shop=shop, customer_id=CUSTOMER_ID, email="c@example.com",
                              active_subscriptions=1)
        _, raw = await api_keys.create_key(shop, "bench")
        return raw
    finally:
        await db.close()


async def count_mints(database_url: str) -> int:
    await db.init(database_url)
    try:
        return sum(row.mints for row in await LinkStat.all())
    finally:
        await db.close()


def token_costs(rounds: int = 3000) -> None:
    now = datetime.now(UTC)
    keyring = tokens.keyring_from_settings(Settings(api_secret=SECRET))
    issued = tokens.issue(keyring, shop=SHOP, customer_id=CUSTOMER_ID, now=now,
                                 ttl=timedelta(hours=2), source="bench")
    ours_issue = timeit.timeit(
        lambda: tokens.issue(keyring, shop=SHOP, customer_id=CUSTOMER_ID, now=now,
                                    ttl=timedelta(hours=2), source="bench"), number=rounds)
    ours_verify = timeit.timeit(
        lambda: tokens.verify(keyring, issued.token, now=now, shop=SHOP,
                                     customer_id=CUSTOMER_ID), number=rounds)
    # Raw jwcrypto: the same claims, header and key, no checks around it.
    key = jwk.JWK(kty="oct", k=jwk.base64url_encode(tokens.derive_key(SECRET)))
    header = json.dumps({"alg": "dir", "enc": "A256GCM", "kid": "hkdf1"})
    payload = json.dumps({"shop": SHOP, "sub": str(CUSTOMER_ID), "iat": 1, "exp": 2,
                          "jti": "x" * 22, "src": "bench", "aud": "portal-link"}).encode()

    def raw_encrypt() -> str:
        token = jwe.JWE(payload, protected=header)
        token.add_recipient(key)
        return str(token.serialize(compact=True))

    sample = raw_encrypt()

    def raw_decrypt() -> bytes:
        token = jwe.JWE()
        token.deserialize(sample, key=key)
        return bytes(token.payload)

    raw_issue = timeit.timeit(raw_encrypt, number=rounds)
    raw_verify = timeit.timeit(raw_decrypt, number=rounds)
    us = 1e6 / rounds
    print(f"token issue : {ours_issue * us:6.1f} us/call  (raw jwcrypto encrypt "
          f"{raw_issue * us:6.1f} us, ratio {ours_issue / raw_issue:.2f})")
    print(f"token verify: {ours_verify * us:6.1f} us/call  (raw jwcrypto decrypt "
          f"{raw_verify * us:6.1f} us, ratio {ours_verify / raw_verify:.2f})")


def main(argv: list[str]) -> int:
    requests = int(argv[0]) if argv else 30000
    concurrency = int(argv[1]) if len(argv) > 1 else 64
    rounds = int(argv[2]) if len(argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}" + SQLITE_OPTIONS
        raw_key = asyncio.run(seed(database_url))
        env = {
            "SHOPIFY_API_KEY": "bench-client", "SHOPIFY_API_SECRET": SECRET,
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
            # A closed port: any Admin API call would turn into a 503.
            "SHOPIFY_ADMIN_ORIGIN": "http://127.0.0.1:9/shops/{shop}",
        }
        mint_path = f"/api/external/v2/manage-subscription-link/{CUSTOMER_ID}?source=bench"
        targets = [
            Target(ServerSpec("tests.bench.bench_mint:floor_app", env),
                   FLOOR_PATH.replace("{customerId:path}", str(CUSTOMER_ID)), "floor"),
            Target(ServerSpec("tests.bench.bench_mint:mint_app", env), mint_path, "mint",
                   {"X-API-Key": raw_key}),
        ]
        bare, (floor, mint) = compare(targets, requests=requests, concurrency=concurrency,
                                      rounds=rounds)
        recorded = asyncio.run(count_mints(database_url))
    ok = mint.statuses.get(200, 0) == mint.requests
    ratio = mint.throughput / bare.throughput
    own_us = 1e6 / mint.throughput - 1e6 / floor.throughput
    print(f"mint's own cost over the floor: {own_us:.0f} us per request (server wall time)")
    print(f"mints recorded in link_stats: {recorded} (incl. warm-up and checks)")
    print(f"targets: ratio >= 0.40 -> {'met' if ratio >= 0.4 else 'MISSED'} ({ratio:.2f}); "
          f"p99 < 25 ms -> {'met' if mint.percentile(0.99) < 25 else 'MISSED'} "
          f"({mint.percentile(0.99):.1f} ms); all 200 -> {ok}")
    token_costs()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
