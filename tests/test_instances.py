"""Three app instances (`serve --workers 2` each: six processes) on one PostgreSQL, against
the simulated store served over HTTP: the rate limit holds in total, a revocation applies at once
on every instance, an expired token is refreshed once for the shop, and each queued job runs
once although six in-process workers share the queue."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from shopify_app.jobs import queue
from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID, CAROL_ID, DEMO_SHOP, EVE_ID
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.storage.models import CustomerDataExport, Shop
from tests.conftest import TEST_API_KEY, TEST_SECRET
from tests.portal.proxy_client import signed_query
from tests.support.databases import backend
from tests.support.live import LiveProcess, free_port, python_module, serving
from tests.support.store import register_shop
from tests.test_cli import clean_env

pytestmark = pytest.mark.skipif(backend() != "postgres",
                                reason="several processes share one PostgreSQL")

INSTANCES = 3
LIMIT = 40  # mints per minute for the shop's key, across every process
JOBS = 24
MINT = "/api/external/v2/manage-subscription-link"


def wait_count(process: LiveProcess, pattern: str, count: int, timeout: float = 120) -> None:
    """Block until `count` output lines match `pattern` (the process's own line log)."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + timeout
    with process._changed:
        while sum(1 for line in process.lines if regex.search(line)) < count:
            left = deadline - time.monotonic()
            if left <= 0 or process.process.poll() is not None:
                raise AssertionError(f"{count} x {pattern!r} not seen:\n{process.output}")
            process._changed.wait(left)


def job_lines(processes: list[LiveProcess]) -> Counter[str]:
    found: Counter[str] = Counter()
    for process in processes:
        found.update(re.findall(r"customer data request (req-\d+) ", process.output))
    return found


def wait_jobs(processes: list[LiveProcess], count: int, timeout: float = 120) -> None:
    """Block until the processes logged `count` job runs in all (woken by their output)."""
    deadline = time.monotonic() + timeout
    while sum(job_lines(processes).values()) < count:
        if time.monotonic() > deadline:
            raise AssertionError("jobs not run:\n" + "\n".join(p.output for p in processes))
        for process in processes:
            with process._changed:
                process._changed.wait(0.05)


async def expiring_credentials(store: SimulatedStore) -> Shop:
    """The shop, holding an access token that has just expired and a valid refresh token."""
    shop = await register_shop(store, DEMO_SHOP)
    issued = store.issue_tokens(DEMO_SHOP)
    now = datetime.now(UTC)
    await Shop.filter(pk=shop.pk).update(
        access_token=issued.access_token, access_token_expires_at=now - timedelta(seconds=1),
        refresh_token=issued.refresh_token, refresh_token_expires_at=now + timedelta(days=89),
        mint_rate_limit=LIMIT,
    )
    return await Shop.get(pk=shop.pk)


async def test_three_instances_of_two_workers_share_limits_revocations_tokens_and_jobs(
    database: str, store: SimulatedStore, tmp_path: Path
) -> None:
    shop = await expiring_credentials(store)
    _, key = await api_keys.create_key(shop, "instances")
    async with queue.open_queue(queue.make_app(database)):
        for n in range(JOBS):  # queued before any worker runs: six workers race for them
            await queue.defer(queue.CUSTOMER_DATA_REQUEST, shop=DEMO_SHOP, customer_id=ALICE_ID,
                              request_id=f"req-{n}")
    async with serving(build_store_app(store)) as store_base:
        env = clean_env(DATABASE_URL=database, SHOPIFY_API_KEY=TEST_API_KEY,
                        SHOPIFY_API_SECRET=TEST_SECRET, LOG_LEVEL="INFO",
                        SHOPIFY_ADMIN_ORIGIN=f"{store_base}/shops/{{shop}}")
        ports = [free_port() for _ in range(INSTANCES)]
        processes = [LiveProcess(python_module("shopify_app", "serve", "--port", str(port),
                                               "--workers", "2"), cwd=tmp_path, env=env)
                     for port in ports]
        try:
            for process in processes:
                wait_count(process, r"Application startup complete", 2)
            clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30,
                                         headers={"X-API-Key": key}) for port in ports]
            try:
                await check_instances(clients, store, shop, processes)
            finally:
                for client in clients:
                    await client.aclose()
        finally:
            codes = [process.stop() for process in processes]
    assert codes == [0] * INSTANCES, "\n".join(p.output for p in processes)


async def check_instances(clients: list[httpx.AsyncClient], store: SimulatedStore, shop: Shop,
                          processes: list[LiveProcess]) -> None:
    first_minute = int(time.time()) // 60
    # 1. Customers no instance knows, minted everywhere at once: each instance needs the Admin
    # API with the expired token, and the shop's token is refreshed once in all.
    customers = [ALICE_ID, BOB_ID, CAROL_ID, EVE_ID]
    firsts = await asyncio.gather(*(
        clients[n % INSTANCES].get(f"{MINT}/{customers[n % len(customers)]}")
        for n in range(2 * INSTANCES * len(customers) // 2)))
    assert {answer.status_code for answer in firsts} == {200}, (
        [a.text for a in firsts], "\n".join(p.output[-4000:] for p in processes))
    assert store.tokens.refresh_count[DEMO_SHOP] == 1
    admitted = len(firsts)

    # 2. A revocation through one instance applies at once on every instance.
    bob_link = next(a.json()["manageSubscriptionLink"] for a in firsts
                    if a.json()["customerId"] == BOB_ID)
    token = bob_link.split("token=", 1)[1]
    revoked = await clients[1].post(f"{MINT}/revoke", params={"customerId": str(BOB_ID)})
    assert revoked.status_code == 200, revoked.text
    admitted += 1
    for client in clients:
        page = await client.get("/proxy/customer_portal?" + signed_query(
            DEMO_SHOP, extra=[("token", token)]))
        assert page.status_code == 401 and 'data-code="token_revoked"' in page.text

    # 3. Three times the limit at once, spread over every instance and worker.
    flood = await asyncio.gather(*(clients[n % INSTANCES].get(f"{MINT}/{ALICE_ID}")
                                   for n in range(3 * LIMIT)))
    statuses = Counter(answer.status_code for answer in flood)
    assert set(statuses) <= {200, 429} and statuses[429] > 0
    admitted += statuses[200]
    windows = int(time.time()) // 60 - first_minute + 1  # a minute may turn meanwhile
    assert admitted <= LIMIT * windows

    # 4. Every job queued before start ran exactly once, in one of the six workers.
    await asyncio.to_thread(wait_jobs, processes, JOBS)
    runs = job_lines(processes)
    assert set(runs) == {f"req-{n}" for n in range(JOBS)}
    assert set(runs.values()) == {1}
    assert await CustomerDataExport.filter(shop=shop).count() == JOBS
