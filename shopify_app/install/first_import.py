"""The first import of a newly installed shop's contracts, started without blocking app home.

`start_first_import` is the one seam the install calls. Today it runs the mirror's `sync_shop`
as a background task of this process and keeps its progress here, for the setup status; when
the job queue lands, its body enqueues a job instead and `import_status` reads the job.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from shopify_app.mirror.sync import SyncProgress, sync_shop
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

logger = logging.getLogger("shopify_app.install.first_import")


@dataclass(frozen=True)
class ImportStatus:
    """Where a shop's first import stands (Shopify gives no contract count up front)."""

    state: str  # "running", "done" or "failed"
    started_at: datetime
    pages: int = 0
    contracts: int = 0
    customers: int = 0


_status: dict[str, ImportStatus] = {}
# Strong references: the event loop only keeps weak ones to running tasks.
_tasks: set[asyncio.Task[None]] = set()


def import_status(domain: str) -> ImportStatus | None:
    """The shop's first import as this process knows it (None: none started here)."""
    return _status.get(domain)


def start_first_import(admin: AdminClient, shop: Shop, *, now: datetime) -> None:
    """Import `shop`'s contracts and customers in the background; returns at once. An import
    already running for the shop is not started twice."""
    current = _status.get(shop.domain)
    if current is not None and current.state == "running":
        return
    _status[shop.domain] = ImportStatus(state="running", started_at=now)
    task = asyncio.get_running_loop().create_task(_run(admin, shop))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def wait_for_imports() -> None:
    """Tests and shutdown: let every running first import finish."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


def _record(domain: str, progress: SyncProgress) -> None:
    started = _status[domain].started_at
    _status[domain] = ImportStatus(
        state="done" if progress.done else "running", started_at=started,
        pages=progress.pages, contracts=progress.contracts, customers=progress.customers,
    )


async def _run(admin: AdminClient, shop: Shop) -> None:
    try:
        await sync_shop(admin, shop, progress=lambda p: _record(shop.domain, p))
    except Exception:  # a background task has no caller to raise to: log, keep the status
        logger.exception("first import of %s failed", shop.domain)
        _status[shop.domain] = replace(_status[shop.domain], state="failed")
    else:
        _status[shop.domain] = replace(_status[shop.domain], state="done")
