"""The cheapest refusals, answered 429 before routing: a key this process found over its limit,
and unknown keys from an address whose unknown-key budget is spent.

Once `Limiter.consume` finds a key's shared window exhausted, nothing can be admitted until the
minute ends, so the guard records the key's digest (`rate_limits.Blocked`). Until then this
outermost middleware answers the key's requests with the very bytes the guard would send
(`send_problem`: the same problem body, `Retry-After` and `RateLimit-*` headers, plus
`nosniff`), without Starlette's routing, a `Request`, the key cache's lookup or an exception: a
flood from an over-limit key costs about what the server's own HTTP handling costs, so it does
not slow other keys' mints more than its share of connections. The same for a flood of random
keys from one address once `guard.AddressThrottle` refuses it: a key this process knows
anything of (served, refused or accepted lately) is still left to the guard, as the guard
itself does.

Nothing weaker than the guard: only a request with exactly one `X-API-Key` header is answered
here (the deprecated query key and anything unusual take the normal path); an entry is dropped
when its minute ends and when the key cache's generation moves: a revocation or uninstall in
this process, or one the cross-process change signal reports (read here as the key cache reads
it), so a revoked key gets its 401 on the very next request, as before.
"""

from __future__ import annotations

import functools
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from shopify_app.api import rate_limits
from shopify_app.api.guard import AddressThrottle, problem_parts
from shopify_app.errors import RateLimited
from shopify_app.http.client_address import client_address
from shopify_app.keys.api_keys import hash_key
from shopify_app.state import AppState

API_PREFIX = "/api/external/"
_API_KEY = b"x-api-key"
_NOSNIFF = (b"x-content-type-options", b"nosniff")


def _bytes(error: RateLimited) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """(headers, body) of `error` as `guard.send_problem` writes them, with `nosniff` (this
    middleware sits outside `SecurityHeaders`)."""
    headers, body = problem_parts(error)
    return [*headers, _NOSNIFF], body


@functools.lru_cache(maxsize=512)
def _over_limit(limit: int, reset: int) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """A key over its limit, `reset` s before its window ends: made once per limit and second."""
    return _bytes(rate_limits.refusal(limit, reset))


@functools.lru_cache(maxsize=8)
def _throttled(throttle: AddressThrottle) -> tuple[list[tuple[bytes, bytes]], bytes]:
    return _bytes(throttle.refusal())


class RefusalGate:
    """Outermost middleware: answers a blocked key's API requests before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            found = await _early_answer(scope)
            if found is not None:
                headers, body = found
                # A copy: the made-once list must not see what wrappers of `send` might append.
                await send({"type": "http.response.start", "status": 429,
                            "headers": list(headers)})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


Answer = tuple[list[tuple[bytes, bytes]], bytes]


async def _early_answer(scope: Scope) -> Answer | None:
    """The guard's 429 when it is certain without routing: a key this process found over its
    limit, or an address whose unknown-key budget is spent sending a key this process knows
    nothing of. None (the normal path decides) in every other case."""
    shared: dict[str, Any] | None = scope.get("state")
    if shared is None:
        return None
    limiter, throttle = shared.get("api_limiter"), shared.get("api_address_throttle")
    blocked = isinstance(limiter, rate_limits.Limiter) and bool(limiter.blocked)
    throttling = isinstance(throttle, AddressThrottle) and bool(throttle)
    state = shared.get("app_state")
    if not (blocked or throttling) or not isinstance(state, AppState):
        return None
    keys = state.keys
    values = [value for name, value in scope["headers"] if name == _API_KEY]
    raw = values[0].decode("latin-1").strip() if len(values) == 1 else ""
    if not raw:
        return None
    digest, now = hash_key(raw), state.clock()
    answer: Answer | None = None
    if isinstance(limiter, rate_limits.Limiter) and blocked:
        found = limiter.blocked.refusal(digest, now, keys.generation)
        answer = _over_limit(*found) if found is not None else None
    if (answer is None and isinstance(throttle, AddressThrottle) and throttling
            and not keys.holds(digest)
            and throttle.refuses(client_address(scope, state.settings.forwarded_allow_ips), now)):
        answer = _throttled(throttle)
    # Only a request about to be refused here asks the change signal (a mint of another key
    # never does, so it is not read twice on its path). A change: the key cache forgets, as
    # it would itself, and the normal path decides (a revoked key gets its 401).
    if answer is not None and not keys.watch.quiet() and await keys.watch.changed():
        keys.clear()
        return None
    return answer
