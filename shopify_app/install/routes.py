"""Install endpoints: the install entry and the OAuth callback. (The app URL, `GET /`, is the
admin's home: `shopify_app/admin/home.py`.)"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.install import flow
from shopify_app.state import app_state


async def begin_install(request: Request) -> Response:
    state = app_state(request)
    location = await flow.begin(state.settings, request.url.query, now=datetime.now(UTC))
    return RedirectResponse(location, status_code=302)


async def oauth_callback(request: Request) -> Response:
    state = app_state(request)
    _, destination = await flow.complete(
        state.settings, state.admin, request.url.query, now=datetime.now(UTC)
    )
    return RedirectResponse(destination, status_code=302)


routes: list[BaseRoute] = [
    Route(flow.INSTALL_PATH, begin_install, methods=["GET"]),
    Route(flow.CALLBACK_PATH, oauth_callback, methods=["GET"]),
]
