"""Magic links to the customer portal: the portal URL of a shop and the mint of a link."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from shopify_app.errors import BadRequest, Conflict
from shopify_app.links import customers, short_links, stats, tokens
from shopify_app.links.tokens import Keyring
from shopify_app.storage.models import Shop

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient

RecordMint = Callable[[Shop, int, str, datetime], Awaitable[None]]
PORTAL_PATH = "customer_portal"
DEFAULT_EXPIRES_IN_MINUTES = 120
MIN_EXPIRES_IN_MINUTES = 5
MAX_EXPIRES_IN_MINUTES = 10080  # one week: long enough for an email campaign
DESTINATIONS = ("subscriptions", "orders", "payment", "address", "upcoming")
PROXY_PREFIXES = ("apps", "a", "community", "tools")  # the only ones Shopify offers
_SOURCE = re.compile(r"[a-z0-9_-]{1,64}")
_LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
_SUBPATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class InvalidParameter(BadRequest):
    code = "invalid_parameter"
    title = "Invalid parameter"


class PortalNotConfigured(Conflict):
    code = "portal_not_configured"
    title = "The portal is not reachable for this shop"


class MintOptions(NamedTuple):
    """How the link behaves: the caller's options, checked by `check_options`. (A named tuple:
    one is made per mint, and a frozen dataclass costs several times more.)"""

    expires_in_minutes: int | None = None  # None: the shop's link lifetime setting
    destination: str | None = None
    source: str = ""
    locale: str | None = None
    single_use: bool | None = None  # None: the shop's link policy
    short: bool = False  # also a short link (`shortLink`)


class Minter(NamedTuple):
    """Who mints: the signing keys, the calling API key, where the mint is counted (the API
    passes its buffered `MintCounter.add`) and the cache of customers known to exist."""

    keyring: Keyring
    api_key_id: int = 0
    record: RecordMint = stats.record_mint
    known: customers.KnownCustomers | None = None


class MintedLink(NamedTuple):
    url: str
    portal_url: str
    token: str
    expires_at: datetime
    customer_id: int
    short_url: str | None = None


def link_scheme(host: str) -> str:
    """https for every storefront; plain http only for a loopback host (the local sandbox,
    whose simulated storefront listens on e.g. `127.0.0.1:8002`)."""
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return "http" if name in _LOOPBACK_HOSTS else "https"


def portal_url(shop: Shop) -> str:
    """`https://{primary or myshopify domain}/{prefix}/{subpath}/customer_portal`."""
    return _build_portal_url(shop.primary_domain, shop.domain, shop.proxy_prefix,
                             shop.proxy_subpath)


# Memoised: every mint asks, from a shop's four settings (a few distinct tuples per process), and
# the checks cost ~4 us. A refused setting raises each time (exceptions are not cached).
@functools.lru_cache(maxsize=1024)
def _build_portal_url(
    primary_domain: str | None, domain: str | None, proxy_prefix: str | None,
    proxy_subpath: str | None,
) -> str:
    host = (primary_domain or domain or "").strip().lower()
    prefix = (proxy_prefix or "").strip("/")
    subpath = (proxy_subpath or "").strip("/")
    if not _HOST.fullmatch(host) or prefix not in PROXY_PREFIXES:
        raise PortalNotConfigured("The shop's storefront address or app proxy prefix is unusable.")
    if not all(_SUBPATH.fullmatch(part) for part in subpath.split("/")):
        raise PortalNotConfigured("The shop's app proxy subpath is unusable.")
    return f"{link_scheme(host)}://{host}/{prefix}/{subpath}/{PORTAL_PATH}"


def lifetime_minutes(shop: Shop, options: MintOptions) -> int:
    """The caller's `expiresInMinutes`, else the merchant's default link lifetime."""
    if options.expires_in_minutes is not None:
        return options.expires_in_minutes
    return shop.link_lifetime_minutes or DEFAULT_EXPIRES_IN_MINUTES


def check_options(options: MintOptions) -> None:
    """Raise `InvalidParameter` for the first option out of range."""
    expires_in_minutes, destination, source, locale = options[:4]
    if expires_in_minutes is not None and not (
        MIN_EXPIRES_IN_MINUTES <= expires_in_minutes <= MAX_EXPIRES_IN_MINUTES
    ):
        raise InvalidParameter(
            f"expiresInMinutes must be between {MIN_EXPIRES_IN_MINUTES} and "
            f"{MAX_EXPIRES_IN_MINUTES}.",
            extra={"parameter": "expiresInMinutes"},
        )
    if destination is not None and destination not in DESTINATIONS:
        raise InvalidParameter(
            f"destination must be one of {', '.join(DESTINATIONS)}.",
            extra={"parameter": "destination"},
        )
    if source and not _SOURCE.fullmatch(source):
        raise InvalidParameter(
            "source must be 1-64 characters of a-z, 0-9, '_' and '-'.",
            extra={"parameter": "source"},
        )
    if locale is not None and not _LOCALE.fullmatch(locale):
        raise InvalidParameter(
            "locale must be a language tag such as en or fr-CA.", extra={"parameter": "locale"}
        )


async def mint_link(
    admin: AdminClient,
    shop: Shop,
    customer_id: int,
    options: MintOptions,
    minter: Minter,
    *,
    now: datetime,
) -> MintedLink:
    """A signed-in link to the portal of the shop's customer `customer_id`, counted per source
    through `minter.record`."""
    check_options(options)
    base = portal_url(shop)
    known_id = await customers.ensure_known(admin, shop, customer_id, known=minter.known, now=now)
    link = await issue_link(shop, base, known_id, options, minter, now=now)
    if not options.short:
        return link
    [code] = await short_links.create_many(
        shop, [short_links.ShortLinkRequest(link.token, link.expires_at)]
    )
    return link._replace(short_url=short_links.short_url(base, code))


async def issue_link(
    shop: Shop, base: str, customer_id: int, options: MintOptions, minter: Minter, *,
    now: datetime,
) -> MintedLink:
    """The token and link for a customer known to exist, counted; no short link."""
    issued = tokens.issue(
        minter.keyring,
        shop=shop.domain,
        customer_id=customer_id,
        now=now,
        ttl=_lifetime(lifetime_minutes(shop, options)),
        source=options.source,
        destination=options.destination,
        locale=options.locale,
        api_key_id=minter.api_key_id,
        single_use=options.single_use,
    )
    await minter.record(shop, minter.api_key_id, options.source, now)
    # Positional (url, portal_url, token, expires_at, customer_id): cheaper to build.
    return MintedLink(f"{base}?token={issued.token}", base, issued.token, issued.expires_at,
                      customer_id)


@functools.lru_cache(maxsize=64)
def _lifetime(minutes: int) -> timedelta:
    """A link lifetime as a timedelta, built once per value (~0.8 us each time otherwise)."""
    return timedelta(minutes=minutes)


async def mint_link_for_email(
    admin: AdminClient, shop: Shop, email: str, options: MintOptions, minter: Minter, *,
    now: datetime,
) -> MintedLink:
    """`mint_link` for the shop's subscriber with this email address (`email_not_found`)."""
    check_options(options)
    portal_url(shop)  # fail on a broken proxy setting before asking Shopify anything
    customer = await customers.find_by_email(admin, shop, email)
    return await mint_link(admin, shop, customer.customer_id, options, minter, now=now)
