"""Link tokens becoming portal sessions, in a way email scanners cannot burn.

Scanners (Safe Links, Mimecast, Proofpoint) GET links before people do. So `check_link` (GET,
HEAD) only looks: it verifies the token and answers whether it would work. `redeem_link`
(the POST the continue page sends) spends it: on a single-use shop by inserting its `jti`
into `SpentToken`, where the primary key lets exactly one of any number of racers win.
Each redemption is audited (`PortalRedemption`) and counted (`link_stats`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from tortoise.transactions import in_transaction

from shopify_app.links import revocation, stats
from shopify_app.links.tokens import Keyring, PortalClaims, verify
from shopify_app.locales import i18n
from shopify_app.portal.entry import sessions, spending
from shopify_app.portal.entry.guard import ProxyContext, Visitor
from shopify_app.portal.errors import TokenMismatch, TokenSpent
from shopify_app.storage.models import PortalRedemption

USER_AGENT_LIMIT = 512
REUSABLE = "reusable"
LOGIN_SOURCE = "storefront-login"
# A signed-in customer opening the portal again within this window is the same visit.
LOGIN_VISIT_WINDOW = timedelta(minutes=30)
LOGIN_VISITS_REMEMBERED = 10_000  # customers a process keeps in `LoginVisits` at most


@dataclass(frozen=True)
class ClientInfo:
    """What the audit keeps of the browser: a keyed hash of its address, its user agent."""

    address: str
    user_agent: str


@dataclass(frozen=True)
class Redemption:
    visitor: Visitor
    claims: PortalClaims


def client_hash(secret: str, address: str) -> str:
    """HMAC of the client address under a key derived from the app secret: merchants can
    count distinct clients, nobody can list addresses back from the table."""
    if not address:
        return ""
    return hmac.new(_address_key(secret), address.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _address_key(secret: str) -> bytes:
    # Derived once per secret, not on every audited visit.
    return hmac.new(secret.encode(), b"portal-client-address/v1", hashlib.sha256).digest()


async def _verified(
    context: ProxyContext, keyring: Keyring, token: str, now: datetime
) -> PortalClaims:
    claims = verify(keyring, token, now=now)
    if claims.shop != context.shop.domain:
        raise TokenMismatch("This link was made for another store.")
    logged_in = context.logged_in_customer_id
    if logged_in is not None and claims.customer_id != logged_in:
        raise TokenMismatch("This link was made for another customer than the one signed in.")
    await revocation.ensure_not_revoked(context.shop, claims, context.secrets)
    return claims


def _single_use(context: ProxyContext, claims: PortalClaims) -> bool:
    """The link's own policy when its mint chose one (`singleUse`), else the shop's."""
    if claims.single_use is not None:
        return claims.single_use
    return context.shop.link_policy != REUSABLE


async def check_link(
    context: ProxyContext, keyring: Keyring, token: str, now: datetime
) -> PortalClaims:
    """GET/HEAD: would this link work? Never spends it."""
    claims = await _verified(context, keyring, token, now)
    if _single_use(context, claims) and await spending.is_spent(claims.jti):
        raise TokenSpent("This link was already used.")
    return claims


async def redeem_link(
    context: ProxyContext,
    keyring: Keyring,
    token: str,
    *,
    now: datetime,
    client: ClientInfo,
    secret: str,
) -> Redemption:
    """POST: spend the link (single-use shops), audit it and open a session."""
    claims = await _verified(context, keyring, token, now)
    # Spent and audited together: a link is never burnt without its redemption on record.
    async with in_transaction():
        if _single_use(context, claims):
            won = await spending.spend(
                claims.jti,
                shop=context.shop,
                customer_id=claims.customer_id,
                expires_at=claims.expires_at,
                now=now,
            )
            if not won:
                raise TokenSpent("This link was already used.")
        await PortalRedemption.create(
            shop_id=context.shop.id,
            customer_id=claims.customer_id,
            jti=claims.jti,
            source=claims.source[:64],
            api_key_id=claims.api_key_id,
            client_hash=client_hash(secret, client.address),
            user_agent=client.user_agent[:USER_AGENT_LIMIT],
            created_at=now,
        )
    await stats.record_redemption(context.shop, claims.api_key_id, claims.source[:64], now)
    sealed = sessions.start(
        keyring,
        shop=context.shop.domain,
        customer_id=claims.customer_id,
        now=now,
        locale=i18n.resolve(claims.locale, context.shop.default_locale),
    )
    return Redemption(Visitor(context, claims.customer_id, sealed), claims)


class LoginVisits:
    """What this process knows of recorded logged-in visits: (shop id, customer id) → when
    the latest audit row it saw or wrote was created. A reload within the window then needs no
    query at all; whenever this memory has nothing to say (another worker recorded, a restart,
    a clock before the row) the database decides, as before. One per app."""

    def __init__(self, limit: int = LOGIN_VISITS_REMEMBERED) -> None:
        self.limit = limit
        self._recorded: dict[tuple[int, int], datetime] = {}

    def covers(self, shop_id: int, customer_id: int, now: datetime) -> bool:
        recorded = self._recorded.get((shop_id, customer_id))
        return recorded is not None and recorded <= now < recorded + LOGIN_VISIT_WINDOW

    def remember(self, shop_id: int, customer_id: int, recorded: datetime) -> None:
        if len(self._recorded) >= self.limit:
            # Bounded memory: forgetting costs each customer one query, never a wrong answer.
            self._recorded.clear()
        self._recorded[(shop_id, customer_id)] = recorded


async def record_login_visit(
    context: ProxyContext,
    customer_id: int,
    client: ClientInfo,
    secret: str,
    now: datetime,
    visits: LoginVisits | None = None,
) -> bool:
    """A signed-in storefront customer entering the portal without a link, for the audit.

    Each such GET starts a session, so "once per session" would be once per page view: the
    audit would fill with reloads. A visit is recorded at most once per customer per
    `LOGIN_VISIT_WINDOW` instead (one indexed read, none when `visits` remembers the row;
    two racing first views may both record). True when a row was written."""
    shop_id = context.shop.id
    if visits is not None and visits.covers(shop_id, customer_id, now):
        return False
    latest = (
        await PortalRedemption.filter(
            shop_id=shop_id,
            customer_id=customer_id,
            source=LOGIN_SOURCE,
            created_at__gt=now - LOGIN_VISIT_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    if latest is not None:
        if visits is not None:
            visits.remember(shop_id, customer_id, latest.created_at)
        return False
    await PortalRedemption.create(
        shop_id=context.shop.id,
        customer_id=customer_id,
        jti=None,
        source=LOGIN_SOURCE,
        client_hash=client_hash(secret, client.address),
        user_agent=client.user_agent[:USER_AGENT_LIMIT],
        created_at=now,
    )
    if visits is not None:
        visits.remember(shop_id, customer_id, now)
    return True
