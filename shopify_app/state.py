"""Typed lifespan state: what every request can reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from shopify_app.settings import Settings

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient


@dataclass(frozen=True)
class AppState:
    settings: Settings
    http: httpx.AsyncClient
    admin: AdminClient
