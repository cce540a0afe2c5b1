"""Plain, typed views of a customer's subscriptions, orders and money, as portal pages and
actions use them (`portal.parsing` builds them from the Admin API's answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopify_app.portal.views.addon_reads import AddOn, OfferedAddOn

# How far ahead a customer may move the next order (the page's date field and the server agree).
NEXT_DATE_HORIZON = timedelta(days=365)
MAX_QUANTITY = 100  # per line, on the page and in the server's check


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}".strip()


@dataclass(frozen=True)
class Line:
    gid: str
    title: str
    variant_title: str
    quantity: int
    price: Money
    image_url: str
    image_alt: str
    product_gid: str = ""
    variant_gid: str = ""


@dataclass(frozen=True)
class Address:
    first_name: str
    last_name: str
    company: str
    address1: str
    address2: str
    city: str
    province_code: str
    zip: str
    country_code: str
    phone: str


@dataclass(frozen=True)
class PaymentMethod:
    gid: str
    brand: str
    last_digits: str
    expiry: str
    expires_soon: bool
    revoked: bool
    expiry_month: int = 0
    expiry_year: int = 0

    def expires_before(self, moment: datetime | None) -> bool:
        """True when the card is no longer valid on `moment`'s day: a card is good through the
        last day of its expiry month."""
        if moment is None or not (1 <= self.expiry_month <= 12 and self.expiry_year > 0):
            return False
        return (moment.year, moment.month) > (self.expiry_year, self.expiry_month)


@dataclass(frozen=True)
class Discount:
    gid: str
    title: str
    value: str
    percentage: Decimal | None = None
    amount: Money | None = None
    each_item: bool = False
    target: str = "LINE_ITEM"

    def reduction(self, base: Decimal, items: int) -> Decimal:
        """What this discount takes off `base` (the lines, or shipping), never more."""
        if self.percentage is not None:
            off = base * self.percentage / 100
        elif self.amount is not None:
            off = self.amount.amount * (items if self.each_item else 1)
        else:
            off = Decimal(0)
        return min(max(off, Decimal(0)), base)


@dataclass(frozen=True)
class Contract:
    gid: str
    id: int
    status: str
    next_billing_date: datetime | None
    currency: str
    billing_interval: str
    billing_count: int
    delivery_interval: str
    delivery_count: int
    lines: list[Line]
    address: Address | None
    payment: PaymentMethod | None
    discounts: list[Discount]
    customer_id: int = 0
    delivery_price: Money | None = None
    complete: bool = True  # every line and discount read (a card reads only the first few)
    more_lines: bool = False  # lines beyond those read
    lines_count: int = 0  # every line, read or not (Shopify's `linesCount`; 0 when not asked)
    more_discounts: bool = False  # discounts beyond those read
    resume_on: date | None = None  # "paused until": the day a scheduled resume brings it back

    def estimated_total(self) -> Money | None:
        """The next order's total as the contract stands: lines, discounts, delivery.

        An estimate (taxes and the shop's own rules may change it), so pages label it so;
        None without lines, when lines disagree on the currency, or when only some lines
        and discounts were read."""
        if not self.complete:
            return None
        currencies = {line.price.currency for line in self.lines} | {self.currency}
        if not self.lines or len(currencies - {""}) > 1:
            return None
        subtotal = sum((line.price.amount * line.quantity for line in self.lines), Decimal(0))
        items = sum(line.quantity for line in self.lines)
        shipping = self.delivery_price.amount if self.delivery_price else Decimal(0)
        for discount in self.discounts:
            if discount.target == "SHIPPING_LINE":
                shipping -= discount.reduction(shipping, 1)
            else:
                subtotal -= discount.reduction(subtotal, items)
        currency = self.currency or next(iter(currencies - {""}), "")
        return Money(subtotal + shipping, currency)

    def line(self, gid: str) -> Line | None:
        return next((line for line in self.lines if line.gid == gid), None)

    def discount(self, gid: str) -> Discount | None:
        return next((d for d in self.discounts if d.gid == gid), None)


@dataclass(frozen=True)
class Order:
    name: str
    processed_at: datetime | None
    total: Money
    financial_status: str
    fulfillment_status: str
    id: int = 0


@dataclass(frozen=True)
class Cycle:
    index: int
    expected_at: datetime | None
    skipped: bool
    status: str
    edited: bool = False  # has edits of its own (one-time add-ons)


# Active first, then paused, then the ones that ended: what the customer can still act on.
_STATUS_ORDER = {"ACTIVE": 0, "PAUSED": 1}


def by_relevance(contracts: list[Contract]) -> list[Contract]:
    return sorted(contracts, key=lambda c: _STATUS_ORDER.get(c.status, 2))


@dataclass(frozen=True)
class Overview:
    customer_id: int
    first_name: str
    display_name: str
    contracts: list[Contract] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    more_after: str | None = None  # the cursor of the next page of subscriptions, if any


@dataclass(frozen=True)
class ContractDetail:
    contract: Contract
    cycles: list[Cycle]
    # One-time add-ons by cycle index, and the shop's add-on offers (`addon_reads`).
    addons: Mapping[int, list[AddOn]] = field(default_factory=dict)
    offered_addons: list[OfferedAddOn] = field(default_factory=list)
    live_ids: tuple[int, ...] = ()  # the customer's ACTIVE/PAUSED contracts (first 10)

    @property
    def next_unskipped(self) -> Cycle | None:
        return next((c for c in self.upcoming_cycles if not c.skipped), None)

    @property
    def upcoming_cycles(self) -> list[Cycle]:
        """Cycles not billed yet: one billed early ("order now") keeps its future date."""
        return [c for c in self.cycles if c.status != "BILLED"]

    @property
    def upcoming(self) -> list[Cycle]:
        """The orders that will really happen: none unless the contract is active (Shopify
        still answers a paused or cancelled contract's cycles, which will never bill)."""
        return self.upcoming_cycles if self.contract.status == "ACTIVE" else []

    def with_next_order(self) -> ContractDetail:
        """The contract as the customer should read it: Shopify keeps `nextBillingDate` on a
        skipped cycle, so the next order is the first cycle that is not skipped."""
        nxt = self.next_unskipped
        if self.contract.status != "ACTIVE" or nxt is None or nxt.expected_at is None:
            return self
        moved = replace(self.contract, next_billing_date=nxt.expected_at)
        return replace(self, contract=moved)
