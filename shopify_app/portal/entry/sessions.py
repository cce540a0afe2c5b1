"""Cookie-less portal sessions: an encrypted value carried in every form (and accepted in the
`X-Portal-Session` header), because Shopify strips cookies through the app proxy.

The value is sealed with the link keyring (JWE, A256GCM) under its own audience, so a link
token never opens as a session nor a session as a link. Claims: shop, customer, session id,
a per-render nonce, start and expiry. Every page renders a renewed value: expiry slides 30
minutes from the last page, capped at 12 hours after the start.

What the value is good for:
- It is the CSRF token. A cross-site form can make the storefront sign
  `logged_in_customer_id`, but it cannot know this encrypted value.
- It is bound to its shop and customer: presented on another shop's proxy, or while the
  storefront says another customer is logged in, it is refused.
- Replay: read-only navigation may reuse a value until it expires (Back button, two tabs).
  A change form spends the value's nonce (see `spending`), so each rendered page authorises
  at most one change: a resubmitted or captured change request is refused with a 409.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shopify_app.links.tokens import ISSUER, ExpiredToken, InvalidToken, Keyring, check_times
from shopify_app.portal.errors import SessionExpired, SessionInvalid
from shopify_app.shopify import gids

SESSION_AUDIENCE = "portal-session"
SESSION_TTL = timedelta(minutes=30)
MAX_SESSION_AGE = timedelta(hours=12)
FORM_FIELD = "session"
HEADER = "x-portal-session"


@dataclass(frozen=True)
class PortalSession:
    shop: str
    customer_id: int
    sid: str
    nonce: str
    started_at: datetime
    expires_at: datetime
    locale: str


@dataclass(frozen=True)
class SealedSession:
    """A session and its encrypted value, ready to go into a page."""

    session: PortalSession
    value: str


def _seal(keyring: Keyring, session: PortalSession, now: datetime) -> SealedSession:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": SESSION_AUDIENCE,
        "shop": session.shop,
        "sub": str(session.customer_id),
        "sid": session.sid,
        "n": session.nonce,
        "st": int(session.started_at.timestamp()),
        "iat": int(now.timestamp()),
        "exp": int(session.expires_at.timestamp()),
        "loc": session.locale,
    }
    return SealedSession(session, keyring.encrypt(claims))


def _expiry(started_at: datetime, now: datetime) -> datetime:
    return min(now + SESSION_TTL, started_at + MAX_SESSION_AGE)


def start(
    keyring: Keyring, *, shop: str, customer_id: int, now: datetime, locale: str
) -> SealedSession:
    """A new session after a redemption or a logged-in visit."""
    started = now.replace(microsecond=0)
    session = PortalSession(
        shop=shop,
        customer_id=customer_id,
        sid=secrets.token_urlsafe(12),
        nonce=secrets.token_urlsafe(16),
        started_at=started,
        expires_at=_expiry(started, now),
        locale=locale,
    )
    return _seal(keyring, session, now)


def renew(keyring: Keyring, session: PortalSession, *, now: datetime) -> SealedSession:
    """The value for the next page: same session, fresh nonce, sliding expiry."""
    renewed = PortalSession(
        shop=session.shop,
        customer_id=session.customer_id,
        sid=session.sid,
        nonce=secrets.token_urlsafe(16),
        started_at=session.started_at,
        expires_at=_expiry(session.started_at, now),
        locale=session.locale,
    )
    return _seal(keyring, renewed, now)


def open_value(
    keyring: Keyring,
    value: str,
    *,
    now: datetime,
    shop: str,
    logged_in_customer_id: int | None,
) -> PortalSession:
    """Check a presented value: sealed by us, a session, unexpired, this shop, this customer."""
    try:
        claims = keyring.decrypt(value)
        if claims.get("aud") != SESSION_AUDIENCE or claims.get("iss") != ISSUER:
            raise SessionInvalid("This is not a portal session.")
        _, expires_at = check_times(claims, now=now)
    except ExpiredToken as exc:
        raise SessionExpired("Your session has expired. Please open the portal again.") from exc
    except InvalidToken as exc:
        raise SessionInvalid(
            "Your session could not be read. Please open the portal again."
        ) from exc
    sub, sid, nonce, started = (
        claims.get("sub"),
        claims.get("sid"),
        claims.get("n"),
        claims.get("st"),
    )
    locale = claims.get("loc")
    if not (isinstance(sub, str) and gids.numeric_id(sub) is not None and sub.isdigit()):
        raise SessionInvalid("This session names no customer.")
    if not (isinstance(sid, str) and isinstance(nonce, str) and isinstance(started, int)):
        raise SessionInvalid("This session is malformed.")
    if claims.get("shop") != shop:
        raise SessionInvalid("This session belongs to another store.")
    if logged_in_customer_id is not None and int(sub) != logged_in_customer_id:
        raise SessionInvalid("This session belongs to another customer.")
    return PortalSession(
        shop=shop,
        customer_id=int(sub),
        sid=sid,
        nonce=nonce,
        started_at=datetime.fromtimestamp(started, tz=UTC),
        expires_at=expires_at,
        locale=locale if isinstance(locale, str) else "en",
    )
