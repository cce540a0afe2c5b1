"""The job queue: procrastinate, on PostgreSQL in the app's own database, in memory on SQLite.

On PostgreSQL jobs are rows of procrastinate's tables (applied by `migrate`): durable, retried,
locked so that one worker of any number runs each, periodic ones deferred once per tick across
every process. On SQLite (the local default, `make run` needs nothing else) the same job
functions run through procrastinate's in-memory connector in the process that deferred them:
same retries, locks and periodic tasks, but a job deferred there is lost if the process dies.
Nothing depends on that: an import keeps its progress in `import_runs` (a worker starting on
SQLite resumes unfinished imports), and the periodic jobs come round again.

A process opens one queue (`open_queue`: the app's lifespan, `worker`); code anywhere below
calls `defer` or `enqueue_first_import` by task name, without importing the job functions.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import procrastinate
from procrastinate.testing import InMemoryConnector

from shopify_app.storage.db import is_postgres

logger = logging.getLogger("shopify_app.jobs.queue")

# Task names: the stable part of a job row (a renamed function keeps its queued jobs).
IMPORT_SHOP = "import_shop"
RECONCILE = "reconcile"
PURGE = "purge"
CUSTOMER_DATA_REQUEST = "customer_data_request"
REFRESH_CUSTOMER = "refresh_customer"
RETRY_STALLED = "retry_stalled"
RESUME_CONTRACT = "resume_contract"  # a pause's chosen resume date (portal "pause until")
RESUME_DUE = "resume_due"  # the periodic sweep that finds resumes whose job was lost

_current: procrastinate.App | None = None


def postgres_conninfo(database_url: str) -> str:
    """libpq's URL for a Tortoise `postgres://` URL (Tortoise's own query options dropped)."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql", query=""))


def make_app(database_url: str) -> procrastinate.App:
    """A procrastinate app for `database_url`, not opened, with no task registered."""
    connector: Any
    if is_postgres(database_url):
        # Small pool: the deferrer and the worker's fetches; LISTEN holds one more.
        connector = procrastinate.PsycopgConnector(
            conninfo=postgres_conninfo(database_url), min_size=1, max_size=4
        )
    else:
        connector = InMemoryConnector()
    return procrastinate.App(connector=connector)


def is_durable(app: procrastinate.App) -> bool:
    return not isinstance(app.connector, InMemoryConnector)


@asynccontextmanager
async def open_queue(app: procrastinate.App) -> AsyncIterator[procrastinate.App]:
    """Open `app` and make it this process's queue for the block."""
    global _current
    async with app.open_async():
        previous, _current = _current, app
        try:
            yield app
        finally:
            _current = previous


def current() -> procrastinate.App | None:
    return _current


async def defer(task: str, *, queueing_lock: str | None = None, lock: str | None = None,
                schedule_at: datetime | None = None, **kwargs: Any) -> int | None:
    """Queue `task(**kwargs)`; the job id, or None when no queue is open in this process or a
    job with the same `queueing_lock` is already waiting (then that one will do)."""
    app = _current
    if app is None:
        logger.warning("no job queue open: %s not queued", task)
        return None
    deferrer = app.configure_task(task, queueing_lock=queueing_lock, lock=lock,
                                  schedule_at=schedule_at)
    try:
        job_id: int = await deferrer.defer_async(**kwargs)
    except procrastinate.exceptions.AlreadyEnqueued:
        return None
    return job_id


async def enqueue_first_import(shop_domain: str) -> int | None:
    """Queue the import of a newly installed shop's contracts and customers (install by OAuth
    or token exchange). Returns at once; a second call while one waits queues nothing."""
    return await defer(IMPORT_SHOP, queueing_lock=f"import:{shop_domain}",
                       lock=f"import:{shop_domain}", shop=shop_domain)


async def enqueue_customer_refresh(shop_domain: str, customer_id: int) -> int | None:
    """Queue a re-read of one customer into the mirror (one waiting job per customer)."""
    key = f"refresh:{shop_domain}:{customer_id}"
    return await defer(REFRESH_CUSTOMER, queueing_lock=key, shop=shop_domain,
                       customer_id=customer_id)
