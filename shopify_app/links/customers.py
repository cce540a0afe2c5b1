"""Finding a shop's customer: the local `Customer` row first, the Admin API second.

A customer the app already knows costs one indexed query and no Admin API call; one it does not
know is fetched (`CustomerById` / `CustomersByEmail`) and remembered, so the next mint is local.
Shopify failing during a lookup surfaces as `ShopifyUnavailable` (503, Retry-After) and nothing
is stored.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError

from shopify_app.errors import BadRequest, NotFound
from shopify_app.mirror.contracts import mirror_customer_contracts
from shopify_app.shopify.errors import ShopifyQueryError
from shopify_app.shopify.gids import numeric_id, parse_datetime
from shopify_app.storage.models import Customer, Shop

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient

CUSTOMER_GID_PREFIX = "gid://shopify/Customer/"
MAX_CUSTOMER_ID = 2**63 - 1  # Shopify ids are 64-bit; the column is BIGINT
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit
ACTIVE_STATUSES = frozenset({"ACTIVE"})
# No whitespace, quotes or backslashes: the address goes inside a quoted Shopify search term.
_NO_TIME = timedelta(0)
_EMAIL = re.compile(r"[^\s\"\\@]+@[^\s\"\\@]+\.[^\s\"\\@]+")


class InvalidCustomerId(BadRequest):
    code = "invalid_customer_id"
    title = "Invalid customer id"


class InvalidEmail(BadRequest):
    code = "invalid_email"
    title = "Invalid email address"


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    title = "Customer not found"


class EmailNotFound(BadRequest):
    code = "email_not_found"
    title = "No subscriber with this email"


def parse_customer_id(raw: str) -> int:
    """A positive decimal id, or `gid://shopify/Customer/N` normalised to N."""
    text = raw.removeprefix(CUSTOMER_GID_PREFIX) if raw.startswith(CUSTOMER_GID_PREFIX) else raw
    # isdecimal() alone accepts other scripts' digits; ids are ASCII.
    if not (text.isascii() and text.isdecimal()) or len(text) > 19:
        raise InvalidCustomerId("customerId must be a positive integer or a Customer gid.")
    value = int(text)
    if not 0 < value <= MAX_CUSTOMER_ID:
        raise InvalidCustomerId("customerId must be a positive integer or a Customer gid.")
    return value


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if not email or len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email):
        raise InvalidEmail("emailId must be a single email address.")
    if any(not ch.isprintable() for ch in email):
        raise InvalidEmail("emailId must be a single email address.")
    return email


def _contracts(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(((node.get("subscriptionContracts") or {}).get("nodes")) or [])


def _email_of(node: Mapping[str, Any]) -> str | None:
    address = (node.get("defaultEmailAddress") or {}).get("emailAddress")
    return address.lower() if isinstance(address, str) else None


async def upsert_from_admin(shop: Shop, node: Mapping[str, Any]) -> Customer:
    """Create or refresh the local row from an Admin API customer node (keeps revocations)."""
    contracts = _contracts(node)
    active = [c for c in contracts if c.get("status") in ACTIVE_STATUSES]
    next_dates = [d for d in (parse_datetime(c.get("nextBillingDate")) for c in active) if d]
    values: dict[str, Any] = {
        "email": _email_of(node),
        "first_name": node.get("firstName") or "",
        "last_name": node.get("lastName") or "",
        "active_subscriptions": len(active),
        "inactive_subscriptions": len(contracts) - len(active),
        "next_order_date": min(next_dates) if next_dates else None,
    }
    customer_id = numeric_id(node.get("id"))
    if customer_id is None:
        raise ShopifyQueryError("Shopify answered a customer without a usable id.")
    await mirror_customer_contracts(shop.id, customer_id, contracts)
    for _ in range(2):
        row = await Customer.get_or_none(shop_id=shop.id, customer_id=customer_id)
        if row is not None:
            await row.update_from_dict(values).save()
            return row
        try:
            return await Customer.create(shop_id=shop.id, customer_id=customer_id, **values)
        except IntegrityError:
            continue  # a concurrent lookup created it: update that row
    raise RuntimeError("customer row could neither be read nor created")


async def find_by_id(admin: AdminClient, shop: Shop, customer_id: int) -> Customer:
    """The shop's customer `customer_id`, or `CustomerNotFound` (also for other shops' ids)."""
    row = await Customer.get_or_none(shop_id=shop.id, customer_id=customer_id)
    if row is not None:
        return row
    data = await admin.query(shop, "CustomerById", {"id": f"{CUSTOMER_GID_PREFIX}{customer_id}"})
    node = data.get("customer")
    if not node:
        raise CustomerNotFound(f"The shop has no customer {customer_id}.")
    return await upsert_from_admin(shop, node)


class KnownCustomers:
    """Per-process memory of (shop id, customer id) pairs seen to exist, for `ttl`: repeated
    mints for one customer (a campaign, a helpdesk) skip even the existence query."""

    def __init__(self, ttl: timedelta = timedelta(minutes=1), max_entries: int = 65536) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._seen: dict[tuple[int, int], datetime] = {}
        self._rechecks: set[tuple[int, int]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def __contains__(self, key: tuple[int, int]) -> bool:
        return key in self._seen

    def fresh(self, key: tuple[int, int], now: datetime) -> bool:
        seen = self._seen.get(key)
        return seen is not None and _NO_TIME <= now - seen < self.ttl

    def remember(self, key: tuple[int, int], now: datetime) -> None:
        if len(self._seen) >= self.max_entries:
            self._seen.clear()
        self._seen[key] = now

    def recheck(self, key: tuple[int, int], now: datetime,
                exists: Callable[[], Awaitable[bool]]) -> None:
        """Re-confirm a stale entry off the request (one check per key at a time): requests for
        a busy customer never all wait for the database together when the entry ages out."""
        if key in self._rechecks:
            return
        self._rechecks.add(key)

        async def run() -> None:
            try:
                if await exists():
                    self.remember(key, now)
                else:
                    self._seen.pop(key, None)
            finally:
                self._rechecks.discard(key)

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def ensure_known(
    admin: AdminClient,
    shop: Shop,
    customer_id: int,
    *,
    known: KnownCustomers | None = None,
    now: datetime | None = None,
) -> int:
    """`find_by_id` for the mint hot path: an existence check (or `known`'s memory), no row
    materialised; the Admin API only for a customer the app has never seen."""
    key = (shop.id, customer_id)
    if known is not None and now is not None and key in known:
        if not known.fresh(key, now):
            known.recheck(key, now, Customer.filter(shop_id=shop.id,
                                                    customer_id=customer_id).exists)
        return customer_id
    if not await Customer.filter(shop_id=shop.id, customer_id=customer_id).exists():
        await find_by_id(admin, shop, customer_id)
    if known is not None and now is not None:
        known.remember(key, now)
    return customer_id


def _search_term(email: str) -> str:
    return f'email:"{email}"'


async def find_by_email(admin: AdminClient, shop: Shop, email: str) -> Customer:
    """The shop's subscriber with this address (case-insensitive), or `EmailNotFound`."""
    address = normalise_email(email)
    local = (
        await Customer.filter(shop_id=shop.id, email=address)
        .order_by("-active_subscriptions", "-inactive_subscriptions", "customer_id")
        .first()
    )
    if local is not None and local.active_subscriptions + local.inactive_subscriptions > 0:
        return local
    data = await admin.query(shop, "CustomersByEmail", {"query": _search_term(address)})
    nodes = ((data.get("customers") or {}).get("nodes")) or []
    # Shopify's search is fuzzy: keep exact address matches that have subscriptions.
    matches = [n for n in nodes if _email_of(n) == address and _contracts(n)]
    if not matches:
        raise EmailNotFound("No customer with subscriptions has this email address.")
    matches.sort(key=lambda n: numeric_id(n.get("id")) or 0)
    return await upsert_from_admin(shop, matches[0])
