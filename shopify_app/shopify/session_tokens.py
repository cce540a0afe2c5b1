"""Shopify's session tokens (App Bridge in the admin, `shopify.sessionToken` in customer
account extensions): HS256 JWTs signed with the app's client secret, checked as a pure function
of `now`.

`shopify.session_token.decode_from_header` checks the same things but reads the wall clock;
this calls PyJWT for the signature and audience and checks `exp`/`nbf` against an injected
`now`, so tests pin time instead of sleeping. Each surface reads its own claims (`dest`, `iss`,
`sub`) from what this returns and turns `SessionTokenRejected` into its own 401.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

ALGORITHM = "HS256"
# Shopify's libraries allow 10 s: App Bridge often sends an `nbf` a little in the future.
LEEWAY_SECONDS = 10
MAX_TOKEN_LENGTH = 4096


class SessionTokenRejected(ValueError):
    """Why a token was refused, in words a 401's detail can carry."""


def _time(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SessionTokenRejected(f"The session token's {name} is not a time.")
    return float(value)


def decode(
    token: str, *, client_id: str, secrets: str | Sequence[str], required: Sequence[str],
    now: datetime,
) -> dict[str, Any]:
    """The claims of a token signed with one of `secrets` (the current one, then the old one
    during a client secret rotation) for `client_id`, carrying `required`, valid at `now`."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise SessionTokenRejected("The session token is not valid.")
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    claims: dict[str, Any] | None = None
    # The secret is Shopify's (32+ bytes in practice), not ours to refuse; PyJWT warns below
    # 32 bytes. No await inside: no other request runs while the filter is changed.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        for key in keys:
            try:
                # `algorithms` pins HS256: `alg: none` and RS/HS confusion are refused here.
                claims = jwt.decode(
                    token, key, algorithms=[ALGORITHM], audience=client_id,
                    options={"require": list(required), "verify_exp": False,
                             "verify_nbf": False, "verify_iat": False},
                )
                break
            except jwt.PyJWTError:
                continue
    if claims is None:
        raise SessionTokenRejected("The session token is not valid.")
    moment = now.timestamp()
    if _time(claims, "exp") + LEEWAY_SECONDS <= moment:
        raise SessionTokenRejected("The session token has expired.")
    if _time(claims, "nbf") - LEEWAY_SECONDS > moment:
        raise SessionTokenRejected("The session token is not valid yet.")
    return claims
