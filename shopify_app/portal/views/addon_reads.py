"""One-time add-ons: what the merchant offers, and what is already on each upcoming order.

An add-on is a line added to ONE billing cycle (`actions.addons`): that cycle's edited
contract has it, the contract itself does not. Read with `PortalAddOns` beside the contract
(a second Admin API request), only for a shop that offers add-ons, so every other shop's
contract page costs what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.views.viewmodels import ContractDetail, Money
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop

UPCOMING_WINDOW = timedelta(days=366)  # as `reads.UPCOMING_WINDOW`
MAX_OFFERED = 20


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


def parse_addons(data: dict[str, Any], detail: ContractDetail) -> dict[int, list[AddOn]]:
    own = {line.gid for line in detail.contract.lines}
    found: dict[int, list[AddOn]] = {}
    for cycle in _nodes(data.get("subscriptionBillingCycles")):
        edited = cycle.get("editedContract")
        index = cycle.get("cycleIndex")
        if not cycle.get("edited") or not isinstance(edited, dict) or not isinstance(index, int):
            continue
        for line in _nodes(edited.get("lines")):
            price = line.get("currentPrice") or {}
            amount = _amount(price.get("amount"))
            if line.get("id") in own or not isinstance(line.get("id"), str) or amount is None:
                continue
            found.setdefault(index, []).append(
                AddOn(
                    gid=line["id"],
                    title=str(line.get("title") or ""),
                    variant_title=str(line.get("variantTitle") or ""),
                    quantity=int(line.get("quantity") or 1),
                    price=Money(amount, str(price.get("currencyCode") or "")),
                )
            )
    return found


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


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def with_addons(
    admin: AdminClient, shop: Shop, detail: ContractDetail, now: datetime
) -> ContractDetail:
    """`detail` with its add-ons and the shop's offers (unchanged for a shop offering none)."""
    if not offers_addons(shop):
        return detail
    data = await admin.query(
        shop,
        "PortalAddOns",
        {
            "contractId": detail.contract.gid,
            "cyclesStart": _iso(now),
            "cyclesEnd": _iso(now + UPCOMING_WINDOW),
            "offered": offered_ids(shop),
        },
    )
    return replace(
        detail,
        addons=parse_addons(data, detail),
        offered_addons=parse_offered(data, detail.contract.currency),
    )
