"""The external API's guard: a request becomes an authenticated, rate-limited `ApiCaller`.

The key comes from `X-API-Key`; the deprecated `api_key` query parameter still works (keys in
URLs end up in logs and browser histories), and every answer to such a request, errors
included, says so with `Deprecation`, `Sunset` and a `Link` to the documentation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Send

from shopify_app import api_keys
from shopify_app.api_keys import KeyCache
from shopify_app.customers import KnownCustomers
from shopify_app.errors import AppError
from shopify_app.link_requests import Params, single
from shopify_app.link_stats import MintCounter
from shopify_app.models import ApiKey, Shop
from shopify_app.rate_limits import Limiter, Quota

API_KEY_HEADER = "X-API-Key"
DEPRECATED_QUERY_PARAMETER = "api_key"
SUNSET = "Wed, 30 Jun 2027 00:00:00 GMT"
DEPRECATION_HEADERS = {
    "Deprecation": "true",
    "Sunset": SUNSET,
    "Link": '</api/external/v2/openapi.json>; rel="deprecation"; type="application/json"',
}


@dataclass(frozen=True)
class Runtime:
    """Per-app, per-process helpers that keep the hot path off the database: the key cache,
    the batched rate limiter, the buffered mint counter and the known customers. The lifespan
    makes one (`start_runtime`) and flushes it at shutdown (`stop_runtime`)."""

    keys: KeyCache
    limiter: Limiter
    mints: MintCounter
    customers: KnownCustomers


def start_runtime(app: Starlette) -> Runtime:
    found = Runtime(KeyCache(), Limiter(), MintCounter(), KnownCustomers())
    app.state.external_api = found
    return found


async def stop_runtime(app: Starlette) -> None:
    """Write what the runtime still buffers (mint counts) before the database closes."""
    await runtime_of(app).mints.flush()


def runtime_of(app: Starlette) -> Runtime:
    # `_state`: Starlette's `State.__getattr__` costs ~0.5 us a lookup, twice a mint.
    found: Runtime = app.state._state["external_api"]
    return found


def runtime(request: Request) -> Runtime:
    """The app's `Runtime` (made by the lifespan)."""
    return runtime_of(request.app)


class ApiCaller(NamedTuple):
    """(A named tuple: one is made per request, and a frozen dataclass costs more to make.)"""

    key: ApiKey
    shop: Shop
    quota: Quota
    via_query: bool

    def headers(self) -> dict[str, str]:
        """Headers every answer to this caller carries (rate limit, deprecation)."""
        extra = DEPRECATION_HEADERS if self.via_query else {}
        return {**self.quota.headers(), **extra}

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """`headers()` as ASGI header pairs (lower-case names), for `send_json`."""
        raw = self.quota.raw_headers()
        return raw + _RAW_DEPRECATION_HEADERS if self.via_query else raw


_RAW_DEPRECATION_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in DEPRECATION_HEADERS.items()
]
_API_KEY_HEADER = API_KEY_HEADER.lower().encode("latin-1")


async def require_api_caller(
    request: Request, now: datetime, params: Params | None = None
) -> ApiCaller:
    """Authenticate the key, then count the request against the key's per-minute limit.
    `params`: the query's (name, value) pairs when the caller has read them already."""
    header = [value for name, value in request.scope["headers"] if name == _API_KEY_HEADER]
    via_query = False
    try:
        if len(header) > 1:
            raise api_keys.InvalidApiKey("Send exactly one X-API-Key header.")
        if header:
            raw: str | None = header[0].decode("latin-1")
        else:
            if params is None:
                params = request.query_params.multi_items()
            via_query = any(name == DEPRECATED_QUERY_PARAMETER for name, _ in params)
            raw = single(params, DEPRECATED_QUERY_PARAMETER)
        helpers = runtime(request)
        key = await helpers.keys.authenticate((raw or "").strip(), now)
        quota = await helpers.limiter.consume(key.id, key.shop.mint_rate_limit, now)
    except AppError as exc:
        if exc.status == 401:
            # RFC 9110: a 401 names the way to authenticate.
            exc.headers.setdefault("WWW-Authenticate", f'ApiKey header="{API_KEY_HEADER}"')
        if via_query:
            exc.headers.update(DEPRECATION_HEADERS)
        raise
    return ApiCaller(key=key, shop=key.shop, quota=quota, via_query=via_query)


_JSON = [(b"content-type", b"application/json")]


async def send_json(
    send: Send, body: Mapping[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    """Answer 200 with `body` as JSON: the bytes and headers `JSONResponse(body, headers=...)`
    sends (compact, UTF-8), without building a Response object per request."""
    content = orjson.dumps(body)
    headers = [*headers, (b"content-length", str(len(content)).encode("latin-1")), *_JSON]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": content})
