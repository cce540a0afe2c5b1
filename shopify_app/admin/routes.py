"""The embedded admin's JSON API (`/admin/api/…`), called by the admin page's script.

Every endpoint: `require_admin_user` (App Bridge's session token), one service, a JSON answer.
Errors are problem+json. Tests pin the clock with `create_app(clock=...)`, as for the external API.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.admin import (
    cancel_report,
    catalog_settings,
    merchant_settings,
    reports,
    setup_status,
    support_links,
)
from shopify_app.admin.guard import AdminUser, require_admin_user
from shopify_app.errors import BadRequest
from shopify_app.http import errors
from shopify_app.http.bodies import read_body
from shopify_app.keys import api_keys
from shopify_app.links import minting
from shopify_app.links.customers import parse_customer_id
from shopify_app.state import app_state, request_time

PREFIX = "/admin/api"
MAX_BODY = 16 * 1024
_NO_STORE = {"Cache-Control": "no-store"}

# Errors under this prefix are problem+json whatever the Accept header says.
errors.register_page_renderer(f"{PREFIX}/", lambda request, error: errors.problem(error))


async def _user(request: Request) -> AdminUser:
    return await require_admin_user(request, app_state(request).settings, request_time(request))


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=_NO_STORE)


async def _object_body(request: Request) -> dict[str, Any]:
    raw = await read_body(request, MAX_BODY, "request body")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("The body is not JSON.", code="invalid_json") from None
    if not isinstance(body, dict):
        raise BadRequest("The body is a JSON object.", code="invalid_json")
    return body


async def get_settings(request: Request) -> Response:
    user = await _user(request)
    return _json(merchant_settings.view(user.shop))


async def put_settings(request: Request) -> Response:
    user = await _user(request)
    view = await merchant_settings.update(user.shop, await _object_body(request))
    # Cached API keys carry their shop (and its rate limit): the next mint reloads it.
    app_state(request).keys.clear()
    return _json(view)


async def list_keys(request: Request) -> Response:
    user = await _user(request)
    keys = await api_keys.list_keys(user.shop)
    return _json({"api_keys": [api_keys.describe(k) for k in keys]})


async def create_key(request: Request) -> Response:
    user = await _user(request)
    name = (await _object_body(request)).get("name")
    if not isinstance(name, str):
        raise api_keys.InvalidKeyName("Give the key a name.", extra={"field": "name"})
    key, raw = await api_keys.create_key(user.shop, name)
    # The only time the key is shown: the merchant copies it now.
    return _json({**api_keys.describe(key), "key": raw}, status=201)


async def revoke_key(request: Request) -> Response:
    user = await _user(request)
    raw_id = request.path_params["key_id"]
    if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 12:
        raise api_keys.ApiKeyNotFound("There is no such API key.")
    now = request_time(request)
    key = await api_keys.revoke_shop_key(user.shop, int(raw_id), now, app_state(request).keys)
    return _json(api_keys.describe(key))


def _single(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise reports.InvalidParameter(f"Send {name} once.", extra={"field": name})
    return values[0] if values else None


async def stats(request: Request) -> Response:
    user = await _user(request)
    days = reports.parse_bound(
        _single(request, "days"), name="days", default=30, maximum=reports.MAX_DAYS
    )
    now = request_time(request)
    # Mint counts buffered in this process are written first: the merchant sees them now.
    await app_state(request).mints.flush(now)
    return _json(await reports.link_statistics(user.shop, days=days, now=now))


async def cancellations(request: Request) -> Response:
    user = await _user(request)
    limit = reports.parse_bound(
        _single(request, "limit"), name="limit", default=50,
        maximum=reports.MAX_CANCELLATIONS,
    )
    rows = await reports.recent_cancellations(user.shop, limit=limit)
    reasons = await reports.cancellation_reasons(user.shop)
    return _json({"cancellations": rows, "reasons": reasons})


async def cancel_flow_report(request: Request) -> Response:
    user = await _user(request)
    days = reports.parse_bound(
        _single(request, "days"), name="days", default=30, maximum=reports.MAX_DAYS
    )
    return _json(await cancel_report.cancel_flow_report(user.shop, days=days,
                                                        now=request_time(request)))


async def status(request: Request) -> Response:
    user = await _user(request)
    return _json(await setup_status.setup_status(user.shop))


async def find_customers(request: Request) -> Response:
    user = await _user(request)
    query = _single(request, "q") or ""
    return _json({"customers": await support_links.find_customers(user.shop, query)})


async def find_products(request: Request) -> Response:
    user = await _user(request)
    query = _single(request, "q") or ""
    found = await catalog_settings.search_products(app_state(request).admin, user.shop, query)
    return _json({"products": found})


async def find_collections(request: Request) -> Response:
    user = await _user(request)
    query = _single(request, "q") or ""
    found = await catalog_settings.search_collections(app_state(request).admin, user.shop, query)
    return _json({"collections": found})


async def customer_link(request: Request) -> Response:
    user = await _user(request)
    customer_id = parse_customer_id(request.path_params["customer_id"])
    state = app_state(request)
    minter = minting.Minter(state.keyring, 0, state.mints.add, state.customers)
    link = await support_links.link_for(state.admin, user.shop, customer_id, minter,
                                        now=request_time(request))
    return _json(link, status=201)


routes: list[BaseRoute] = [
    Route(f"{PREFIX}/settings", get_settings, methods=["GET"]),
    Route(f"{PREFIX}/settings", put_settings, methods=["PUT"]),
    Route(f"{PREFIX}/api-keys", list_keys, methods=["GET"]),
    Route(f"{PREFIX}/api-keys", create_key, methods=["POST"]),
    Route(f"{PREFIX}/api-keys/{{key_id}}", revoke_key, methods=["DELETE"]),
    Route(f"{PREFIX}/stats", stats, methods=["GET"]),
    Route(f"{PREFIX}/cancellations", cancellations, methods=["GET"]),
    Route(f"{PREFIX}/cancel-flow/report", cancel_flow_report, methods=["GET"]),
    Route(f"{PREFIX}/status", status, methods=["GET"]),
    Route(f"{PREFIX}/customers", find_customers, methods=["GET"]),
    Route(f"{PREFIX}/products", find_products, methods=["GET"]),
    Route(f"{PREFIX}/collections", find_collections, methods=["GET"]),
    Route(f"{PREFIX}/customers/{{customer_id}}/link", customer_link, methods=["POST"]),
]
