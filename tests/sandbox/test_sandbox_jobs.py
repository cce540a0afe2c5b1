"""`make run` serves the sandbox with its job queue open and a worker in the process, so the
scheduled work (a "pause until" resume, the periodic sweeps) happens without anything else
running. Before, the sandbox's app was built without a queue and nothing was ever resumed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopify_app.jobs import queue
from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SandboxHandle, start_sandbox
from shopify_app.settings import Settings
from shopify_app.storage.models import ScheduledResume, Shop
from tests.sandbox.test_runner import three_free_ports

PAUSED = demo.ALICE_PAUSED_CONTRACT_ID
# The in-memory queue's worker looks for jobs every 5 s (PostgreSQL's is woken at once).
WORKER_PICKUP = 30.0


@pytest.fixture
async def sandbox(database_url: str, tmp_path: Path) -> AsyncIterator[SandboxHandle]:
    handle = await start_sandbox(Settings(database_url=database_url), three_free_ports(),
                                 data_dir=tmp_path)
    try:
        yield handle
    finally:
        await handle.stop()


async def _until(condition: Callable[[], bool], limit: float) -> bool:
    """Wait for the sandbox's own worker (another task of this loop) to make `condition` true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition() and loop.time() < deadline:
        await asyncio.sleep(0.05)  # yields to the worker; the assertion does not depend on time
    return condition()


async def test_the_sandbox_worker_runs_a_due_resume(sandbox: SandboxHandle) -> None:
    app = queue.current()
    assert app is not None, "the sandbox serves without a job queue"
    periodic = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert {queue.RESUME_DUE, queue.PURGE, queue.RECONCILE} <= periodic
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    due = datetime.now(UTC) - timedelta(hours=1)
    row = await ScheduledResume.create(shop=shop, customer_id=demo.ALICE_ID, contract_id=PAUSED,
                                       resume_on=due.date(), resume_at=due)
    assert sandbox.store.contracts[PAUSED].terms.status == "PAUSED"
    await queue.defer(queue.RESUME_CONTRACT, resume_id=row.id)
    assert await _until(lambda: sandbox.store.contracts[PAUSED].terms.status == "ACTIVE",
                        WORKER_PICKUP)
    assert (await ScheduledResume.get(id=row.id)).status == "done"
