"""Who is calling through the app proxy? Pure checks first, then the shop, then the visitor.

`verify_proxy` turns a query string into a `ProxyContext` (Shopify's signature, a fresh
timestamp, an installed shop). `visitor_from_session` / `visitor_from_login` then name the
customer: by the encrypted session value, or by the `logged_in_customer_id` Shopify signed.
Link tokens become visitors in `redemption`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote

from shopify_app.links import revocation
from shopify_app.links.minting import link_scheme
from shopify_app.links.tokens import Keyring
from shopify_app.locales import i18n
from shopify_app.portal.entry import sessions
from shopify_app.portal.errors import (
    LoginRequired,
    ProxySignatureInvalid,
    SessionInvalid,
    SessionRequired,
    ShopNotInstalled,
)
from shopify_app.shopify import gids, signatures
from shopify_app.storage.models import Shop

PORTAL_SEGMENT = "customer_portal"
# Shopify's proxy prefixes; the subpath is the merchant's choice (letters, digits, - and _).
_PATH_PREFIX = re.compile(r"^/(apps|a|community|tools)(/[A-Za-z0-9_-]+)+$")


@dataclass(frozen=True)
class ProxyContext:
    """A request Shopify really forwarded, for an installed shop."""

    shop: Shop
    logged_in_customer_id: int | None
    path_prefix: str  # "/tools/recurring"
    # The app secrets (current, then the old one during a rotation): redaction records are
    # keyed with them (see links/revocation).
    secrets: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def portal_path(self, suffix: str = "") -> str:
        """The storefront path of a portal page: forms post here, through the proxy."""
        return f"{self.path_prefix}/{PORTAL_SEGMENT}{suffix}"

    @property
    def login_url(self) -> str:
        """The store's account login, which brings the customer back signed in."""
        return_url = quote(self.portal_path(), safe="/")
        host = self.shop.storefront_host
        # the same scheme rule as links: http only for a loopback storefront (the sandbox)
        return f"{link_scheme(host)}://{host}/account/login?return_url={return_url}"


@dataclass(frozen=True)
class Visitor:
    """A customer identified on a shop, with the session value for the page about to render."""

    context: ProxyContext
    customer_id: int
    sealed: sessions.SealedSession
    presented: sessions.PortalSession | None = None  # the session the request carried, if any

    @property
    def shop(self) -> Shop:
        return self.context.shop

    @property
    def session(self) -> sessions.PortalSession:
        return self.sealed.session

    @property
    def locale(self) -> str:
        return self.sealed.session.locale


def _path_prefix(shop: Shop, signed: str | None) -> str:
    # Merchants can rename the proxy path: the signed `path_prefix` is the truth when present.
    if signed and _PATH_PREFIX.match(signed):
        return signed.rstrip("/")
    return f"/{shop.proxy_prefix}/{shop.proxy_subpath}".rstrip("/")


@lru_cache(maxsize=4)
def _shop_by_domain_sql(dialect: str) -> str:
    # The ORM writes the statement once per database kind, placeholder style included.
    return Shop.filter(domain="").sql()


async def shop_by_domain(domain: str) -> Shop | None:
    """`Shop.get_or_none(domain=...)`, every view's one query, without the ORM building the
    same statement each time (that took three quarters of the lookup). Nothing is cached but
    the statement: a shop's settings and installation apply at the next request."""
    db = Shop._meta.db
    rows = await db.execute_query_dict(_shop_by_domain_sql(db.capabilities.dialect), [domain])
    return Shop._init_from_db(**rows[0]) if rows else None


async def verify_proxy(
    query_string: str, secrets: str | Sequence[str], now: datetime
) -> ProxyContext:
    """Refuse anything Shopify did not sign a moment ago (with the current secret, or the old
    one during a rotation), or for a shop we do not serve."""
    keys = (secrets,) if isinstance(secrets, str) else tuple(secrets)
    if not any(signatures.verify_proxy_query(query_string, key, now.timestamp()) for key in keys):
        raise ProxySignatureInvalid("Please open this page from the store.")
    params = dict(signatures.parse_query(query_string))
    shop = await shop_by_domain(params.get("shop", ""))
    if shop is None or not shop.installed:
        raise ShopNotInstalled("This store does not offer the subscription portal.")
    # Signed, yet still bounded: an id past 64 bits would overflow the database's integers.
    customer_id = gids.numeric_id(params.get("logged_in_customer_id", ""))
    return ProxyContext(
        shop=shop,
        logged_in_customer_id=customer_id or None,
        path_prefix=_path_prefix(shop, params.get("path_prefix")),
        secrets=keys,
    )


async def visitor_from_session(
    context: ProxyContext, keyring: Keyring, value: str | None, now: datetime
) -> Visitor:
    """The visitor named by a presented session value (the CSRF check of every POST), unless
    the session began before the shop's (re)install or the customer's latest revocation or
    redaction: those end open sessions at once (one indexed read per page, beside the page's
    Admin API call)."""
    if not value:
        raise SessionRequired("Please open the portal again to continue.")
    session = sessions.open_value(
        keyring,
        value,
        now=now,
        shop=context.shop.domain,
        logged_in_customer_id=context.logged_in_customer_id,
    )
    installed_at = context.shop.installed_at
    # A session's start is kept to the second: compare at that precision.
    if installed_at is not None and session.started_at < installed_at.replace(microsecond=0):
        raise SessionInvalid("This session ended when the store reinstalled the portal.")
    cutoff = await revocation.valid_after(context.shop, session.customer_id, context.secrets)
    if cutoff is not None and session.started_at < cutoff:
        raise SessionInvalid("This session was ended by the store. Please open a new link.")
    return Visitor(context, session.customer_id, sessions.renew(keyring, session, now=now), session)


def visitor_from_login(
    context: ProxyContext, keyring: Keyring, now: datetime, locale: str | None = None
) -> Visitor:
    """A customer signed in to the storefront needs no link: Shopify vouches for them."""
    customer_id = context.logged_in_customer_id
    if customer_id is None:
        raise LoginRequired("Sign in to your account to manage your subscriptions.")
    sealed = sessions.start(
        keyring,
        shop=context.shop.domain,
        customer_id=customer_id,
        now=now,
        locale=i18n.resolve(locale, context.shop.default_locale),
    )
    return Visitor(context, customer_id, sealed)
