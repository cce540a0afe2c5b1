"""OAuth with a shop: the authorize URL, the code exchange, token exchange (a session token for
an offline token) and the refresh grant (over httpx).

Offline tokens are requested as *expiring* (`expiring=1`): the access token lives an hour, the
refresh token 90 days and rotates on every refresh, so a spent refresh token is useless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from shopify_app.errors import AppError
from shopify_app.settings import Settings
from shopify_app.shopify.errors import ShopifyAuthFailed, ShopifyUnavailable
from shopify_app.shopify.urls import shop_origin

logger = logging.getLogger("shopify_app.shopify.oauth")

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a URN)
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"  # noqa: S105
OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token"  # noqa: S105


class OAuthExchangeFailed(AppError):
    """Shopify refused to turn the authorization code into a token (spent or forged code)."""

    status = 400
    code = "oauth_exchange_failed"
    title = "Shopify refused the installation"


@dataclass(frozen=True)
class TokenGrant:
    """What the token endpoint answered, with lifetimes turned into instants."""

    access_token: str
    scope: str
    expires_at: datetime | None
    refresh_token: str | None
    refresh_token_expires_at: datetime | None

    def __repr__(self) -> str:  # tokens never reach logs, not even through a repr
        return f"TokenGrant(scope={self.scope!r}, expires_at={self.expires_at!r})"


def authorize_url(settings: Settings, shop: str, *, scopes: str, redirect_uri: str,
                  state: str) -> str:
    """Where the merchant approves the app. No `grant_options[]`: an offline token."""
    query = urlencode({
        "client_id": settings.api_key or "",
        "scope": scopes,
        "redirect_uri": redirect_uri,
        "state": state,
    })
    return f"{shop_origin(settings, shop)}/admin/oauth/authorize?{query}"


def token_url(settings: Settings, shop: str) -> str:
    return f"{shop_origin(settings, shop)}/admin/oauth/access_token"


def parse_grant(body: dict[str, Any], now: datetime) -> TokenGrant:
    def instant(seconds: object) -> datetime | None:
        return now + timedelta(seconds=int(seconds)) if isinstance(seconds, int | str) else None

    return TokenGrant(
        access_token=str(body["access_token"]),
        scope=str(body.get("scope", "")),
        expires_at=instant(body.get("expires_in")),
        refresh_token=body.get("refresh_token") or None,
        refresh_token_expires_at=instant(body.get("refresh_token_expires_in")),
    )


async def _post(http: httpx.AsyncClient, settings: Settings, shop: str,
                form: dict[str, str]) -> httpx.Response:
    """POST `form` and the app's credentials to the token endpoint: its answer below 500;
    no answer or a 5xx is `ShopifyUnavailable`."""
    # Never retried: a code or refresh token may be spent by a request whose answer we lost,
    # and a second try would only be refused.
    try:
        response = await http.post(
            token_url(settings, shop),
            data={"client_id": settings.api_key or "", "client_secret": settings.secret,
                  **form},  # OAuth 2.0 token requests are form-encoded (RFC 6749 section 4.1.3)
            headers={"Accept": "application/json"},
            timeout=settings.shopify_timeout_seconds,
        )
    except httpx.HTTPError as exc:
        logger.warning("token endpoint of %s unreachable: %s", shop, type(exc).__name__)
        raise ShopifyUnavailable(f"Shopify did not answer ({type(exc).__name__})") from exc
    if response.status_code >= 500:
        raise ShopifyUnavailable(f"Shopify answered HTTP {response.status_code}")
    return response


def _grant_from(response: httpx.Response, now: datetime) -> TokenGrant | None:
    if response.status_code != 200:
        return None
    try:
        body = response.json()
        return parse_grant(body, now) if isinstance(body, dict) else None
    except (ValueError, KeyError):
        return None


async def exchange_code(http: httpx.AsyncClient, settings: Settings, shop: str, code: str,
                        *, now: datetime) -> TokenGrant:
    """Authorization code grant, asking for an expiring offline token."""
    response = await _post(http, settings, shop, {
        "code": code,
        "expiring": "1",
    })
    grant = _grant_from(response, now)
    if grant is None:
        logger.warning("code exchange for %s refused: HTTP %s", shop, response.status_code)
        raise OAuthExchangeFailed("Shopify refused the authorization code. Please install again.")
    return grant


async def exchange_session_token(http: httpx.AsyncClient, settings: Settings, shop: str,
                                 session_token: str, *, now: datetime) -> TokenGrant:
    """Token exchange (Shopify-managed install): App Bridge's session token of `shop` for an
    expiring offline token. A refusal (400) means the session token was not good enough:
    `OAuthExchangeFailed`; the caller sends the merchant to get a fresh one."""
    response = await _post(http, settings, shop, {
        "grant_type": TOKEN_EXCHANGE,
        "subject_token": session_token,
        "subject_token_type": ID_TOKEN_TYPE,
        "requested_token_type": OFFLINE_TOKEN_TYPE,
        "expiring": "1",
    })
    grant = _grant_from(response, now)
    if grant is None:
        logger.warning("token exchange for %s refused: HTTP %s", shop, response.status_code)
        raise OAuthExchangeFailed("Shopify refused the session token. Please open the app again.")
    return grant


async def refresh_grant(http: httpx.AsyncClient, settings: Settings, shop: str,
                        refresh_token: str, *, now: datetime) -> TokenGrant:
    """`grant_type=refresh_token`: a new access token AND a new refresh token (rotation)."""
    response = await _post(http, settings, shop, {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    })
    grant = _grant_from(response, now)
    if grant is None:
        logger.warning("token refresh for %s refused: HTTP %s", shop, response.status_code)
        raise ShopifyAuthFailed(f"Shopify refused to refresh the credentials of {shop}")
    return grant
