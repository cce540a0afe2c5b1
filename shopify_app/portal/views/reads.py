"""What a page shows, each in ONE Admin API request, or none when `Reads` has it cached.

`load_overview` (a page of subscription cards) runs `PortalOverview` (plus `PortalNextOrder` for a
card whose date is a cycle known to be skipped: `next_orders`), `load_orders` the order
history (`PortalOrders`); `load_contract` (a contract with its upcoming orders) runs
`PortalContract` and is also the ownership check every action starts with: a contract that
is not the visitor's is "not found", whoever owns it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar, cast

from shopify_app.portal.errors import ContractNotFound
from shopify_app.portal.views import addon_reads, next_orders, resume_dates
from shopify_app.portal.views.parsing import (
    CONTRACT_GID,
    CUSTOMER_GID,
    parse_detail,
    parse_overview,
)
from shopify_app.portal.views.read_cache import ReadCache, last_change
from shopify_app.portal.views.viewmodels import ContractDetail, Overview
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyQueryError
from shopify_app.storage.models import Shop

UPCOMING_WINDOW = timedelta(days=366)
T = TypeVar("T")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def load_overview(
    admin: AdminClient, shop: Shop, customer_id: int, after: str | None = None
) -> Overview:
    variables = {"customerId": f"{CUSTOMER_GID}{customer_id}", "after": after}
    overview = parse_overview(await admin.query(shop, "PortalOverview", variables), customer_id)
    overview = await next_orders.on_overview(admin, shop, overview)
    return await resume_dates.on_overview(overview, shop.id)


async def load_orders(admin: AdminClient, shop: Shop, customer_id: int) -> Overview:
    data = await admin.query(shop, "PortalOrders", {"customerId": f"{CUSTOMER_GID}{customer_id}"})
    return parse_overview(data, customer_id)


async def load_contract(
    admin: AdminClient,
    shop: Shop,
    customer_id: int,
    contract_id: int,
    now: datetime,
    offers_cache: ReadCache | None = None,
) -> ContractDetail:
    """The contract with its upcoming cycles, or `ContractNotFound` unless it is the customer's;
    a shop's add-on offers through `offers_cache` when given (a view's: an action reads them
    afresh, to charge the current price)."""
    if contract_id <= 0:
        raise ContractNotFound("We could not find this subscription.")
    variables = {
        "contractId": f"{CONTRACT_GID}{contract_id}",
        "cyclesStart": _iso(now),
        "cyclesEnd": _iso(now + UPCOMING_WINDOW),
    }
    try:
        data = await admin.query(shop, "PortalContract", variables)
    except ShopifyQueryError as exc:
        # A missing (or another shop's) contract makes its billing cycles a top-level error
        # rather than null: answered like another customer's contract, no existence oracle.
        if "does not exist" in exc.detail.lower():
            raise ContractNotFound("We could not find this subscription.") from None
        raise
    detail = parse_detail(data)
    # Someone else's id answers exactly like a missing one: no probing for contract ids.
    if detail is None or detail.contract.customer_id != customer_id:
        raise ContractNotFound("We could not find this subscription.")
    detail = await resume_dates.on_detail(detail, shop.id, customer_id)
    return await addon_reads.with_addons(admin, shop, detail, now, offers_cache)


class Reads:
    """One request's reads for one customer, through the per-customer cache when given."""

    def __init__(
        self,
        admin: AdminClient,
        shop: Shop,
        customer_id: int,
        now: datetime,
        cache: ReadCache | None = None,
    ) -> None:
        self.admin, self.shop, self.customer_id, self.now = admin, shop, customer_id, now
        self.cache = cache
        self._changed: tuple[datetime | None] | None = None

    async def _cached(self, what: str, which: str, load: Callable[[], Awaitable[T]]) -> T:
        if self.cache is None:
            return await load()
        key = (self.shop.id, self.customer_id, what, which)
        if self._changed is None:
            self._changed = (await last_change(self.shop.id, self.customer_id),)
        found = self.cache.get(key, self.now, self._changed[0])
        if found is not None:
            return cast(T, found)
        value = await load()
        self.cache.put(key, value, self.now)
        return value

    async def overview(self, after: str | None = None) -> Overview:
        return await self._cached(
            "overview",
            after or "",
            lambda: load_overview(self.admin, self.shop, self.customer_id, after),
        )

    async def orders(self) -> Overview:
        return await self._cached(
            "orders", "", lambda: load_orders(self.admin, self.shop, self.customer_id)
        )

    async def contract(self, contract_id: int) -> ContractDetail:
        return await self._cached(
            "contract",
            str(contract_id),
            lambda: load_contract(
                self.admin, self.shop, self.customer_id, contract_id, self.now, self.cache
            ),
        )
