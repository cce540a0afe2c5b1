"""Tokens of the simulated store: offline access tokens (optionally expiring), rotating refresh
tokens, authorization codes and the token endpoint's grants, as Shopify runs them."""

from __future__ import annotations

import secrets
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from shopify_app.sandbox.clock import Clock

ACCESS_TOKEN_TTL = timedelta(hours=1)
REFRESH_TOKEN_TTL = timedelta(days=90)
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a URN)
ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token"  # noqa: S105
OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token"  # noqa: S105
ONLINE_TOKEN = "urn:shopify:params:oauth:token-type:online-access-token"  # noqa: S105
# Shopify accepts a session token a few seconds past `exp`, as its libraries do.
SESSION_TOKEN_LEEWAY_SECONDS = 10
DEFAULT_SCOPES = (
    "read_customers,write_customers,read_orders,read_own_subscription_contracts,"
    "write_own_subscription_contracts,read_customer_payment_methods,write_app_proxy"
)


class GrantRefused(Exception):
    """The token endpoint answers 400 with this OAuth `error`."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass
class Grant:
    shop: str
    expires_at: datetime | None  # None: a non-expiring offline token


@dataclass
class RefreshGrant:
    shop: str
    expires_at: datetime
    spent: bool = False


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int | None
    refresh_token: str | None
    refresh_token_expires_in: int | None

    def response(self, scope: str) -> dict[str, Any]:
        body: dict[str, Any] = {"access_token": self.access_token, "scope": scope}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
            body["refresh_token"] = self.refresh_token
            body["refresh_token_expires_in"] = self.refresh_token_expires_in
        return body


class TokenBook:
    """Every credential the store has handed out."""

    def __init__(self, now: Clock) -> None:
        self.now = now
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, RefreshGrant] = {}
        self.codes: dict[str, str] = {}  # authorization code -> shop
        self.apps: dict[str, str] = {}  # client id -> client secret
        # Reading a shop that never refreshed (or exchanged) gives 0.
        self.refresh_count: Counter[str] = Counter()
        self.exchange_count: Counter[str] = Counter()
        self.scopes = DEFAULT_SCOPES

    def register_app(self, client_id: str, client_secret: str) -> None:
        self.apps[client_id] = client_secret

    def set_static_token(self, shop: str, token: str) -> None:
        """A non-expiring offline token (what custom apps and `shops add` use)."""
        self.access[token] = Grant(shop, None)

    def shop_of(self, token: str) -> str | None:
        """The shop a valid, unexpired access token belongs to."""
        grant = self.access.get(token)
        if grant is None:
            return None
        if grant.expires_at is not None and grant.expires_at <= self.now():
            return None
        return grant.shop

    def issue(
        self,
        shop: str,
        *,
        ttl: timedelta | None = ACCESS_TOKEN_TTL,
        refresh_ttl: timedelta = REFRESH_TOKEN_TTL,
        revoke_previous: bool = True,
    ) -> IssuedTokens:
        """New credentials for `shop`. With `revoke_previous` its earlier access tokens stop
        working (a reinstall); a refresh leaves them to expire. `ttl=None` issues a
        non-expiring token without a refresh token."""
        if revoke_previous:
            for token in [t for t, g in self.access.items() if g.shop == shop]:
                del self.access[token]
        access_token = f"shpat_{secrets.token_hex(16)}"
        if ttl is None:
            self.access[access_token] = Grant(shop, None)
            return IssuedTokens(access_token, None, None, None)
        now = self.now()
        self.access[access_token] = Grant(shop, now + ttl)
        refresh_token = f"shprt_{secrets.token_hex(16)}"
        self.refresh[refresh_token] = RefreshGrant(shop, now + refresh_ttl)
        return IssuedTokens(
            access_token,
            int(ttl.total_seconds()),
            refresh_token,
            int(refresh_ttl.total_seconds()),
        )

    def new_code(self, shop: str) -> str:
        code = secrets.token_hex(16)
        self.codes[code] = shop
        return code

    def _check_client(self, form: dict[str, str]) -> None:
        client_id = form.get("client_id", "")
        expected = self.apps.get(client_id)
        given = form.get("client_secret", "")
        if expected is None or not secrets.compare_digest(expected, given):
            raise GrantRefused("invalid_client", "Client credentials are invalid")

    def grant(self, shop: str, form: dict[str, str]) -> dict[str, Any]:
        """Answer a POST to `/admin/oauth/access_token`."""
        self._check_client(form)
        grant_type = form.get("grant_type") or "authorization_code"
        if grant_type == "authorization_code":
            code = form.get("code", "")
            if self.codes.pop(code, None) != shop:
                raise GrantRefused("invalid_request", "The authorization code was not found")
            expiring = form.get("expiring") in ("1", "true")
            issued = self.issue(shop, ttl=ACCESS_TOKEN_TTL if expiring else None)
            return issued.response(self.scopes)
        if grant_type == "refresh_token":
            return self._refresh(shop, form.get("refresh_token", "")).response(self.scopes)
        if grant_type == TOKEN_EXCHANGE:
            return self._exchange(shop, form).response(self.scopes)
        raise GrantRefused("unsupported_grant_type", f"Unsupported grant type {grant_type}")

    def _refresh(self, shop: str, token: str) -> IssuedTokens:
        grant = self.refresh.get(token)
        if grant is None or grant.shop != shop:
            raise GrantRefused("invalid_grant", "The refresh token is invalid")
        if grant.spent:
            # Refresh tokens rotate: the old one is dead the moment it is used.
            raise GrantRefused("invalid_grant", "The refresh token was already used")
        if grant.expires_at <= self.now():
            raise GrantRefused("invalid_grant", "The refresh token has expired")
        grant.spent = True
        self.refresh_count[shop] += 1
        return self.issue(shop, revoke_previous=False)

    def _exchange(self, shop: str, form: dict[str, str]) -> IssuedTokens:
        """Token exchange: App Bridge's session token (an `id_token` signed with the client
        secret, for this app and this shop, unexpired) becomes an offline token; with
        `expiring=1` an expiring one with a refresh token. Earlier tokens keep working
        until they expire: an exchange is not a reinstall."""
        if form.get("subject_token_type") != ID_TOKEN:
            raise GrantRefused("invalid_request", "subject_token_type must be an id_token")
        if form.get("requested_token_type", OFFLINE_TOKEN) != OFFLINE_TOKEN:
            # Online tokens belong to one staff member; this store hands out offline ones only.
            raise GrantRefused("invalid_request", "Only offline access tokens are available")
        token = form.get("subject_token", "")
        if not token:
            raise GrantRefused("missing_subject_token", "The subject_token is missing")
        client_id = form.get("client_id", "")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            try:
                claims = jwt.decode(
                    token, self.apps[client_id], algorithms=["HS256"], audience=client_id,
                    options={"require": ["dest", "exp"], "verify_exp": False,
                             "verify_nbf": False, "verify_iat": False},
                )
            except jwt.PyJWTError:
                raise GrantRefused("invalid_subject_token", "The session token is invalid") \
                    from None
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or (
            exp + SESSION_TOKEN_LEEWAY_SECONDS <= self.now().timestamp()
        ):
            raise GrantRefused("invalid_subject_token", "The session token has expired")
        if claims.get("dest") != f"https://{shop}":
            raise GrantRefused("invalid_subject_token", "The session token is for another shop")
        self.exchange_count[shop] += 1
        expiring = form.get("expiring") in ("1", "true")
        return self.issue(shop, ttl=ACCESS_TOKEN_TTL if expiring else None,
                          revoke_previous=False)
