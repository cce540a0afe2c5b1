"""Async Admin GraphQL client over one shared `httpx.AsyncClient`.

SKELETON: the foundation work replaces the body of `_post` with retries/backoff on 429, 5xx,
THROTTLED and timeouts, and `credentials.access_token` with refresh-before-expiry. The public
surface below (`query`, `mutate`, `graphql_url`) is what the rest of the app relies on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from shopify_app.models import Shop
from shopify_app.settings import Settings
from shopify_app.shopify import operations
from shopify_app.shopify.errors import (
    ShopifyAuthFailed,
    ShopifyQueryError,
    ShopifyUnavailable,
    ShopifyUserErrors,
)


def shop_origin(settings: Settings, shop_domain: str) -> str:
    """`SHOPIFY_ADMIN_ORIGIN` with `{shop}` filled: `https://a.myshopify.com` in production."""
    return settings.admin_origin.replace("{shop}", shop_domain)


def graphql_url(settings: Settings, shop_domain: str) -> str:
    return f"{shop_origin(settings, shop_domain)}/admin/api/{settings.api_version}/graphql.json"


class AdminClient:
    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.settings = settings

    async def access_token(self, shop: Shop) -> str:
        if not shop.access_token:
            raise ShopifyAuthFailed(f"{shop.domain} has no access token")
        return shop.access_token

    async def query(
        self, shop: Shop, operation: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Run operation `operation` (a file in `operations/`) and return its `data`."""
        body = {"query": operations.load(operation), "variables": dict(variables or {})}
        token = await self.access_token(shop)
        try:
            response = await self.http.post(
                graphql_url(self.settings, shop.domain),
                json=body,
                headers={"X-Shopify-Access-Token": token},
                timeout=self.settings.shopify_timeout_seconds,
            )
        except httpx.HTTPError as exc:
            raise ShopifyUnavailable(f"Shopify did not answer ({type(exc).__name__})") from exc
        if response.status_code in (401, 403):
            raise ShopifyAuthFailed(f"Shopify refused the credentials of {shop.domain}")
        if response.status_code >= 400:
            raise ShopifyUnavailable(f"Shopify answered HTTP {response.status_code}")
        payload = response.json()
        if payload.get("errors"):
            raise ShopifyQueryError("; ".join(e.get("message", "") for e in payload["errors"]))
        data: dict[str, Any] = payload.get("data") or {}
        return data

    async def mutate(
        self,
        shop: Shop,
        operation: str,
        variables: Mapping[str, Any] | None = None,
        *,
        payload: str,
    ) -> dict[str, Any]:
        """Run a mutation and return its `payload` field, raising on `userErrors`."""
        data = await self.query(shop, operation, variables)
        result: dict[str, Any] = data.get(payload) or {}
        user_errors = result.get("userErrors") or result.get("customerUserErrors") or []
        if user_errors:
            raise ShopifyUserErrors(user_errors)
        return result
