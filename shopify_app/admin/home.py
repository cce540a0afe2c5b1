"""The app home (`application_url`, `GET /`): Shopify opens it signed, to install or to launch the
embedded admin. An installed shop's signed launch gets the admin page; any other shop is sent to
OAuth first."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.admin import page
from shopify_app.install import flow
from shopify_app.state import app_state

_UNSIGNED = ("<!doctype html><meta charset=utf-8><title>Subscription portal</title>"
             "<h1>Subscription portal</h1><p>Install this app from Shopify.</p>")


async def app_home(request: Request) -> Response:
    state = app_state(request)
    query = request.url.query
    if not flow.is_signed_launch(query):
        return HTMLResponse(_UNSIGNED)
    outcome = await flow.launch(state.settings, query, now=datetime.now(UTC))
    if isinstance(outcome, str):
        return RedirectResponse(outcome, status_code=302)
    # Embedded in the admin: only the shop's admin may frame this page.
    csp = f"frame-ancestors https://{outcome.domain} https://admin.shopify.com;"
    html = page.render(shop_name=outcome.name or outcome.domain,
                       api_key=state.settings.api_key or "")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store"})


routes: list[BaseRoute] = [Route("/", app_home, methods=["GET"])]
