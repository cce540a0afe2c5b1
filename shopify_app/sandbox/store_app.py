"""The simulated store over HTTP, under `/shops/{shop}` (what `SHOPIFY_ADMIN_ORIGIN` points at):

- `POST /admin/api/{version}/graphql.json`: Admin GraphQL, `X-Shopify-Access-Token` required;
- `POST /admin/oauth/access_token`: authorization-code and refresh-token grants;
- `GET /admin/oauth/authorize`: approves at once and redirects back with a signed code;
- the stand-in admin around the embedded app (`sandbox.admin_host`), when given the app's URL.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from shopify_app.sandbox.admin_host import admin_routes
from shopify_app.sandbox.oauth import GrantRefused
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.shopify.signatures import sign_oauth_query


def build_store_app(store: SimulatedStore, *, app_url: str | None = None) -> Starlette:
    """The store's HTTP face; with `app_url`, also the stand-in admin that embeds that app
    (`sandbox.admin_host`)."""
    def known_shop(request: Request) -> str | None:
        shop: str = request.path_params["shop"]
        return shop if shop in store.shops else None

    async def graphql(request: Request) -> Response:
        shop = known_shop(request)
        if shop is None:
            return PlainTextResponse("Not Found", status_code=404)
        token = request.headers.get("x-shopify-access-token", "")
        if not token or store.tokens.shop_of(token) != shop:
            errors = "[API] Invalid API key or access token (unrecognized login or wrong password)"
            return JSONResponse({"errors": errors}, status_code=401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"errors": "Invalid JSON in request body"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"errors": "Invalid JSON in request body"}, status_code=400)
        answer = store.graphql(shop, body)
        return JSONResponse(answer.body, status_code=answer.status, headers=dict(answer.headers))

    async def access_token(request: Request) -> Response:
        shop = known_shop(request)
        if shop is None:
            return PlainTextResponse("Not Found", status_code=404)
        form = await _form(request)
        try:
            return JSONResponse(store.tokens.grant(shop, form))
        except GrantRefused as refused:
            body = {"error": refused.error, "error_description": refused.description}
            return JSONResponse(body, status_code=400)

    async def authorize(request: Request) -> Response:
        """The merchant approves at once: back to `redirect_uri` with a code, signed like
        Shopify signs it (`hmac` over the sorted query, with the app's secret)."""
        shop = known_shop(request)
        client_id = request.query_params.get("client_id", "")
        secret = store.tokens.apps.get(client_id)
        redirect_uri = request.query_params.get("redirect_uri", "")
        if shop is None or secret is None or not redirect_uri:
            return PlainTextResponse("Unknown shop or app", status_code=400)
        pairs = [
            ("code", store.tokens.new_code(shop)),
            ("shop", shop),
            ("state", request.query_params.get("state", "")),
            ("timestamp", str(int(store.now().timestamp()))),
        ]
        pairs.append(("hmac", sign_oauth_query(pairs, secret)))
        return RedirectResponse(f"{redirect_uri}?{urlencode(pairs)}", status_code=302)

    prefix = "/shops/{shop}/admin"
    return Starlette(
        routes=[
            Route(prefix + "/api/{version}/graphql.json", graphql, methods=["POST"]),
            Route(prefix + "/oauth/access_token", access_token, methods=["POST"]),
            Route(prefix + "/oauth/authorize", authorize, methods=["GET"]),
            *(admin_routes(store, app_url) if app_url else []),
        ]
    )


async def _form(request: Request) -> dict[str, str]:
    """Shopify takes the grant as JSON or as a form."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data: Any = json.loads(await request.body())
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}
