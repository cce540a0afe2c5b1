"""Typed lifespan state: what every request can reach.

`app.py`'s lifespan makes one `AppState` per app (per process): the shared HTTP client and Admin
API client, the token keyring, and the per-process helpers that keep hot paths off the database
(the API key cache, the buffered mint counter, the customers known to exist). Surfaces read it with
`app_state(request)`; each surface's own per-process helpers stay in its package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

import httpx
from starlette.requests import Request

from shopify_app.keys.api_keys import KeyCache
from shopify_app.links.customers import KnownCustomers
from shopify_app.links.keyring import Keyring, keyring_from_settings
from shopify_app.links.stats import MintCounter
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppState:
    settings: Settings
    http: httpx.AsyncClient
    admin: AdminClient
    keys: KeyCache = field(default_factory=KeyCache)
    mints: MintCounter = field(default_factory=MintCounter)
    customers: KnownCustomers = field(default_factory=KnownCustomers)
    clock: Callable[[], datetime] = utc_now  # tests inject theirs

    @cached_property
    def keyring(self) -> Keyring:
        """The keys of link and session tokens, built at first use (an app without a secret
        serves no token; `create_app` has already checked PORTAL_TOKEN_KEYS)."""
        return keyring_from_settings(self.settings)


def app_state(request: Request) -> AppState:
    """The lifespan's state, from any endpoint: from the scope's copy of the lifespan state (a
    dict read; `app.state`'s attribute lookup costs ~1 us, and the mint asks several times),
    else from the app (a server without lifespan state)."""
    shared = request.scope.get("state")
    found = shared.get("app_state") if shared is not None else None
    if isinstance(found, AppState):
        return found
    state: AppState = request.app.state.app_state
    return state


def request_time(request: Request) -> datetime:
    """Now, by the app's clock (`create_app(clock=...)`)."""
    return app_state(request).clock()
