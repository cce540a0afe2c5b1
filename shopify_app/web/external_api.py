"""The external API (`/api/external/v2/…`): magic links for integrators (Klaviyo, helpdesks…).

Every endpoint: `require_api_caller` (key + rate limit), one service call, a JSON answer. The
caller's headers (`RateLimit-*`, deprecation) ride on successes and errors alike.

Tests pin the clock by setting `app.state.clock` to a function returning an aware datetime.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app import links
from shopify_app.customers import parse_customer_id
from shopify_app.errors import AppError
from shopify_app.external_api_guard import (
    ApiCaller,
    Runtime,
    json_answer,
    require_api_caller,
    runtime,
)
from shopify_app.link_requests import MintOptions, parse_customer, parse_options, parse_target
from shopify_app.openapi import openapi_document
from shopify_app.portal_tokens import cached_keyring
from shopify_app.state import AppState

PREFIX = "/api/external/v2"
Action = Callable[[Request, ApiCaller, datetime], Awaitable[dict[str, Any]]]


def _state(request: Request) -> AppState:
    # Not `shopify_app.app.app_state`: app.py imports this module.
    state: AppState = request.app.state.app_state
    return state


def _now(request: Request) -> datetime:
    # Not getattr(state, "clock", None): State raises, slowly, for a missing attribute.
    clock: Callable[[], datetime] | None = request.app.state._state.get("clock")
    return clock() if clock is not None else datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def _answer(request: Request, action: Action) -> Response:
    now = _now(request)
    caller = await require_api_caller(request, now)
    try:
        body = await action(request, caller, now)
    except AppError as exc:
        exc.headers.update(caller.headers())
        raise
    # The body holds a bearer link: no cache may keep it.
    headers = {**caller.headers(), "Cache-Control": "no-store"}
    return json_answer(body, headers)


async def _mint(
    request: Request, caller: ApiCaller, now: datetime, customer_id: int | None, email: str | None
) -> tuple[links.MintedLink, MintOptions]:
    state = _state(request)
    helpers = runtime(request)
    options = parse_options(request.query_params.multi_items())
    common: dict[str, Any] = {
        "now": now,
        "expires_in_minutes": options.expires_in_minutes,
        "destination": options.destination,
        "source": options.source,
        "locale": options.locale,
        "api_key_id": caller.key.id,
        "keyring": cached_keyring(state.settings),
        "record": helpers.mints.add,
        "known": helpers.customers,
    }
    if customer_id is not None:
        link = await links.mint_link(state.admin, caller.shop, customer_id, **common)
    else:
        assert email is not None
        link = await links.mint_link_for_email(state.admin, caller.shop, email, **common)
    return link, options


async def _link_by_path(request: Request, caller: ApiCaller, now: datetime) -> dict[str, Any]:
    customer_id = parse_customer_id(request.path_params["customerId"])
    link, options = await _mint(request, caller, now, customer_id, None)
    return {
        "manageSubscriptionLink": link.url,
        "tokenExpirationTime": _iso(link.expires_at),
        "expiresInMinutes": options.expires_in_minutes,
        "customerId": link.customer_id,
        "portalUrl": link.portal_url,
    }


async def _link_by_query(request: Request, caller: ApiCaller, now: datetime) -> dict[str, Any]:
    target = parse_target(request.query_params.multi_items())
    link, _ = await _mint(request, caller, now, target.customer_id, target.email)
    return {"manageSubscriptionLink": link.url, "tokenExpirationTime": _iso(link.expires_at)}


async def _revoke(request: Request, caller: ApiCaller, now: datetime) -> dict[str, Any]:
    customer_id = parse_customer(request.query_params.multi_items())
    state = _state(request)
    cutoff = await links.revoke_customer_links(state.admin, caller.shop, customer_id, now)
    return {"customerId": customer_id, "linksValidAfter": _iso_ms(cutoff)}


def _iso_ms(moment: datetime) -> str:
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


async def link_by_path(request: Request) -> Response:
    return await _answer(request, _link_by_path)


async def link_by_query(request: Request) -> Response:
    return await _answer(request, _link_by_query)


async def revoke(request: Request) -> Response:
    return await _answer(request, _revoke)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(), headers={"Cache-Control": "public, max-age=300"})


async def shutdown(app: Starlette) -> None:
    """Write what the app's runtime still buffers (mint counts); called by the lifespan."""
    helpers: Runtime | None = getattr(app.state, "external_api", None)
    if helpers is not None:
        await helpers.mints.flush()


routes: list[BaseRoute] = [
    Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
    Route(f"{PREFIX}/manage-subscription-link", link_by_query, methods=["GET"]),
    Route(f"{PREFIX}/manage-subscription-link/revoke", revoke, methods=["POST"]),
    # `:path` so an unencoded `gid://shopify/Customer/1` reaches the id parser in one piece.
    Route(f"{PREFIX}/manage-subscription-link/{{customerId:path}}", link_by_path, methods=["GET"]),
]
