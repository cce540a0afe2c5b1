"""One-time add-ons: what the merchant offers, and what is already on each upcoming order.

An add-on is a line added to ONE billing cycle (`actions.addons`): that cycle's edited
contract has it, the contract itself does not. Only for a shop that offers add-ons, and at a
cost that keeps a subscription page within its budget (issue 11: 60 points):
- the offers are the shop's, not the customer's: a view keeps `PortalAddOnOffers` in the
  portal's read cache under the shop for its minute (`read_cache.TTL`); an action reads them
  afresh (no cache), so what it adds is charged at the price Shopify answers then;
- `PortalContract` says which upcoming cycles are `edited`; only those are read, one small
  `PortalCycleAddOns` each (newest lines first, `ADDON_LINES` of them, more only when they
  are all add-ons and there are others): a customer with no add-on costs nothing more.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.views.read_cache import ReadCache
from shopify_app.portal.views.viewmodels import ContractDetail, Money
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

MAX_OFFERED = 20
ADDON_LINES = 3  # lines read per edited cycle at first: 11 requested points
MORE_LINES = 50  # the rare cycle with more add-ons than that, read again


@dataclass(frozen=True)
class AddOn:
    """A one-time line on one upcoming order."""

    gid: str
    title: str
    variant_title: str
    quantity: int
    price: Money

    @property
    def subtotal(self) -> Decimal:
        return self.price.amount * self.quantity


@dataclass(frozen=True)
class OfferedAddOn:
    variant_gid: str
    product_title: str
    variant_title: str
    price: Money
    available: bool

    @property
    def label(self) -> str:
        if not self.variant_title or self.variant_title == "Default Title":
            return self.product_title
        return f"{self.product_title} \u2013 {self.variant_title}"


def offered_ids(shop: Shop) -> list[str]:
    """The variant gids the merchant offers as add-ons (`Shop.addon_variants`)."""
    configured = shop.addon_variants if isinstance(shop.addon_variants, list) else []
    ids = [item.get("id") for item in configured if isinstance(item, dict)]
    return [i for i in ids if isinstance(i, str)][:MAX_OFFERED]


def offers_addons(shop: Shop) -> bool:
    enabled = policy.action_enabled(shop, "add_on") or policy.action_enabled(shop, "remove_add_on")
    return enabled and bool(offered_ids(shop))


def _amount(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def _nodes(value: object) -> list[dict[str, Any]]:
    nodes = value.get("nodes") if isinstance(value, dict) else None
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


def parse_cycle_addons(
    data: dict[str, Any], own: set[str], own_count: int
) -> tuple[list[AddOn], bool]:
    """(the add-ons among one edited cycle's lines, newest first, whether some were left
    unread). An add-on is one of the cycle's `linesCount - own_count` newest lines that is not
    one of the contract's own (which may be more than the page read of them)."""
    cycle = data.get("subscriptionBillingCycle")
    edited = cycle.get("editedContract") if isinstance(cycle, dict) else None
    lines = edited.get("lines") if isinstance(edited, dict) else None
    if not isinstance(cycle, dict) or not cycle.get("edited") or not isinstance(lines, dict):
        return [], False
    counted = (edited.get("linesCount") or {}).get("count") if isinstance(edited, dict) else None
    added = counted - own_count if isinstance(counted, int) and own_count else len(_nodes(lines))
    found: list[AddOn] = []
    for line in _nodes(lines)[: max(added, 0)]:
        price = line.get("currentPrice") or {}
        amount = _amount(price.get("amount"))
        if line.get("id") in own or not isinstance(line.get("id"), str) or amount is None:
            continue
        found.append(
            AddOn(
                gid=line["id"],
                title=str(line.get("title") or ""),
                variant_title=str(line.get("variantTitle") or ""),
                quantity=int(line.get("quantity") or 1),
                price=Money(amount, str(price.get("currencyCode") or "")),
            )
        )
    found.reverse()  # read newest first: shown in the order they were added
    info = lines.get("pageInfo")
    more = isinstance(info, dict) and info.get("hasNextPage") is True
    return found, more and len(found) == len(_nodes(lines)) < added


def parse_offered(data: dict[str, Any], currency: str) -> list[OfferedAddOn]:
    offered: list[OfferedAddOn] = []
    for node in data.get("nodes") or []:
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            continue  # a variant deleted since the merchant picked it answers null
        amount = _amount(node.get("price"))
        if amount is None:
            continue
        offered.append(
            OfferedAddOn(
                variant_gid=node["id"],
                product_title=str((node.get("product") or {}).get("title") or ""),
                variant_title=str(node.get("title") or ""),
                price=Money(amount, currency),
                available=node.get("availableForSale") is not False,
            )
        )
    return offered


async def _offered_nodes(
    admin: AdminClient, shop: Shop, now: datetime, cache: ReadCache | None
) -> list[dict[str, Any]]:
    """The offered variants' nodes; through `cache` under the shop (customer 0) if given."""
    ids = offered_ids(shop)
    key = (shop.id, 0, "addon-offers", ",".join(ids))
    kept = cache.get(key, now, None) if cache is not None else None
    if isinstance(kept, list):
        return kept
    data = await admin.query(shop, "PortalAddOnOffers", {"offered": ids})
    nodes = [n for n in data.get("nodes") or [] if isinstance(n, dict)]
    if cache is not None:
        cache.put(key, nodes, now)
    return nodes


async def _cycle_addons(
    admin: AdminClient, shop: Shop, detail: ContractDetail, index: int
) -> list[AddOn]:
    own = {line.gid for line in detail.contract.lines}
    for lines in (ADDON_LINES, MORE_LINES):
        data = await admin.query(
            shop,
            "PortalCycleAddOns",
            {"contractId": detail.contract.gid, "index": index, "lines": lines},
        )
        found, more = parse_cycle_addons(data, own, detail.contract.lines_count)
        if not more:
            break
    return found


async def with_addons(
    admin: AdminClient,
    shop: Shop,
    detail: ContractDetail,
    now: datetime,
    offers_cache: ReadCache | None = None,
) -> ContractDetail:
    """`detail` with its add-ons and the shop's offers (unchanged for a shop offering none);
    the offers through `offers_cache` when given (a view's, never an action's)."""
    if not offers_addons(shop):
        return detail
    edited = [c.index for c in detail.upcoming_cycles if c.edited]
    offered, *per_cycle = await asyncio.gather(
        _offered_nodes(admin, shop, now, offers_cache),
        *(_cycle_addons(admin, shop, detail, index) for index in edited),
    )
    return replace(
        detail,
        addons={index: found for index, found in zip(edited, per_cycle, strict=True) if found},
        offered_addons=parse_offered({"nodes": offered}, detail.contract.currency),
    )
