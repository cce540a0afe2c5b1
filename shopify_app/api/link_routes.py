"""The external API (`/api/external/v2/…`): magic links for integrators (Klaviyo, helpdesks…).

Every endpoint: `require_api_caller` (key + rate limit), one service call, a JSON answer. The
caller's headers (`RateLimit-*`, deprecation) ride on successes and errors alike.

Tests pin the clock with `create_app(clock=...)`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from shopify_app.api.guard import (
    ApiCaller,
    require_api_caller,
    send_json,
    send_problem,
)
from shopify_app.api.openapi import openapi_document
from shopify_app.api.parameters import (
    Params,
    parse_customer,
    parse_options,
    parse_target,
    query_pairs,
)
from shopify_app.errors import AppError
from shopify_app.links import minting, revocation
from shopify_app.links.customers import parse_customer_id
from shopify_app.state import app_state, request_time

PREFIX = "/api/external/v2"
Action = Callable[[Request, ApiCaller, datetime, Params], Awaitable[dict[str, Any]]]
_NO_STORE = [(b"cache-control", b"no-store")]


# Memoised: links minted in the same second expire in the same second (~1.3 us a mint).
@functools.lru_cache(maxsize=256)
def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Endpoint:
    """An ASGI endpoint running `action` for an authenticated, rate-limited caller.

    Not a plain `async def endpoint(request)`: Starlette wraps those in a Request/Response layer
    with its own exception wrapper, ~5 us a call, a tenth of a mint's server time. An `AppError`
    raised here reaches the app's `ExceptionMiddleware`, which renders it with the same
    handlers, so errors look exactly as before."""

    __slots__ = ("action",)

    def __init__(self, action: Action) -> None:
        self.action = action

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        params = query_pairs(scope["query_string"])  # once: the guard and the action share it
        now = request_time(request)
        try:
            caller = await require_api_caller(request, now, params)
        except AppError as exc:
            await send_problem(send, exc)  # the answer the error handler gives, cheaper
            return
        try:
            body = await self.action(request, caller, now, params)
        except AppError as exc:
            exc.headers.update(caller.headers())
            raise
        # The body holds a bearer link: no cache may keep it.
        await send_json(send, body, caller.raw_headers() + _NO_STORE)


async def _mint(
    request: Request, caller: ApiCaller, now: datetime, params: Params,
    customer_id: int | None, email: str | None,
) -> tuple[minting.MintedLink, minting.MintOptions]:
    state = app_state(request)
    options = parse_options(params)
    minter = minting.Minter(
        state.keyring, caller.key.id, state.mints.add, state.customers
    )
    if customer_id is not None:
        link = await minting.mint_link(
            state.admin, caller.shop, customer_id, options, minter, now=now
        )
    else:
        assert email is not None
        link = await minting.mint_link_for_email(
            state.admin, caller.shop, email, options, minter, now=now
        )
    return link, options


async def _link_by_path(
    request: Request, caller: ApiCaller, now: datetime, params: Params
) -> dict[str, Any]:
    customer_id = parse_customer_id(request.scope["path_params"]["customerId"])
    link, options = await _mint(request, caller, now, params, customer_id, None)
    body = {
        "manageSubscriptionLink": link.url,
        "tokenExpirationTime": _iso(link.expires_at),
        "expiresInMinutes": minting.lifetime_minutes(caller.shop, options),
        "customerId": link.customer_id,
        "portalUrl": link.portal_url,
    }
    if link.short_url is not None:
        body["shortLink"] = link.short_url
    return body


async def _link_by_query(
    request: Request, caller: ApiCaller, now: datetime, params: Params
) -> dict[str, Any]:
    target = parse_target(params)
    link, _ = await _mint(request, caller, now, params, target.customer_id, target.email)
    body = {"manageSubscriptionLink": link.url, "tokenExpirationTime": _iso(link.expires_at)}
    if link.short_url is not None:
        body["shortLink"] = link.short_url
    return body


async def _revoke(
    request: Request, caller: ApiCaller, now: datetime, params: Params
) -> dict[str, Any]:
    customer_id = parse_customer(params)
    state = app_state(request)
    cutoff = await revocation.revoke_customer_links(state.admin, caller.shop, customer_id, now)
    return {"customerId": customer_id, "linksValidAfter": _iso_ms(cutoff)}


def _iso_ms(moment: datetime) -> str:
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


link_by_path = _Endpoint(_link_by_path)
link_by_query = _Endpoint(_link_by_query)
revoke = _Endpoint(_revoke)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(), headers={"Cache-Control": "public, max-age=300"})


# The mint by path first: the router tries routes in order (~0.7 us each), and it is the
# busiest. Order is otherwise free: POST .../revoke is only a PARTIAL (method) match for the
# GET-only path route, so the router goes on to the revoke route, as before; a GET .../revoke
# is the path route's (an invalid customer id), as before.
routes: list[BaseRoute] = [
    # `:path` so an unencoded `gid://shopify/Customer/1` reaches the id parser in one piece.
    Route(f"{PREFIX}/manage-subscription-link/{{customerId:path}}", link_by_path, methods=["GET"]),
    Route(f"{PREFIX}/manage-subscription-link", link_by_query, methods=["GET"]),
    Route(f"{PREFIX}/manage-subscription-link/revoke", revoke, methods=["POST"]),
    Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
]
