"""Typed failures of the Admin API, already in the app's error tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopify_app.errors import AppError, ServiceUnavailable, Unprocessable


class ShopifyUnavailable(ServiceUnavailable):
    """Shopify kept failing (429, THROTTLED, 5xx, timeouts) after our retries."""

    code = "shopify_unavailable"
    title = "Shopify is unavailable"


class ShopifyAuthFailed(AppError):
    """The shop's credentials were refused (uninstalled, revoked, refresh token expired)."""

    status = 503
    code = "shop_credentials_invalid"
    title = "The store's connection to the app needs attention"


class ShopifyQueryError(AppError):
    """Top-level GraphQL `errors` that retrying will not fix: a bug on our side."""

    status = 502
    code = "shopify_query_error"
    title = "Shopify rejected the request"


class ShopifyUserErrors(Unprocessable):
    """A mutation answered with `userErrors`: Shopify refused the change, nothing was applied."""

    code = "shopify_user_error"
    title = "Shopify refused the change"

    def __init__(self, user_errors: Sequence[dict[str, Any]]) -> None:
        self.user_errors = list(user_errors)
        messages = "; ".join(str(e.get("message", "")) for e in self.user_errors) or self.title
        super().__init__(messages, extra={"userErrors": self.user_errors})
