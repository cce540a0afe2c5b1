"""The import survives being killed and paces itself on Shopify's cost bucket."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from shopify_app.mirror.imports import import_progress
from shopify_app.mirror.sync import sync_shop
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import ImportRun, SubscriptionContract
from tests.conftest import TEST_API_KEY, TEST_SECRET
from tests.mirror.test_sync import add_subscribers
from tests.support.live import python_module, serving
from tests.support.store import register_shop
from tests.test_cli import clean_env

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class HoldPage:
    """The store's ASGI app, holding the `hold_at`-th GraphQL request until `release` is set
    (the import is then mid-way: earlier pages stored, this one in flight)."""

    def __init__(self, app: Any, hold_at: int) -> None:
        self.app, self.hold_at = app, hold_at
        self.afters: list[str | None] = []
        self.reached, self.release = asyncio.Event(), asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/graphql.json"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        self.afters.append(json.loads(body).get("variables", {}).get("after"))
        if len(self.afters) == self.hold_at:
            self.reached.set()
            await self.release.wait()
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def test_a_sigkilled_import_continues_where_it_stopped(
    database: str, store: SimulatedStore, tmp_path: Path, settings: Settings,
    store_transport: httpx.ASGITransport,
) -> None:
    add_subscribers(store, 1000)  # 1005 contracts: 6 pages of 200
    shop = await register_shop(store, DEMO_SHOP)
    gate = HoldPage(build_store_app(store), hold_at=4)
    async with serving(gate) as base:
        env = clean_env(DATABASE_URL=database, SHOPIFY_API_KEY=TEST_API_KEY,
                        SHOPIFY_API_SECRET=TEST_SECRET, SHOPIFY_MAX_ATTEMPTS="1",
                        SHOPIFY_ADMIN_ORIGIN=f"{base}/shops/{{shop}}")
        process = subprocess.Popen(python_module("shopify_app", "sync", DEMO_SHOP), cwd=tmp_path,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await asyncio.wait_for(gate.reached.wait(), timeout=120)
            os.kill(process.pid, signal.SIGKILL)  # mid-way: page 4 in flight
            assert await asyncio.to_thread(process.wait, 60) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
            gate.release.set()

    run = await ImportRun.get(shop_id=shop.id)
    assert (run.status, run.pages, run.contracts) == ("running", 3, 600)
    assert run.cursor == gate.afters[3]  # page 4 asks after page 3's end cursor
    assert await SubscriptionContract.filter(shop=shop).count() == 600

    async with httpx.AsyncClient(transport=store_transport) as http:
        result = await sync_shop(AdminClient(http, settings), shop)

    assert (result.pages, result.contracts, result.done) == (6, 1005, True)
    assert store.requests.count((DEMO_SHOP, "SubscriptionContracts")) == 4 + 3  # not from page 1
    assert await SubscriptionContract.filter(shop=shop).count() == 1005
    progress = await import_progress(shop.id)
    assert (progress.status, progress.pages, progress.contracts) == ("done", 6, 1005)


async def test_the_import_waits_for_the_cost_bucket_instead_of_being_throttled(
    database: str, store: SimulatedStore, store_clock: ManualClock, settings: Settings,
    store_transport: httpx.ASGITransport,
) -> None:
    add_subscribers(store, 1000)
    store.enforce_throttle = True  # 2000 points, 100 a second; a page requests 802
    shop = await register_shop(store, DEMO_SHOP)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the store's time moves instead
        waits.append(seconds)
        store_clock.advance(timedelta(seconds=seconds))

    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings.with_changes(shopify_max_attempts=1), sleep=sleep)
        result = await sync_shop(admin, shop, sleep=sleep)

    assert (result.pages, result.contracts) == (6, 1005)
    assert waits and all(wait > 0 for wait in waits)  # paused, never refused (one attempt)
    progress = await import_progress(shop.id)
    assert progress.waited_seconds == sum(waits)
    assert progress.cost > 0 and progress.cost_per_contract is not None
