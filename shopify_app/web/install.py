"""Install endpoints: the app URL, the install entry and the OAuth callback."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app import install
from shopify_app.state import app_state
from shopify_app.web import admin_page


def _query(request: Request) -> str:
    return request.url.query


async def app_home(request: Request) -> Response:
    """`application_url`: Shopify opens it signed (install or launch from the admin)."""
    state = app_state(request)
    if not install.is_signed_launch(_query(request)):
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>Subscription portal</title>"
                            "<h1>Subscription portal</h1><p>Install this app from Shopify.</p>")
    outcome = await install.launch(state.settings, _query(request), now=datetime.now(UTC))
    if isinstance(outcome, str):
        return RedirectResponse(outcome, status_code=302)
    # Embedded in the admin: only the shop's admin may frame this page.
    csp = f"frame-ancestors https://{outcome.domain} https://admin.shopify.com;"
    page = admin_page.render(shop_name=outcome.name or outcome.domain,
                             api_key=state.settings.api_key or "")
    return HTMLResponse(page, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store"})


async def begin_install(request: Request) -> Response:
    state = app_state(request)
    location = await install.begin(state.settings, _query(request), now=datetime.now(UTC))
    return RedirectResponse(location, status_code=302)


async def oauth_callback(request: Request) -> Response:
    state = app_state(request)
    _, destination = await install.complete(
        state.settings, state.admin, _query(request), now=datetime.now(UTC)
    )
    return RedirectResponse(destination, status_code=302)


routes: list[BaseRoute] = [
    Route("/", app_home, methods=["GET"]),
    Route(install.INSTALL_PATH, begin_install, methods=["GET"]),
    Route(install.CALLBACK_PATH, oauth_callback, methods=["GET"]),
]
