"""`python -m shopify_app worker`: a process of its own runs the jobs others queue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopify_app.jobs import queue
from shopify_app.storage.models import CustomerDataExport, Shop
from tests.support.databases import backend
from tests.support.live import LiveProcess, python_module
from tests.test_cli import clean_env

pytestmark = pytest.mark.skipif(
    backend() != "postgres", reason="on SQLite the queue lives in one process's memory")


async def test_a_separate_worker_runs_a_job_queued_elsewhere(
    database: str, tmp_path: Path
) -> None:
    shop = await Shop.create(domain="w.myshopify.com", installed_at=datetime.now(UTC))
    worker = LiveProcess(python_module("shopify_app", "worker", "--concurrency", "2"),
                         cwd=tmp_path, env=clean_env(DATABASE_URL=database, LOG_LEVEL="INFO"))
    try:
        worker.wait_for(r"running jobs")
        async with queue.open_queue(queue.make_app(database)):
            job_id = await queue.defer(queue.CUSTOMER_DATA_REQUEST, shop=shop.domain,
                                       customer_id=77, request_id="r-77")
        assert job_id is not None
        worker.wait_for(r"customer data request r-77 for w.myshopify.com: 0 rows assembled")
    finally:
        exit_code = worker.stop()
    assert exit_code == 0, worker.output
    assert await CustomerDataExport.filter(shop=shop, request_id="r-77").count() == 1
