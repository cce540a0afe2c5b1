"""A second app instance on the same database: another worker process, as far as the
per-process state (key cache, rate-limit lease, mint buffer) is concerned."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette

from shopify_app.app import create_app
from tests.api.conftest import Api


@dataclass
class Worker:
    app: Starlette
    client: httpx.AsyncClient


@asynccontextmanager
async def second_worker(api: Api) -> AsyncIterator[Worker]:
    """An app like `api.app` (same settings, database and store), with its own runtime and
    the same injected clock (`api.now`)."""
    settings = api.app.state.app_state.settings
    app = create_app(settings, manage_database=False, http_transport=api.shopify,
                     clock=lambda: api.now)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://app.example.test") as c:
            yield Worker(app, c)
