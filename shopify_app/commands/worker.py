"""`python -m shopify_app worker`: run background jobs in a process of their own.

For deployments that keep the web processes free of jobs (`serve --no-worker`). On PostgreSQL
any number of workers share the queue; on SQLite the queue lives in one process's memory, so a
separate worker runs only its periodic jobs and the imports left unfinished.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import httpx

from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.state import utc_now
from shopify_app.storage import db
from shopify_app.tasks.worker import run_pending, running_jobs


async def work(settings: Settings, *, concurrency: int, once: bool = False,
               transport: httpx.AsyncBaseTransport | None = None) -> int:
    """Run until SIGINT/SIGTERM (or, with `once`, until the queue is empty)."""
    logging.basicConfig(level=settings.log_level)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if not once:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    async with db.connected(settings.database_url, migrate_first=True), httpx.AsyncClient(
        transport=transport, follow_redirects=False
    ) as http:
        admin = AdminClient(http, settings)
        async with running_jobs(settings.database_url, admin, worker=not once,
                                concurrency=concurrency, clock=utc_now,
                                name=f"worker-{os.getpid()}") as app:
            print(f"worker {os.getpid()} running jobs (concurrency {concurrency})", flush=True)
            if once:
                await run_pending(app)
            else:
                await stop.wait()
    return 0


def worker(settings: Settings, *, concurrency: int, once: bool = False) -> int:
    return asyncio.run(work(settings, concurrency=concurrency, once=once))
