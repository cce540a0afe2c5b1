"""Running the queue in a process: `running_jobs` opens it and (unless told not to) runs a
worker beside the app (`serve`) or alone (`python -m shopify_app worker`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime

import procrastinate

from shopify_app.jobs import queue
from shopify_app.mirror.imports import DONE
from shopify_app.mirror.sync import Sleep
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import ImportRun
from shopify_app.tasks.registry import register

logger = logging.getLogger("shopify_app.tasks.worker")

DEFAULT_CONCURRENCY = 2


async def resume_unfinished_imports() -> int:
    """Queue the imports a previous process left unfinished (on SQLite the queue lived in its
    memory; their cursors did not). How many were queued."""
    queued = 0
    rows = await ImportRun.exclude(status=DONE).select_related("shop")
    for run in rows:
        if run.shop.installed and await queue.enqueue_first_import(run.shop.domain) is not None:
            queued += 1
    return queued


@contextlib.asynccontextmanager
async def running_jobs(
    database_url: str,
    admin: AdminClient,
    *,
    worker: bool = True,
    concurrency: int = DEFAULT_CONCURRENCY,
    name: str = "worker",
    clock: Callable[[], datetime],
    sleep: Sleep = asyncio.sleep,
    polling_interval: float = 5.0,
) -> AsyncIterator[procrastinate.App]:
    """This process's queue, open for the block, with a worker running when `worker`."""
    app = queue.make_app(database_url)
    register(app, admin, clock=clock, sleep=sleep)
    async with queue.open_queue(app):
        task: asyncio.Task[None] | None = None
        if worker:
            if not queue.is_durable(app):
                await resume_unfinished_imports()
            task = asyncio.create_task(app.run_worker_async(
                name=name, concurrency=concurrency, install_signal_handlers=False,
                listen_notify=queue.is_durable(app), fetch_job_polling_interval=polling_interval,
                delete_jobs="successful",
            ))
        try:
            yield app
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def run_pending(app: procrastinate.App) -> None:
    """Run the jobs waiting in `app`'s queue, then return (tests, and `worker --once`)."""
    await app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False,
                               delete_jobs="successful")
