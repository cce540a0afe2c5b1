"""The simulated store's state: plain records, one per Shopify object it knows."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


def gid(kind: str, value: int | str) -> str:
    return f"gid://shopify/{kind}/{value}"


def parse_gid(value: str, kind: str) -> str | None:
    """The id part of `gid://shopify/{kind}/{id}`, or None when it is another kind or malformed."""
    prefix = f"gid://shopify/{kind}/"
    if not value.startswith(prefix):
        return None
    rest = value[len(prefix) :]
    return rest if rest and "/" not in rest else None


def parse_numeric_gid(value: str, kind: str) -> int | None:
    rest = parse_gid(value, kind)
    return int(rest) if rest is not None and rest.isdigit() else None


def money_text(amount: Decimal) -> str:
    """Shopify's Decimal scalar: at least one fractional digit, no trailing zeros beyond it
    (`30.0`, `29.95`)."""
    text = format(amount.normalize(), "f")
    if "." not in text:
        return f"{text}.0"
    return text


def iso(moment: datetime) -> str:
    """Shopify's DateTime: UTC with a `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ShopRecord:
    domain: str  # myshopify domain
    name: str
    primary_host: str  # custom domain, or the myshopify domain when there is none
    timezone: str = "UTC"
    currency: str = "USD"
    numeric_id: int = 1


@dataclass
class CustomerRecord:
    id: int
    shop: str
    first_name: str | None
    last_name: str | None
    email: str | None

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or (self.email or "")


@dataclass
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    province: str = ""
    province_code: str = ""
    zip: str = ""
    country: str = ""
    country_code: str = ""
    phone: str = ""


@dataclass
class PaymentMethodRecord:
    id: str  # Shopify uses opaque hex ids here
    customer_id: int
    brand: str
    last_digits: str
    expiry_month: int
    expiry_year: int
    name: str
    revoked_at: datetime | None = None


@dataclass
class Line:
    id: str
    title: str
    variant_title: str | None
    quantity: int
    price: Decimal
    sku: str | None = None
    product_id: int | None = None
    variant_id: int | None = None
    image_url: str | None = None
    selling_plan_id: int | None = None  # the plan the line was bought with (sandbox.catalog)


@dataclass
class Discount:
    """A discount on a contract (or draft). `code` is set for code discounts."""

    id: str
    title: str
    percentage: int | None = None
    amount: Decimal | None = None
    code: str | None = None
    recurring_cycle_limit: int | None = None
    usage_count: int = 0


@dataclass
class Policy:
    interval: str  # DAY WEEK MONTH YEAR
    interval_count: int


@dataclass
class Terms:
    """What a draft can change: copied from a contract, edited, then copied back on commit."""

    status: str
    next_billing_date: datetime
    billing_policy: Policy
    delivery_policy: Policy
    address: Address
    lines: list[Line]
    discounts: list[Discount]
    note: str | None = None
    min_cycles: int | None = None
    max_cycles: int | None = None

    def copy(self) -> Terms:
        return copy.deepcopy(self)


@dataclass
class ContractRecord:
    id: int
    shop: str
    customer_id: int
    terms: Terms
    created_at: datetime
    updated_at: datetime
    currency: str = "USD"
    delivery_price: Decimal = Decimal("0")
    payment_method_id: str | None = None
    # The index of the cycle billed at `terms.next_billing_date`; earlier cycles are billed.
    next_cycle_index: int = 1
    skipped_cycles: set[int] = field(default_factory=set)
    # Bumped on every change; a draft made from an older revision is stale (Shopify's
    # STALE_CONTRACT), so committing it cannot undo a change made meanwhile.
    revision: int = 1
    # Billing-cycle contract edits: the terms one cycle bills with instead (sandbox.cycle_edits).
    cycle_edits: dict[int, Terms] = field(default_factory=dict)


@dataclass
class DraftRecord:
    id: int
    contract_id: int
    terms: Terms
    base_revision: int
    committed: bool = False
    cycle_index: int | None = None  # set for a billing cycle's draft (sandbox.cycle_edits)


@dataclass
class OrderRecord:
    id: int
    shop: str
    customer_id: int
    number: int
    processed_at: datetime
    total: Decimal
    currency: str = "USD"
    financial_status: str = "PAID"
    fulfillment_status: str = "FULFILLED"
    contract_id: int | None = None
    lines: list[OrderLine] = field(default_factory=list)
    fulfillments: list[FulfillmentRecord] = field(default_factory=list)
    shipping: Decimal = Decimal("0")
    discounts: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")

    @property
    def name(self) -> str:
        return f"#{self.number}"


@dataclass(frozen=True)
class OrderLine:
    id: int
    title: str
    variant_title: str | None
    quantity: int
    unit_price: Decimal
    image_url: str | None = None


@dataclass(frozen=True)
class TrackingRecord:
    company: str | None
    number: str | None
    url: str | None


@dataclass
class FulfillmentRecord:
    id: int
    created_at: datetime
    status: str = "SUCCESS"  # FulfillmentStatus
    display_status: str = "IN_TRANSIT"  # FulfillmentDisplayStatus
    tracking: list[TrackingRecord] = field(default_factory=list)


@dataclass
class BillingAttemptRecord:
    """What `subscriptionBillingCycleCharge` created: one per charged cycle."""

    id: int
    shop: str
    contract_id: int
    cycle_index: int
    created_at: datetime
    origin_time: datetime
    order_id: int | None
    idempotency_key: str


@dataclass(frozen=True)
class DiscountCode:
    code: str
    percentage: int | None = None
    amount: Decimal | None = None
    recurring_cycle_limit: int | None = None


@dataclass(frozen=True)
class SentEmail:
    """What `customerPaymentMethodSendUpdateEmail` would have emailed."""

    shop: str
    customer_id: int
    to: str
    payment_method_id: str
    sent_at: datetime
