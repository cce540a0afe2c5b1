"""The app with its job queue open, for tests that run the background jobs (loaded by
tests/conftest.py through `pytest_plugins`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import procrastinate
import pytest
from starlette.applications import Starlette

from shopify_app.app import create_app
from shopify_app.jobs import queue
from shopify_app.settings import Settings
from shopify_app.tasks.worker import run_pending


@dataclass
class JobsApp:
    app: Starlette
    client: httpx.AsyncClient

    @property
    def queue(self) -> procrastinate.App:
        found = queue.current()
        assert found is not None
        return found

    async def run_jobs(self) -> None:
        """Everything queued so far runs, here, now (the worker the app would run)."""
        await run_pending(self.queue)


@pytest.fixture
async def jobs_app(database: str, settings: Settings,
                   store_transport: httpx.AsyncBaseTransport) -> AsyncIterator[JobsApp]:
    """The app with its job queue open (no worker task: the test runs the jobs)."""
    # One attempt per Admin API call: a failing Shopify fails at once, no retry sleeps.
    settings = settings.with_changes(shopify_max_attempts=1)
    app = create_app(settings, manage_database=False, http_transport=store_transport,
                     jobs=True, worker=False)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as client:
        yield JobsApp(app, client)
