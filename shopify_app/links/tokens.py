"""Portal link tokens: the claims a merchant's magic link carries, bound to a shop, a customer
and `LINK_AUDIENCE`, sealed and opened with the `token_keyring` (JWE `dir` + `A256GCM`).

The keyring names are re-exported here, so `portal_tokens` stays the one import for callers that
mint, open or configure link tokens.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from shopify_app.links.keyring import ALG as ALG
from shopify_app.links.keyring import DERIVED_KID as DERIVED_KID
from shopify_app.links.keyring import ENC as ENC
from shopify_app.links.keyring import MAX_TOKEN_LENGTH as MAX_TOKEN_LENGTH
from shopify_app.links.keyring import InvalidToken as InvalidToken
from shopify_app.links.keyring import Keyring as Keyring
from shopify_app.links.keyring import b64url_encode
from shopify_app.links.keyring import check_settings as check_settings
from shopify_app.links.keyring import derive_key as derive_key
from shopify_app.links.keyring import keyring_from_settings as keyring_from_settings
from shopify_app.links.keyring import parse_keys as parse_keys

ISSUER = "shopify-subscription-portal"
LINK_AUDIENCE = "portal-link"
LEEWAY = timedelta(seconds=30)
_MAX_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z, the last moment `datetime` holds


class ExpiredToken(InvalidToken):
    code = "token_expired"
    title = "Expired link"


class IssuedToken(NamedTuple):
    """(A named tuple: one is made per mint, and a frozen dataclass costs more to make.)"""

    token: str
    jti: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PortalClaims:
    shop: str
    customer_id: int
    jti: str
    issued_at: datetime
    expires_at: datetime
    source: str
    destination: str | None
    locale: str | None
    api_key_id: int
    # The mint's `singleUse`: True/False override the shop's link policy, None follows it.
    single_use: bool | None = None


class RandomPool:
    """Kernel randomness drawn in blocks and handed out once each (never reused).

    `os.urandom` releases the GIL for its system call; on a busy event loop, taking it back
    from the database thread cost the mint its worst tail stalls under wrk. One draw now serves
    256 mints. A forked child starts with an empty pool, so parent and child never share
    bytes (GCM nonces must not repeat)."""

    def __init__(self, block: int = 28 * 256) -> None:
        self.block = block
        self._buffer = b""
        self._position = 0

    def take(self, size: int) -> bytes:
        if self._position + size > len(self._buffer):
            self._buffer, self._position = os.urandom(max(self.block, size)), 0
        start, self._position = self._position, self._position + size
        return self._buffer[start:self._position]

    def reset(self) -> None:
        self._buffer, self._position = b"", 0


_randomness = RandomPool()
os.register_at_fork(after_in_child=_randomness.reset)


def _timestamp(moment: datetime) -> float:
    return moment.timestamp()


# Memoised: the mints of one second share their `exp`, and of one millisecond their `iat`
# (datetimes are immutable, so sharing one is safe); ~1 us a mint.
@functools.lru_cache(maxsize=256)
def _moment(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def issue(
    keyring: Keyring,
    *,
    shop: str,
    customer_id: int,
    now: datetime,
    ttl: timedelta,
    source: str = "",
    destination: str | None = None,
    locale: str | None = None,
    api_key_id: int = 0,
    single_use: bool | None = None,
) -> IssuedToken:
    """Seal a link token. `iat` keeps milliseconds so a revocation in the same second as a
    later mint does not void the new link; `exp` is whole seconds."""
    issued_at = math.floor(_timestamp(now) * 1000) / 1000
    expires_at = math.floor(issued_at + ttl.total_seconds())
    # One draw for both: 16 bytes of token id, then the 12-byte GCM nonce.
    randomness = _randomness.take(28)
    jti = b64url_encode(randomness[:16])
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": LINK_AUDIENCE,
        "shop": shop,
        "sub": str(customer_id),
        "iat": issued_at,
        "exp": expires_at,
        "jti": jti,
        "src": source,
        "akid": api_key_id,
    }
    if destination is not None:
        claims["dst"] = destination
    if locale is not None:
        claims["loc"] = locale
    if single_use is not None:
        claims["su"] = single_use
    token = keyring.seal(claims, randomness[16:])
    return IssuedToken(token, jti, _moment(issued_at), _moment(expires_at))


def check_times(claims: dict[str, Any], *, now: datetime) -> tuple[datetime, datetime]:
    """`iat` and `exp` are required numbers; `exp` past (with `LEEWAY`) → `ExpiredToken`."""
    iat, exp = claims.get("iat"), claims.get("exp")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (iat, exp)):
        raise InvalidToken("The link has no validity period.")
    assert isinstance(iat, int | float) and isinstance(exp, int | float)
    # JSON admits NaN and Infinity (NaN fails every comparison, so the range check refuses it):
    # an `exp` of Infinity must not mean "never expires", nor a year past 9999 crash.
    if not all(0 <= v <= _MAX_TIMESTAMP for v in (iat, exp)):
        raise InvalidToken("The link has no validity period.")
    leeway = LEEWAY.total_seconds()
    moment = _timestamp(now)
    if iat > moment + leeway or exp < iat:
        raise InvalidToken("The link's validity period is not plausible.")
    if moment > exp + leeway:
        raise ExpiredToken("The link has expired. Ask for a new one.")
    return _moment(iat), _moment(exp)


def verify(
    keyring: Keyring,
    token: str,
    *,
    now: datetime,
    shop: str | None = None,
    customer_id: int | None = None,
) -> PortalClaims:
    """Open a link token and check audience, issuer, times and (when given) shop and customer."""
    claims = keyring.decrypt(token)
    if claims.get("aud") != LINK_AUDIENCE or claims.get("iss") != ISSUER:
        raise InvalidToken("The link is not a portal link.")
    issued_at, expires_at = check_times(claims, now=now)
    sub, token_shop, jti = claims.get("sub"), claims.get("shop"), claims.get("jti")
    # A 64-bit id at most: a longer one would overflow the database's integers downstream.
    if not (isinstance(sub, str) and sub.isdigit() and sub.isascii() and len(sub) <= 19
            and int(sub) < 2**63):
        raise InvalidToken("The link names no customer.")
    if not isinstance(token_shop, str) or not isinstance(jti, str):
        raise InvalidToken("The link is malformed.")
    if shop is not None and token_shop != shop:
        raise InvalidToken("The link belongs to another shop.")
    if customer_id is not None and int(sub) != customer_id:
        raise InvalidToken("The link belongs to another customer.")
    source, destination, locale = claims.get("src", ""), claims.get("dst"), claims.get("loc")
    api_key_id, single_use = claims.get("akid", 0), claims.get("su")
    return PortalClaims(
        shop=token_shop,
        customer_id=int(sub),
        jti=jti,
        issued_at=issued_at,
        expires_at=expires_at,
        source=source if isinstance(source, str) else "",
        destination=destination if isinstance(destination, str) else None,
        locale=locale if isinstance(locale, str) else None,
        api_key_id=api_key_id if isinstance(api_key_id, int) else 0,
        single_use=single_use if isinstance(single_use, bool) else None,
    )
