"""The job functions, registered by name on a process's queue (`register`).

Every job is idempotent: a job retried after a crash, or run twice by a reconciliation and an
install, leaves the same state. Imports of one shop hold a lock named after the shop, so two
never run at once, whichever process runs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import procrastinate

from shopify_app.install.shops import registered_shop
from shopify_app.jobs import queue
from shopify_app.mirror import refresh
from shopify_app.mirror.sync import Sleep, sync_shop
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop
from shopify_app.tasks import data_request, purges, resumes

logger = logging.getLogger("shopify_app.tasks.registry")

# Shopify recommends reconciliation jobs because webhooks can be lost: every six hours each
# installed shop's contracts are imported again, correcting the mirror.
RECONCILE_CRON = "23 */6 * * *"
PURGE_CRON = "41 * * * *"
RETRY_STALLED_CRON = "*/5 * * * *"
RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=10)


async def import_shop(admin: AdminClient, domain: str, *, sleep: Sleep) -> None:
    shop = await registered_shop(domain)
    if not shop.installed:
        logger.info("import of %s skipped: the app is uninstalled there", domain)
        return
    result = await sync_shop(admin, shop, sleep=sleep)
    logger.info("imported %s: %d contracts in %d pages", domain, result.contracts, result.pages)


async def reconcile() -> int:
    """Queue an import of every installed shop; how many were queued."""
    queued = 0
    for domain in await Shop.filter(installed_at__isnull=False,
                                    uninstalled_at__isnull=True).values_list("domain", flat=True):
        if await queue.enqueue_first_import(str(domain)) is not None:
            queued += 1
    return queued


def register(app: procrastinate.App, admin: AdminClient, *,
             clock: Callable[[], datetime], sleep: Sleep) -> None:
    """Register every job function on `app`, bound to this process's Admin API client."""

    @app.task(name=queue.IMPORT_SHOP, retry=RETRY, pass_context=False)
    async def import_shop_job(shop: str) -> None:
        await import_shop(admin, shop, sleep=sleep)

    @app.periodic(cron=RECONCILE_CRON, periodic_id=queue.RECONCILE)
    @app.task(name=queue.RECONCILE, queueing_lock=queue.RECONCILE)
    async def reconcile_job(timestamp: int) -> None:
        logger.info("reconciliation: %d imports queued", await reconcile())

    @app.periodic(cron=PURGE_CRON, periodic_id=queue.PURGE)
    @app.task(name=queue.PURGE, queueing_lock=queue.PURGE)
    async def purge_job(timestamp: int) -> None:
        await purges.purge(clock())

    @app.task(name=queue.REFRESH_CUSTOMER, retry=RETRY)
    async def refresh_customer_job(shop: str, customer_id: int) -> None:
        found = await Shop.get_or_none(domain=shop)
        if found is not None and found.installed:
            await refresh.refresh_customer(admin, found, customer_id)

    @app.task(name=queue.CUSTOMER_DATA_REQUEST, retry=RETRY)
    async def data_request_job(shop: str, customer_id: int, request_id: str = "") -> None:
        await data_request.answer_data_request(shop, customer_id, request_id, clock())

    @app.task(name=queue.RESUME_CONTRACT, retry=RETRY)
    async def resume_contract_job(resume_id: int) -> None:
        await resumes.resume_one(admin, resume_id, clock())

    @app.periodic(cron=resumes.RESUME_DUE_CRON, periodic_id=queue.RESUME_DUE)
    @app.task(name=queue.RESUME_DUE, queueing_lock=queue.RESUME_DUE)
    async def resume_due_job(timestamp: int) -> None:
        logger.info("scheduled resumes: %s", await resumes.resume_due(admin, clock()))

    @app.periodic(cron=RETRY_STALLED_CRON, periodic_id=queue.RETRY_STALLED)
    @app.task(name=queue.RETRY_STALLED, queueing_lock=queue.RETRY_STALLED, pass_context=True)
    async def retry_stalled_job(context: procrastinate.JobContext, timestamp: int) -> None:
        # A worker killed mid-job (SIGKILL, lost machine) leaves its job `doing`; once its
        # heartbeat is stale the job goes back to the queue (the import resumes from its cursor).
        manager = context.app.job_manager
        for job in await manager.get_stalled_jobs():
            await manager.retry_job(job)
