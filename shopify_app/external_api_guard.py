"""The external API's guard: a request becomes an authenticated, rate-limited `ApiCaller`.

The key comes from `X-API-Key`; the deprecated `api_key` query parameter still works (keys in
URLs end up in logs and browser histories), and every answer to such a request, errors
included, says so with `Deprecation`, `Sunset` and a `Link` to the documentation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from shopify_app import api_keys
from shopify_app.api_keys import KeyCache
from shopify_app.customers import KnownCustomers
from shopify_app.errors import AppError
from shopify_app.link_requests import single
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
    the batched rate limiter, the buffered mint counter and the known customers."""

    keys: KeyCache
    limiter: Limiter
    mints: MintCounter
    customers: KnownCustomers


def runtime(request: Request) -> Runtime:
    """The app's `Runtime`, made on first use (held on `app.state.external_api`)."""
    found: Runtime | None = getattr(request.app.state, "external_api", None)
    if found is None:
        found = Runtime(KeyCache(), Limiter(), MintCounter(), KnownCustomers())
        request.app.state.external_api = found
    return found


@dataclass(frozen=True, slots=True)
class ApiCaller:
    key: ApiKey
    shop: Shop
    quota: Quota
    via_query: bool

    def headers(self) -> dict[str, str]:
        """Headers every answer to this caller carries (rate limit, deprecation)."""
        extra = DEPRECATION_HEADERS if self.via_query else {}
        return {**self.quota.headers(), **extra}


async def require_api_caller(request: Request, now: datetime) -> ApiCaller:
    """Authenticate the key, then count the request against the key's per-minute limit."""
    header = request.headers.getlist(API_KEY_HEADER)
    via_query = False
    try:
        if len(header) > 1:
            raise api_keys.InvalidApiKey("Send exactly one X-API-Key header.")
        if header:
            raw: str | None = header[0]
        else:
            via_query = DEPRECATED_QUERY_PARAMETER in request.query_params
            raw = single(request.query_params.multi_items(), DEPRECATED_QUERY_PARAMETER)
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


# Starlette's `JSONResponse` calls `json.dumps(..., separators=...)`, which builds an encoder per
# response; this one is built once and writes the same bytes.
_encode_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def json_answer(body: Mapping[str, Any], headers: Mapping[str, str]) -> Response:
    """A JSON response, byte for byte what `JSONResponse(body, headers=headers)` sends."""
    return Response(_encode_json(body).encode("utf-8"), headers=headers,
                    media_type="application/json")
