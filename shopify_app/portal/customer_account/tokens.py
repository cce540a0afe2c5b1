"""The customer account extension's session token, verified as a pure function of `now`.

`shopify.sessionToken.get()` hands the extension an HS256 JWT signed with the app secret:
`aud` = client id, `dest` = the shop (`store.myshopify.com`, no scheme, unlike the admin's
token), `sub` = the customer's gid when a customer is signed in and the app may read protected
customer data, five minutes long. Unlike App Bridge's token it has no `iss`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from shopify_app.errors import Unauthorized
from shopify_app.shopify.domains import normalize_shop_domain

ALGORITHM = "HS256"
# Shopify's libraries allow 10 s of clock skew on `exp` and `nbf`.
LEEWAY_SECONDS = 10
REQUIRED_CLAIMS = ["dest", "aud", "exp", "nbf"]
MAX_TOKEN_LENGTH = 4096
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


def _time(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSessionToken(f"The session token's {name} is not a time.")
    return float(value)


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


def verify(token: str, *, client_id: str, secret: str, now: datetime) -> CustomerClaims:
    """The shop and customer of a valid token, or a 401 with a stable code."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidSessionToken("The session token is not valid.")
    # The secret is Shopify's, not ours to refuse; PyJWT warns below 32 bytes. No await
    # inside, so no other request runs while the filter is changed.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        try:
            # `algorithms` pins HS256: `alg: none` and RS/HS confusion are refused here.
            claims: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=client_id,
                options={
                    "require": REQUIRED_CLAIMS,
                    # Times are checked below against the injected `now`.
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise InvalidSessionToken("The session token is not valid.") from None
    moment = now.timestamp()
    if _time(claims, "exp") + LEEWAY_SECONDS <= moment:
        raise InvalidSessionToken("The session token has expired.")
    if _time(claims, "nbf") - LEEWAY_SECONDS > moment:
        raise InvalidSessionToken("The session token is not valid yet.")
    shop = _shop(claims.get("dest"))
    return CustomerClaims(shop=shop, customer_id=customer_id_of(claims.get("sub")))
