"""`create_app(settings)`: the Starlette application."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopify_app.admin import home
from shopify_app.admin import routes as admin_routes
from shopify_app.api import bulk_routes, customer_routes, link_routes
from shopify_app.api.guard import start_limiter
from shopify_app.http import errors
from shopify_app.install import routes as install_routes
from shopify_app.links import tokens
from shopify_app.portal import routes as portal_routes
from shopify_app.portal.entry.redemption import LoginVisits
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.state import AppState
from shopify_app.storage import db
from shopify_app.webhooks import routes as webhook_routes


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(
    settings: Settings,
    *,
    manage_database: bool = True,
    http_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """Build the app. With `manage_database` the lifespan opens and closes the ORM connections
    (tests that already hold a database pass False). `http_transport` swaps how the app reaches
    Shopify: tests hand it the simulated store's ASGI transport. `clock` is the time the API and the
admin read (tests pin it)."""
    tokens.check_settings(settings)  # a bad PORTAL_TOKEN_KEYS stops start-up, not mints
    logging.basicConfig(level=settings.log_level)
    # httpx logs every URL at INFO; ours can carry tokens. Secrets never reach the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Database drivers log each query with its parameters at DEBUG: tokens are among them.
    for driver in ("tortoise", "aiosqlite", "asyncpg"):
        logging.getLogger(driver).setLevel(logging.INFO)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, AppState]]:
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
            start_limiter(app)
            app.state.portal_login_visits = LoginVisits()
            try:
                yield {"app_state": state}
            finally:
                await state.mints.flush()  # buffered link statistics reach the database
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
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=errors.exception_handlers(settings),
    )
