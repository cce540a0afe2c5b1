"""The first import of a newly installed shop's contracts, started without blocking app home.

`start_first_import` is the one seam the token exchange calls (the OAuth callback queues the
same job). With a job queue open in this process (`serve`, `worker`) it queues the `import_shop`
job, which survives restarts and resumes from its saved cursor; without one (tests that build a
bare app) it runs the same `sync_shop` as a background task. Either way the progress is the
durable `ImportRun` the admin reads (`mirror.imports.import_progress`).
"""

from __future__ import annotations

import asyncio
import logging

from shopify_app.jobs import queue
from shopify_app.mirror.sync import sync_shop
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

logger = logging.getLogger("shopify_app.install.first_import")

# Strong references: the event loop only keeps weak ones to running tasks.
_tasks: set[asyncio.Task[None]] = set()


async def start_first_import(admin: AdminClient, shop: Shop) -> None:
    """Import `shop`'s contracts and customers in the background; returns at once."""
    if queue.current() is not None:
        await queue.enqueue_first_import(shop.domain)  # one waiting job per shop
        return
    task = asyncio.get_running_loop().create_task(_run(admin, shop))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def wait_for_imports() -> None:
    """Tests and shutdown: let every import started as a task here finish."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


async def _run(admin: AdminClient, shop: Shop) -> None:
    try:
        await sync_shop(admin, shop)  # records its progress and failure in ImportRun
    except Exception:  # a background task has no caller to raise to
        logger.exception("first import of %s failed", shop.domain)
