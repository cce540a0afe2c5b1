"""The customer account extension's session token, verified as a pure function of `now`.

`shopify.sessionToken.get()` hands the extension an HS256 JWT signed with the app secret:
`aud` = client id, `dest` = the shop (`store.myshopify.com`, no scheme, unlike the admin's
token), `sub` = the customer's gid when a customer is signed in and the app may read protected
customer data, five minutes long. Unlike App Bridge's token it has no `iss`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from shopify_app.errors import Unauthorized
from shopify_app.shopify import session_tokens
from shopify_app.shopify.domains import normalize_shop_domain

REQUIRED_CLAIMS = ["dest", "aud", "exp", "nbf"]
_CUSTOMER_GID = re.compile(r"^gid://shopify/Customer/([1-9][0-9]{0,18})$")


class MissingSessionToken(Unauthorized):
    code = "missing_session_token"
    title = "Session token required"


class InvalidSessionToken(Unauthorized):
    code = "invalid_session_token"
    title = "Invalid session token"


class CustomerRequired(Unauthorized):
    """A valid token without `sub`: nobody is signed in, or the app may not see customers."""

    code = "customer_required"
    title = "Please sign in"


@dataclass(frozen=True)
class CustomerClaims:
    shop: str  # myshopify domain from `dest`
    customer_id: int  # from `sub`


def _shop(dest: object) -> str:
    """`dest` as Shopify sends it to customer account extensions (a bare domain); the admin's
    `https://` form is accepted too, but nothing else may ride along (path, port, user)."""
    if not isinstance(dest, str) or not dest:
        raise InvalidSessionToken("The session token names no shop.")
    host = dest
    if "://" in dest:
        parts = urlsplit(dest)
        if parts.scheme != "https" or parts.path.strip("/") or parts.query or parts.fragment:
            raise InvalidSessionToken("The session token's destination is not a shop.")
        host = parts.netloc
    shop = normalize_shop_domain(host)
    if shop is None or shop != host:
        raise InvalidSessionToken("The session token's destination is not a shop.")
    return shop


def customer_id_of(sub: object) -> int:
    """The numeric id in `gid://shopify/Customer/N`, or `CustomerRequired`."""
    match = _CUSTOMER_GID.match(sub) if isinstance(sub, str) else None
    if match is None:
        raise CustomerRequired("Sign in to your account to manage your subscriptions.")
    return int(match.group(1))


def verify(
    token: str, *, client_id: str, secret: str | Sequence[str], now: datetime
) -> CustomerClaims:
    """The shop and customer of a valid token, or a 401 with a stable code. `secret` may be
    several (the current one, then the old one during a client secret rotation)."""
    try:
        claims = session_tokens.decode(token, client_id=client_id, secrets=secret,
                                       required=REQUIRED_CLAIMS, now=now)
    except session_tokens.SessionTokenRejected as exc:
        raise InvalidSessionToken(str(exc)) from None
    shop = _shop(claims.get("dest"))
    return CustomerClaims(shop=shop, customer_id=customer_id_of(claims.get("sub")))
