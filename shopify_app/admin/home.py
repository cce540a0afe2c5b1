"""App home (`application_url`, `GET /`) and its bounce page, the way Shopify's libraries do it.

Shopify-managed install opens app home inside the admin with an `id_token` (App Bridge's session
token) in the query. Every document load is verified:

- no `id_token` in an embedded load (`embedded=1`) → 302 to the bounce page
  `/auth/session-token?…&shopify-reload=<this URL without id_token>`, which loads App Bridge;
  App Bridge reloads that URL with a fresh token;
- a load that is not embedded but names a shop → 302 into the shop's admin, which embeds it;
- an invalid or expired `id_token` → the bounce (a fresh token fixes an expired one);
- a valid token of a shop without usable credentials → token exchange first (install).

Nothing a shop owns is shown without a valid token.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.admin import page
from shopify_app.admin.guard import InvalidSessionToken, verify_session_token
from shopify_app.install import flow, token_exchange
from shopify_app.settings import Settings
from shopify_app.shopify.domains import normalize_shop_domain, require_shop_domain
from shopify_app.shopify.oauth import OAuthExchangeFailed
from shopify_app.shopify.urls import shop_origin
from shopify_app.state import app_state, request_time

BOUNCE_PATH = "/auth/session-token"
RELOAD_PARAMETER = "shopify-reload"
APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js"
# The sandbox serves a local stand-in for App Bridge (no CDN there); Settings.extra names it.
APP_BRIDGE_SETTING = "APP_BRIDGE_URL"
POLARIS_SETTING = "POLARIS_URL"  # empty: no Polaris script (the sandbox, offline)
_NO_STORE = {"Cache-Control": "no-store"}

_UNSIGNED = ("<!doctype html><html lang=en><meta charset=utf-8>"
             "<meta name=viewport content='width=device-width,initial-scale=1'>"
             "<title>Subscription portal</title><h1>Subscription portal</h1>"
             "<p>Open this app from your Shopify admin, or install it from Shopify.</p></html>")


def app_bridge_url(settings: Settings) -> str:
    return settings.extra.get(APP_BRIDGE_SETTING, APP_BRIDGE_URL)


def _frame_headers(settings: Settings, shop: str) -> dict[str, str]:
    # Embedded in the admin: only the shop's admin may frame these pages. The shop's origin is
    # `https://{shop}`, or the sandbox's stand-in admin (SHOPIFY_ADMIN_ORIGIN).
    parts = urlsplit(shop_origin(settings, shop))
    csp = f"frame-ancestors {parts.scheme}://{parts.netloc} https://admin.shopify.com;"
    return {"Content-Security-Policy": csp, **_NO_STORE}


def _without_id_token(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k != "id_token"]


def bounce_location(request: Request) -> str:
    """`/auth/session-token?<query without id_token>&shopify-reload=<path?query>`."""
    pairs = _without_id_token(request)
    reload_target = request.url.path + (f"?{urlencode(pairs)}" if pairs else "")
    return f"{BOUNCE_PATH}?{urlencode([*pairs, (RELOAD_PARAMETER, reload_target)])}"


async def app_home(request: Request) -> Response:
    state = app_state(request)
    settings = state.settings
    params = request.query_params
    if settings.sandbox or "shop" not in params:
        return HTMLResponse(_UNSIGNED, headers=_NO_STORE)
    shop_domain = require_shop_domain(params["shop"])  # 400 invalid_shop: never redirected to
    id_token = params.get("id_token", "")
    if not id_token:
        if params.get("embedded") == "1":
            return RedirectResponse(bounce_location(request), status_code=302)
        # Opened outside the admin: the admin embeds the app (and installs it if needed).
        return RedirectResponse(flow.app_url_in_admin(settings, shop_domain), status_code=302)
    now = request_time(request)
    assert settings.api_key is not None  # not sandbox
    try:
        claims = verify_session_token(id_token, client_id=settings.api_key,
                                      secret=settings.secrets, now=now)
    except InvalidSessionToken:
        return RedirectResponse(bounce_location(request), status_code=302)
    if claims.shop != shop_domain:
        # `shop` and the token name two shops: neither is shown (a bounce would loop).
        return HTMLResponse(_UNSIGNED, status_code=400, headers=_NO_STORE)
    try:
        shop = await token_exchange.ensure_installed(
            settings, state.admin, claims.shop, id_token, now=now)
    except OAuthExchangeFailed:
        return RedirectResponse(bounce_location(request), status_code=302)
    html = page.render(shop_name=shop.name or shop.domain, api_key=settings.api_key,
                       app_bridge_url=app_bridge_url(settings),
                       polaris_url=settings.extra.get(POLARIS_SETTING, page.POLARIS_URL))
    return HTMLResponse(html, headers=_frame_headers(settings, shop.domain))


async def session_token_bounce(request: Request) -> Response:
    """The bounce page: App Bridge alone, which reloads `shopify-reload` with a fresh token."""
    settings = app_state(request).settings
    shop_domain = normalize_shop_domain(request.query_params.get("shop", ""))
    target = request.query_params.get(RELOAD_PARAMETER, "")
    # Only a path of this app is reloaded: never another origin (`//evil`, `https://…`).
    if settings.sandbox or shop_domain is None or not target.startswith("/") or (
        target.startswith("//") or "\\" in target
    ):
        return HTMLResponse(_UNSIGNED, status_code=400, headers=_NO_STORE)
    html = page.bounce(api_key=settings.api_key or "", app_bridge_url=app_bridge_url(settings))
    return HTMLResponse(html, headers=_frame_headers(settings, shop_domain))


routes: list[BaseRoute] = [
    Route("/", app_home, methods=["GET"]),
    Route(BOUNCE_PATH, session_token_bounce, methods=["GET"]),
]
