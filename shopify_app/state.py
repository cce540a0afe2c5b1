"""Typed lifespan state: what every request can reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from starlette.requests import Request

from shopify_app.settings import Settings

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient


@dataclass(frozen=True)
class AppState:
    settings: Settings
    http: httpx.AsyncClient
    admin: AdminClient


def app_state(request: Request) -> AppState:
    """The lifespan's state, from any endpoint. (Starlette's `State.__getattr__` costs ~0.5 us
    a lookup: the mint path reads the dict directly.)"""
    state: AppState = request.app.state._state["app_state"]
    return state
