"""An import's bookkeeping (`import_runs`): where it stands, so a killed import resumes and the
admin and the CLI can show its progress.

One row per shop. A run that finished (`done`) is started over by the next import (that import
then corrects the mirror: reconciliation); an unfinished one (`running` when its process died,
`failed` when Shopify gave up) continues after its saved cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from shopify_app.storage.models import ImportRun

RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class ImportProgress:
    """What the admin and `sync` show of a shop's import."""

    status: str  # running, done, failed (and `none`: never imported)
    pages: int
    contracts: int
    customers: int
    cost: int  # Admin API points spent
    waited_seconds: float  # paused for Shopify's cost bucket
    error: str
    started_at: datetime | None
    updated_at: datetime | None
    finished_at: datetime | None

    @property
    def cost_per_contract(self) -> float | None:
        return self.cost / self.contracts if self.contracts else None


NOT_STARTED = ImportProgress("none", 0, 0, 0, 0, 0.0, "", None, None, None)


def progress_of(run: ImportRun) -> ImportProgress:
    return ImportProgress(
        status=run.status, pages=run.pages, contracts=run.contracts, customers=run.customers,
        cost=run.cost, waited_seconds=run.waited_seconds, error=run.error,
        started_at=run.started_at, updated_at=run.updated_at, finished_at=run.finished_at,
    )


async def import_progress(shop_id: int) -> ImportProgress:
    """The import progress of a shop, for the admin (a service: no request, no Starlette)."""
    run = await ImportRun.get_or_none(shop_id=shop_id)
    return progress_of(run) if run is not None else NOT_STARTED


async def begin(shop_id: int, now: datetime, *, resume: bool = True) -> ImportRun:
    """The run to continue (an unfinished one, when `resume`), or a fresh one from the top."""
    run = await ImportRun.get_or_none(shop_id=shop_id)
    if run is None:
        run = await ImportRun.create(shop_id=shop_id, status=RUNNING, started_at=now,
                                     updated_at=now)
        return run
    if resume and run.status != DONE and run.cursor:
        run.status, run.error, run.updated_at = RUNNING, "", now
        await run.save(update_fields=["status", "error", "updated_at"])
        return run
    run.update_from_dict({
        "status": RUNNING, "cursor": None, "pages": 0, "contracts": 0, "customers": 0,
        "skipped": 0, "cost": 0, "waited_seconds": 0.0, "error": "", "started_at": now,
        "updated_at": now, "finished_at": None,
    })
    await run.save()
    return run


async def save_page(run: ImportRun, conn: BaseDBAsyncClient) -> None:
    """Write the run's counters and cursor in the page's own transaction (`conn`)."""
    await run.save(using_db=conn, update_fields=[
        "cursor", "pages", "contracts", "customers", "skipped", "cost", "waited_seconds",
        "updated_at", "status", "finished_at",
    ])


async def fail(run: ImportRun, reason: str, now: datetime) -> None:
    await ImportRun.filter(pk=run.pk).update(status=FAILED, error=reason[:255], updated_at=now)
