"""Async Admin GraphQL client over the app's one shared `httpx.AsyncClient`.

Policy lives here: which URL and version, bounded timeouts, retries with exponential backoff
and jitter on HTTP 429/5xx, timeouts and GraphQL `THROTTLED` (honouring `Retry-After` and the
cost bucket's `throttleStatus`), then `ShopifyUnavailable`. Tokens come from `Credentials`,
which refreshes expiring ones. Sleep, clock and randomness are injected so tests never wait.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from shopify_app.settings import Settings
from shopify_app.shopify import operations
from shopify_app.shopify.credentials import Clock, Credentials, Sleep
from shopify_app.shopify.errors import (
    ShopifyAuthFailed,
    ShopifyQueryError,
    ShopifyUnavailable,
    ShopifyUserErrors,
)
from shopify_app.shopify.urls import graphql_url, shop_origin
from shopify_app.storage.models import Shop

__all__ = ["AdminClient", "graphql_url", "shop_origin"]

logger = logging.getLogger("shopify_app.shopify.client")

BACKOFF_BASE_SECONDS = 0.5
MAX_WAIT_SECONDS = 8.0  # no single pause is longer, whatever Shopify suggests
CONNECT_TIMEOUT_SECONDS = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Retry:
    """An attempt that failed in a way worth retrying; `hint` is Shopify's suggested wait."""

    reason: str
    hint: float | None = None


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` in seconds (Shopify sends numbers such as `2.0`); None when absent/unusable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def throttle_wait(payload: Mapping[str, Any]) -> float | None:
    """Seconds until the cost bucket holds the requested cost again, from `extensions.cost`."""
    cost = (payload.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        requested = float(cost["requestedQueryCost"])
        available = float(status["currentlyAvailable"])
        restore_rate = float(status["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return None
    if restore_rate <= 0:
        return None
    return max(0.0, requested - available) / restore_rate


def is_throttled(errors: list[Any]) -> bool:
    return any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED"
        for e in errors
    )


class AdminClient:
    """Runs named GraphQL operations (`operations/<Name>.graphql`) against a shop."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        credentials: Credentials | None = None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.sleep = sleep
        self.jitter = jitter
        self.credentials = credentials or Credentials(http, settings, clock=clock, sleep=sleep)
        self.timeout = httpx.Timeout(
            settings.shopify_timeout_seconds,
            connect=min(CONNECT_TIMEOUT_SECONDS, settings.shopify_timeout_seconds),
        )

    async def access_token(self, shop: Shop) -> str:
        """A usable token for `shop`, refreshed first when it is about to expire."""
        return await self.credentials.access_token(shop)

    def backoff(self, attempt: int, hint: float | None) -> float:
        """Exponential backoff with jitter, at least Shopify's hint, at most `MAX_WAIT_SECONDS`."""
        ceiling = BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1)
        wait = ceiling / 2 + self.jitter() * ceiling / 2
        if hint is not None:
            wait = max(wait, hint)
        return min(wait, MAX_WAIT_SECONDS)

    async def query(
        self, shop: Shop, operation: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Run operation `operation` (a file in `operations/`) and return its `data`."""
        data, _ = await self.query_with_cost(shop, operation, variables)
        return data

    async def query_with_cost(
        self, shop: Shop, operation: str, variables: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """`query`, plus Shopify's `extensions.cost` (`requestedQueryCost`,
        `actualQueryCost`, `throttleStatus`; empty when absent): long jobs pace themselves."""
        body = {"query": operations.load(operation), "variables": dict(variables or {})}
        attempts = max(1, self.settings.shopify_max_attempts)
        retry = _Retry("no attempt")
        for attempt in range(1, attempts + 1):
            # Per attempt: a long pause may carry the token past its expiry.
            token = await self.access_token(shop)
            outcome = await self._attempt(shop.domain, body, token)
            if not isinstance(outcome, _Retry):
                return outcome
            retry = outcome
            if attempt == attempts:
                break
            wait = self.backoff(attempt, retry.hint)
            logger.warning(
                "Admin API %s on %s: %s (attempt %d of %d), retrying in %.2fs",
                operation, shop.domain, retry.reason, attempt, attempts, wait,
            )
            await self.sleep(wait)
        logger.warning("Admin API %s on %s gave up: %s", operation, shop.domain, retry.reason)
        raise ShopifyUnavailable(
            f"Shopify is not answering right now ({retry.reason}). Please try again shortly.",
            retry_after=math.ceil(min(retry.hint or 5.0, 60.0)),
        )

    async def _attempt(
        self, domain: str, body: dict[str, Any], token: str
    ) -> tuple[dict[str, Any], dict[str, Any]] | _Retry:
        try:
            response = await self.http.post(
                graphql_url(self.settings, domain),
                json=body,
                headers={"X-Shopify-Access-Token": token, "Accept": "application/json"},
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            return _Retry("timed out")
        except httpx.TransportError as exc:
            return _Retry(f"connection failed: {type(exc).__name__}")
        status = response.status_code
        if status in (401, 403):
            raise ShopifyAuthFailed(f"Shopify refused the credentials of {domain}")
        if status == 429 or status >= 500:
            hint = retry_after_seconds(response.headers.get("Retry-After"))
            return _Retry(f"HTTP {status}", hint)
        if status >= 400:
            raise ShopifyQueryError(f"Shopify answered HTTP {status}")
        try:
            payload = response.json()
        except ValueError:
            return _Retry("an unreadable response")
        if not isinstance(payload, dict):
            return _Retry("an unreadable response")
        errors = payload.get("errors")
        if errors:
            if isinstance(errors, list) and is_throttled(errors):
                return _Retry("THROTTLED", throttle_wait(payload))
            raise ShopifyQueryError(_messages(errors))
        data: dict[str, Any] = payload.get("data") or {}
        cost = (payload.get("extensions") or {}).get("cost")
        return data, cost if isinstance(cost, dict) else {}

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


def _messages(errors: object) -> str:
    if isinstance(errors, list):
        return "; ".join(
            str(e.get("message", "")) if isinstance(e, dict) else str(e) for e in errors
        )
    return str(errors)
