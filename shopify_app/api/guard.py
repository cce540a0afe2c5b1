"""The external API's guard: a request becomes an authenticated, rate-limited `ApiCaller`.

The key comes from `X-API-Key`; the deprecated `api_key` query parameter still works (keys in
URLs end up in logs and browser histories), and every answer to such a request, errors
included, says so with `Deprecation`, `Sunset` and a `Link` to the documentation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Send

from shopify_app.api.parameters import Params, single
from shopify_app.api.rate_limits import Limiter, Quota
from shopify_app.errors import AppError, RateLimited
from shopify_app.http.client_address import client_address
from shopify_app.keys import api_keys
from shopify_app.state import app_state
from shopify_app.storage.models import ApiKey, Shop

API_KEY_HEADER = "X-API-Key"
DEPRECATED_QUERY_PARAMETER = "api_key"
SUNSET = "Wed, 30 Jun 2027 00:00:00 GMT"
DEPRECATION_HEADERS = {
    "Deprecation": "true",
    "Sunset": SUNSET,
    "Link": '</api/external/v2/openapi.json>; rel="deprecation"; type="application/json"',
}


# Per client address, lookups of keys this process does not know that turn out invalid: a
# burst, then one a second. Past it the address gets 429 before any query, so a flood of random
# keys cannot reach the database (a key this process knows is served whatever its address).
UNKNOWN_KEY_BURST = 20
UNKNOWN_KEY_REFILL_SECONDS = 1.0
_ADDRESSES_REMEMBERED = 10_000


class AddressThrottle:
    """A token bucket per client address, spent by failed key lookups."""

    def __init__(self, burst: int = UNKNOWN_KEY_BURST,
                 refill_seconds: float = UNKNOWN_KEY_REFILL_SECONDS) -> None:
        self.burst = burst
        self.refill_seconds = refill_seconds
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, at)

    def _tokens(self, address: str, at: float) -> float:
        tokens, then = self._buckets.get(address, (float(self.burst), at))
        return min(float(self.burst), tokens + max(0.0, at - then) / self.refill_seconds)

    def __bool__(self) -> bool:
        """Has any address spent part of its budget lately?"""
        return bool(self._buckets)

    def refuses(self, address: str, now: datetime) -> bool:
        """Is the address's budget spent (so `check` raises)?"""
        return self._tokens(address, now.timestamp()) < 1

    def refusal(self) -> RateLimited:
        wait = max(1, int(self.refill_seconds + 0.999))
        return RateLimited("Too many invalid API keys from this address. Retry later.",
                           retry_after=wait)

    def check(self, address: str, now: datetime) -> None:
        if self.refuses(address, now):
            raise self.refusal()

    def spend(self, address: str, now: datetime) -> None:
        at = now.timestamp()
        if len(self._buckets) >= _ADDRESSES_REMEMBERED:
            self._buckets.clear()
        self._buckets[address] = (self._tokens(address, at) - 1, at)


def start_limiter(app: Starlette) -> Limiter:
    """The app's per-process rate limiter and unknown-key throttle (made by the lifespan)."""
    limiter = Limiter()
    app.state.api_limiter = limiter
    app.state.api_address_throttle = AddressThrottle()
    return limiter


async def _authenticate(request: Request, raw: str, now: datetime) -> ApiKey:
    """The key from the process's memory, else (unless the address is throttled) from the
    database; a refused lookup spends the address's budget."""
    state = app_state(request)
    key = await state.keys.cached(raw, now)
    if key is not None:
        return key
    throttle: AddressThrottle = request.app.state.api_address_throttle
    address = client_address(request.scope, state.settings.forwarded_allow_ips)
    if not state.keys.accepted_lately(raw):
        throttle.check(address, now)
    try:
        return await state.keys.load(raw, now)
    except api_keys.InvalidApiKey:
        throttle.spend(address, now)
        raise


def _limiter(request: Request) -> Limiter:
    """The lifespan's limiter, from the scope's copy of the lifespan state when the server
    gives one (a dict read, ~3 us cheaper on the mint's path than `app.state`)."""
    shared = request.scope.get("state")
    found = shared.get("api_limiter") if shared is not None else None
    if isinstance(found, Limiter):
        return found
    limiter: Limiter = request.app.state.api_limiter
    return limiter


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
        raw = (raw or "").strip()
        key = await _authenticate(request, raw, now)
        shop = key.shop  # a property of the ORM's: read once
        limiter = _limiter(request)
        try:
            quota = await limiter.consume(key.id, shop.mint_rate_limit, now)
        except RateLimited:
            if header:  # until the window ends, answered before routing (api.refusal_gate)
                limiter.blocked.block(api_keys.hash_key(raw), now, max(1, shop.mint_rate_limit),
                                      app_state(request).keys.generation)
            raise
    except AppError as exc:
        if exc.status == 401:
            # RFC 9110: a 401 names the way to authenticate.
            exc.headers.setdefault("WWW-Authenticate", f'ApiKey header="{API_KEY_HEADER}"')
        if via_query:
            exc.headers.update(DEPRECATION_HEADERS)
        raise
    return ApiCaller(key, shop, quota, via_query)  # positional: cheaper to build


_JSON = [(b"content-type", b"application/json")]
_PROBLEM = [(b"content-type", b"application/problem+json")]


def problem_parts(error: AppError) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """(headers, body) of `http.errors.problem(error)`, as ASGI header pairs and bytes."""
    body = {"type": "about:blank", "title": error.title, "status": error.status,
            "detail": error.detail, "code": error.code, **error.extra}
    content = orjson.dumps(body)
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in error.headers.items()]
    headers += [(b"content-length", str(len(content)).encode("latin-1")), *_PROBLEM]
    return headers, content


async def send_problem(send: Send, error: AppError) -> None:
    """The bytes `http.errors.problem(error)` answers, sent without the exception travelling
    through Starlette's middleware and a Response object: refusals (401, 429) must cost less
    than the mints they refuse."""
    headers, content = problem_parts(error)
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


async def send_json(
    send: Send, body: Mapping[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    """Answer 200 with `body` as JSON: the bytes and headers `JSONResponse(body, headers=...)`
    sends (compact, UTF-8), without building a Response object per request."""
    content = orjson.dumps(body)
    headers = [*headers, (b"content-length", str(len(content)).encode("latin-1")), *_JSON]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": content})
