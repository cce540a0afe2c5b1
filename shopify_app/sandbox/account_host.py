"""The sandbox's customer account pages: each loads one built UI extension bundle in a small
host that gives it what Shopify's runtime would (`static/extension_host.js`).

`/account/subscriptions` hosts `customer-account.page.render` (extensions/customer-portal),
`/account/orders` the orders-page block (extensions/customer-portal-link). The bundle calls the
app's real `/customer-account/api/…` across origins, with a session token this storefront
mints at `POST /account/session-token` exactly as Shopify does for new customer accounts
(HS256 with the app secret, `aud` = client id, `dest` = shop, `sub` = the customer's gid), for
the customer signed in at `/account/login`.
"""

from __future__ import annotations

import json
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import jwt
from jwt.warnings import InsecureKeyLengthWarning
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

EXTENSIONS_DIR = Path(__file__).resolve().parents[2] / "extensions"
HOST_SCRIPT = Path(__file__).resolve().parent / "static" / "extension_host.js"
TOKEN_TTL_SECONDS = 300  # Shopify's customer account session tokens last five minutes
LOCALES = ("en", "fr")


@dataclass(frozen=True)
class HostedExtension:
    handle: str
    target: str
    path: str  # the storefront page that hosts it
    title: str


PAGES = {
    "customer-portal": HostedExtension(
        "customer-portal", "customer-account.page.render", "/account/subscriptions", "Subscriptions"
    ),
    "customer-portal-link": HostedExtension(
        "customer-portal-link",
        "customer-account.order-index.block.render",
        "/account/orders",
        "Orders",
    ),
}


@dataclass(frozen=True)
class AccountHostConfig:
    shop: str  # the myshopify domain the tokens name
    client_id: str
    secret: str
    app_url: str  # where the bundle's backend calls go
    logged_in: Callable[[Request], int | None]  # the storefront's signed-in customer
    now: Callable[[], float] = time.time
    extensions_dir: Path = EXTENSIONS_DIR


def mint_session_token(config: AccountHostConfig, customer_id: int) -> tuple[str, int]:
    """A session token as Shopify gives customer account extensions, and its expiry."""
    issued = int(config.now())
    claims = {
        "dest": config.shop,
        "aud": config.client_id,
        "sub": f"gid://shopify/Customer/{customer_id}",
        "exp": issued + TOKEN_TTL_SECONDS,
        "nbf": issued,
        "iat": issued,
        "jti": str(uuid.uuid4()),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)  # a test secret may be short
        return jwt.encode(claims, config.secret, algorithm="HS256"), issued + TOKEN_TTL_SECONDS


def _locale(request: Request) -> str:
    wanted = request.query_params.get("locale", "")
    if wanted in LOCALES:
        return wanted
    accepted = request.headers.get("accept-language", "")[:2].lower()
    return accepted if accepted in LOCALES else "en"


def _translations(config: AccountHostConfig, handle: str, locale: str) -> object:
    folder = config.extensions_dir / handle / "locales"
    path = folder / ("en.default.json" if locale == "en" else f"{locale}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _script_json(value: object) -> str:
    # Inside <script>, "</" would end the element: escape it (and <!-- for old parsers).
    return json.dumps(value).replace("</", "<\\/").replace("<!--", "<\\!--")


NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Extension not built</title>
<h1>The customer account extension is not built</h1>
<p>Run <code>make extensions-build</code> (needs npm), then reload this page.</p>"""

HOST_PAGE = """<!doctype html>
<html lang="{locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; background: #f1f1f1; color: #303030;
  font: 16px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; }}
</style>
<script type="application/json" id="extension-config">{config}</script>
<script src="/account/extension-host.js"></script>
<script src="/account/extensions/{handle}.js"></script>
</head>
<body></body>
</html>
"""


def build_routes(config: AccountHostConfig) -> list[BaseRoute]:
    def bundle_path(handle: str) -> Path:
        return config.extensions_dir / handle / "dist" / f"{handle}.js"

    def host(extension: HostedExtension) -> Callable[[Request], Awaitable[Response]]:
        async def page(request: Request) -> Response:
            if config.logged_in(request) is None:
                return RedirectResponse(f"/account/login?return_url={extension.path}", 303)
            if not bundle_path(extension.handle).is_file():
                return HTMLResponse(NOT_BUILT, status_code=503)
            locale = _locale(request)
            settings = {
                "target": extension.target,
                "locale": locale,
                "translations": _translations(config, extension.handle, locale),
                "tokenUrl": "/account/session-token",
                "pages": {handle: hosted.path for handle, hosted in PAGES.items()},
            }
            body = HOST_PAGE.format(
                locale=locale,
                title=extension.title,
                config=_script_json(settings),
                handle=extension.handle,
            )
            return HTMLResponse(body, headers={"Cache-Control": "no-store"})

        return page

    async def session_token(request: Request) -> Response:
        customer_id = config.logged_in(request)
        if customer_id is None:
            return JSONResponse({"error": "not signed in"}, status_code=401)
        token, expires_at = mint_session_token(config, customer_id)
        return JSONResponse({"token": token, "expiresAt": expires_at},
                            headers={"Cache-Control": "no-store"})

    async def bundle(request: Request) -> Response:
        handle = request.path_params["handle"]
        path = bundle_path(handle) if handle in PAGES else None
        if path is None or not path.is_file():
            return Response("not built", status_code=404, media_type="text/plain")
        code = path.read_text(encoding="utf-8")
        # The bundle has the app URL it was built with (SHOPIFY_APP_URL at build time, like a
        # deploy); this sandbox's app may listen elsewhere, so point it here.
        manifest = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))
        built_for = json.dumps(manifest["appUrl"])
        code = code.replace(built_for, json.dumps(config.app_url.rstrip("/")))
        return Response(code, media_type="text/javascript", headers={"Cache-Control": "no-store"})

    async def host_script(request: Request) -> Response:
        return Response(HOST_SCRIPT.read_text(encoding="utf-8"), media_type="text/javascript")

    return [
        *(Route(p.path, host(p), methods=["GET"]) for p in PAGES.values()),
        Route("/account/session-token", session_token, methods=["POST"]),
        Route("/account/extensions/{handle:str}.js", bundle, methods=["GET"]),
        Route("/account/extension-host.js", host_script, methods=["GET"]),
    ]
