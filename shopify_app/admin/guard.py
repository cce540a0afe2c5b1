"""The embedded admin's guard: App Bridge's session token becomes a verified `AdminUser`.

Inside the Shopify admin, App Bridge adds `Authorization: Bearer <session token>` to the page's
`fetch` calls. The token is an HS256 JWT signed with the app secret, one minute long, with
`iss = https://{shop}/admin`, `dest = https://{shop}` and `aud = client id` (SHOPIFY.md).

The signature, audience and times are checked by `shopify.session_tokens` (shared with the
customer account backend); this module reads the admin's own claims, `iss` and `dest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from starlette.requests import Request

from shopify_app.errors import Forbidden, Unauthorized
from shopify_app.install.flow import NotConfigured
from shopify_app.settings import Settings
from shopify_app.shopify import session_tokens
from shopify_app.shopify.domains import normalize_shop_domain
from shopify_app.storage.models import Shop

BEARER = "Bearer "
REQUIRED_CLAIMS = ["iss", "dest", "aud", "sub", "exp", "nbf", "jti"]
# App Bridge fetches a fresh token and retries once when a 401 carries this header.
RETRY_HEADERS = {"X-Shopify-Retry-Invalid-Session-Request": "1"}


class MissingSessionToken(Unauthorized):
    code = "missing_session_token"
    title = "Session token required"


class InvalidSessionToken(Unauthorized):
    code = "invalid_session_token"
    title = "Invalid session token"


class ShopNotInstalled(Forbidden):
    code = "shop_not_installed"
    title = "The app is not installed on this shop"


@dataclass(frozen=True)
class SessionClaims:
    shop: str  # the myshopify domain of `dest`
    user_id: str  # `sub`: the staff member using the admin
    session_id: str


@dataclass(frozen=True)
class AdminUser:
    """A staff member of an installed shop, using the app inside the Shopify admin."""

    shop: Shop
    user_id: str


def _invalid(detail: str) -> InvalidSessionToken:
    return InvalidSessionToken(detail, headers=RETRY_HEADERS)


def _shop_of(dest: object, iss: object) -> str:
    if not isinstance(dest, str) or not isinstance(iss, str):
        raise _invalid("The session token names no shop.")
    parts = urlsplit(dest)
    shop = normalize_shop_domain(parts.netloc) if parts.scheme == "https" else None
    # Exactly the origin: no port, user info, path, query or fragment can ride along.
    if shop is None or parts.netloc != shop or dest.rstrip("/") != f"https://{shop}":
        raise _invalid("The session token's destination is not a shop.")
    if iss.rstrip("/") != f"https://{shop}/admin":
        raise _invalid("The session token's issuer and destination differ.")
    return shop


def verify_session_token(
    token: str, *, client_id: str, secret: str | Sequence[str], now: datetime
) -> SessionClaims:
    """The claims of a valid session token, or `InvalidSessionToken` (401). `secret` may be
    several (the current one, then the old one during a client secret rotation)."""
    try:
        claims = session_tokens.decode(token, client_id=client_id, secrets=secret,
                                       required=REQUIRED_CLAIMS, now=now)
    except session_tokens.SessionTokenRejected as exc:
        raise _invalid(str(exc)) from None
    shop = _shop_of(claims.get("dest"), claims.get("iss"))
    return SessionClaims(shop=shop, user_id=str(claims.get("sub")),
                         session_id=str(claims.get("sid", "")))


async def require_admin_user(request: Request, settings: Settings, now: datetime) -> AdminUser:
    """The verified admin user of the request, or a 401/403 problem with a stable code."""
    if settings.sandbox:
        raise NotConfigured("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to use the admin.")
    headers = request.headers.getlist("authorization")
    if not headers or not headers[0].strip():
        raise MissingSessionToken("Open the app from the Shopify admin.", headers=RETRY_HEADERS)
    if len(headers) > 1 or not headers[0].startswith(BEARER):
        raise _invalid("Send one Authorization: Bearer <session token> header.")
    assert settings.api_key is not None  # not sandbox
    claims = verify_session_token(
        headers[0][len(BEARER):].strip(), client_id=settings.api_key, secret=settings.secrets,
        now=now,
    )
    shop = await Shop.get_or_none(domain=claims.shop)
    if shop is None or not shop.installed:
        raise ShopNotInstalled("The app is not installed on this shop.")
    return AdminUser(shop=shop, user_id=claims.user_id)
