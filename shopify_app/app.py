"""`create_app(settings)`: the Starlette application."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopify_app.admin import home
from shopify_app.admin import routes as admin_routes
from shopify_app.api import bulk_routes, customer_routes, link_routes
from shopify_app.api.guard import start_limiter
from shopify_app.api.refusal_gate import RefusalGate
from shopify_app.http import errors
from shopify_app.http.security_headers import SecurityHeaders
from shopify_app.install import routes as install_routes
from shopify_app.links import tokens
from shopify_app.portal import routes as portal_routes
from shopify_app.portal.customer_account import routes as customer_account_routes
from shopify_app.portal.entry.redemption import LoginVisits
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.state import AppState
from shopify_app.storage import db, sealed
from shopify_app.tasks.worker import running_jobs
from shopify_app.webhooks import routes as webhook_routes


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(
    settings: Settings,
    *,
    manage_database: bool = True,
    http_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], datetime] | None = None,
    jobs: bool | None = None,
    worker: bool = True,
    freeze_heap: bool = False,
) -> Starlette:
    """Build the app. With `manage_database` the lifespan opens and closes the ORM connections
    (tests that already hold a database pass False). `http_transport` swaps how the app reaches
    Shopify: tests hand it the simulated store's ASGI transport. `clock` is the time the API and the
admin read (tests pin it). With `jobs` (default: `manage_database`) the lifespan opens the job
queue, and runs a worker in this process when `worker` (`serve --no-worker` leaves the jobs to
`python -m shopify_app worker`). `freeze_heap` (servers, not tests): once started, everything
    built so far is moved out of the garbage collector's sight (`gc.freeze`), so a full
    collection scans only what requests create; full collections of 40-60 ms were the worst mint
    stalls measured under wrk."""
    tokens.check_settings(settings)  # a bad PORTAL_TOKEN_KEYS stops start-up, not mints
    sealed.configure(settings)  # Shopify tokens at rest; a bad SHOPIFY_TOKEN_KEYS stops here
    logging.basicConfig(level=settings.log_level)
    # httpx logs every URL at INFO; ours can carry tokens. Secrets never reach the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Database drivers log each query with its parameters at DEBUG: tokens are among them.
    for driver in ("tortoise", "aiosqlite", "asyncpg"):
        logging.getLogger(driver).setLevel(logging.INFO)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, object]]:
        if manage_database:
            await db.init(settings.database_url)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        async with httpx.AsyncClient(
            limits=limits, follow_redirects=False, transport=http_transport
        ) as http:
            state = AppState(settings=settings, http=http, admin=AdminClient(http, settings))
            if clock is not None:
                state = dataclasses.replace(state, clock=clock)
            app.state.app_state = state
            limiter = start_limiter(app)
            app.state.portal_login_visits = LoginVisits()
            if freeze_heap:
                gc.collect()
                gc.freeze()
            try:
                async with contextlib.AsyncExitStack() as stack:
                    if manage_database if jobs is None else jobs:
                        await stack.enter_async_context(running_jobs(
                            settings.database_url, state.admin, worker=worker,
                            clock=state.clock, name=f"app-{os.getpid()}",
                        ))
                    # Also in each request's scope: a dict read there is cheaper than
                    # `app.state`'s attribute lookup on the mint's path (see `app_state`).
                    yield {"app_state": state, "api_limiter": limiter,
                           "api_address_throttle": app.state.api_address_throttle}
            finally:
                await state.keys.settle()  # last-used writes, key refreshes
                await app.state.api_limiter.settle()  # rate-limit reservations in flight
                await state.mints.flush()  # buffered link statistics reach the database
                state.keys.watch.close()
                if manage_database:
                    await db.close()

    # The external API first: the router tries routes in order, and the mint is the busiest.
    # No other route shares its /api/external/v2 prefix, so the order changes no answer.
    routes = [
        *link_routes.routes,
        *bulk_routes.routes,
        Route("/healthz", health),
        *home.routes,
        *install_routes.routes,
        *admin_routes.routes,
        *webhook_routes.routes,
        *customer_routes.routes,
        *portal_routes.routes,
        *customer_account_routes.routes,
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=errors.exception_handlers(settings),
        # A key over its limit is refused first, before routing (api/refusal_gate: it sends
        # nosniff itself); then the security headers around every route and handled error (the
        # 500 page adds them itself, http/errors).
        middleware=[Middleware(RefusalGate), Middleware(SecurityHeaders)],
    )
