"""The local mirror of a shop's subscription contracts, and the customer counters built on it.

`sync` fills the mirror from the Admin API; `subscription_contracts/*` webhooks keep it fresh.
A customer's `active_subscriptions`, `inactive_subscriptions` and `next_order_date` are always
recomputed from the mirror rows, never incremented, so replaying a page or a webhook changes
nothing. Writes are `INSERT … ON CONFLICT DO UPDATE` (SQLite and PostgreSQL alike): two
concurrent writers of one row cannot fail on the unique key.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopify_app.shopify.gids import numeric_id, parse_datetime
from shopify_app.storage.models import Customer, SubscriptionContract

ACTIVE = "active"
_CONTRACT_FIELDS = ("customer_id", "status", "next_billing_date", "currency", "updated_at",
                    "revision_id")
_COUNTER_FIELDS = ("active_subscriptions", "inactive_subscriptions", "next_order_date")
_PROFILE_FIELDS = ("email", "first_name", "last_name", "lifetime_value", "currency",
                   "profile_updated_at")


@dataclass(frozen=True)
class ContractRow:
    """One contract as the mirror keeps it. `status` is lower case (`active`, `paused`…)."""

    contract_id: int
    customer_id: int
    status: str
    next_billing_date: datetime | None = None
    currency: str = ""
    updated_at: datetime | None = None
    revision_id: int | None = None  # a webhook's `revision_id`; sync knows none


@dataclass(frozen=True)
class CustomerProfile:
    """What the Admin API says of a customer beyond its contracts."""

    customer_id: int
    email: str | None
    first_name: str
    last_name: str
    lifetime_value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class Counters:
    active: int
    inactive: int
    next_order_date: datetime | None


def parse_amount(value: Any) -> Decimal | None:
    """Shopify's `Decimal` scalar (a string such as `"138.91"`); None when unusable."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and abs(amount) < Decimal(10) ** 16 else None


async def upsert_contracts(
    shop_id: int, rows: Sequence[ContractRow], *, keep: Collection[str] = ()
) -> None:
    """Insert or update mirror rows. A known row keeps the fields named in `keep` (what the
    caller does not know, e.g. a webhook payload without a next billing date)."""
    if not rows:
        return
    latest = {row.contract_id: row for row in rows}  # a page never repeats; a caller might
    objects = [
        SubscriptionContract(
            shop_id=shop_id, contract_id=row.contract_id, customer_id=row.customer_id,
            status=row.status, next_billing_date=row.next_billing_date,
            currency=row.currency, updated_at=row.updated_at, revision_id=row.revision_id,
        )
        for row in latest.values()
    ]
    if all(row.revision_id is None for row in latest.values()):
        keep = {*keep, "revision_id"}  # a sync never forgets the revision a webhook taught
    fields = [name for name in _CONTRACT_FIELDS if name not in keep]
    await SubscriptionContract.bulk_create(
        objects, on_conflict=("shop_id", "contract_id"), update_fields=fields
    )


async def mirror_customer_contracts(
    shop_id: int, customer_id: int, nodes: Sequence[Mapping[str, Any]]
) -> None:
    """Mirror a customer's contracts as an Admin API customer lookup returned them (`id`,
    `status`, `nextBillingDate`), so that later webhooks recount from every contract."""
    rows = [
        ContractRow(contract_id, customer_id, str(node.get("status") or "").lower(),
                    parse_datetime(node.get("nextBillingDate")))
        for node in nodes
        if (contract_id := numeric_id(node.get("id"))) is not None and node.get("status")
    ]
    await upsert_contracts(shop_id, rows, keep=("currency", "updated_at"))


def count(rows: Sequence[tuple[str, datetime | None]]) -> Counters:
    """Counters from a customer's (status, next billing date) pairs: the next order is the
    earliest next billing date of an active contract."""
    active_dates = [date for status, date in rows if status == ACTIVE]
    dates = [date for date in active_dates if date is not None]
    return Counters(len(active_dates), len(rows) - len(active_dates), min(dates, default=None))


async def counters_of(shop_id: int, customer_ids: Collection[int]) -> dict[int, Counters]:
    """Every listed customer's counters from the mirror, in one query."""
    found: dict[int, list[tuple[str, datetime | None]]] = {cid: [] for cid in customer_ids}
    if not found:
        return {}
    rows = await SubscriptionContract.filter(
        shop_id=shop_id, customer_id__in=list(found)
    ).values_list("customer_id", "status", "next_billing_date")
    for customer_id, status, next_date in rows:
        found[customer_id].append((status, next_date))
    return {customer_id: count(pairs) for customer_id, pairs in found.items()}


async def claim_customers(
    shop_id: int,
    customer_ids: Collection[int],
    profiles: Mapping[int, CustomerProfile] | None = None,
) -> None:
    """Create the missing customer rows and touch the others, writing `profiles` (names,
    email, lifetime value) when given; revocations (`links_valid_after`) are never touched.

    Call it first in a transaction that changes contracts: on PostgreSQL the upsert locks the
    customer rows until commit, so two deliveries for one customer (an order that starts two
    subscriptions) recount one after the other and the second sees both contracts. Rows are
    claimed in id order, so two claimers never wait on each other in a cycle."""
    if profiles is not None and any(cid not in profiles for cid in customer_ids):
        raise ValueError("every customer needs a profile when profiles are given")
    now = datetime.now(UTC)
    objects = []
    for customer_id in sorted(set(customer_ids)):
        values: dict[str, Any] = {}
        profile = (profiles or {}).get(customer_id)
        if profile is not None:
            values.update(
                email=profile.email, first_name=profile.first_name,
                last_name=profile.last_name, lifetime_value=profile.lifetime_value,
                currency=profile.currency, profile_updated_at=now,
            )
        objects.append(Customer(shop_id=shop_id, customer_id=customer_id, created_at=now,
                                updated_at=now, **values))
    if objects:
        fields = ["updated_at", *(_PROFILE_FIELDS if profiles is not None else ())]
        await Customer.bulk_create(
            objects, on_conflict=("shop_id", "customer_id"), update_fields=fields
        )


async def recount_customers(shop_id: int, customer_ids: Collection[int]) -> int:
    """Write `customer_ids`' counters, recomputed from the mirror (rows claimed before).
    Returns how many customers were written."""
    counters = await counters_of(shop_id, sorted(set(customer_ids)))
    now = datetime.now(UTC)
    objects = [
        Customer(shop_id=shop_id, customer_id=customer_id, created_at=now, updated_at=now,
                 active_subscriptions=counted.active,
                 inactive_subscriptions=counted.inactive,
                 next_order_date=counted.next_order_date)
        for customer_id, counted in counters.items()
    ]
    if objects:
        await Customer.bulk_create(
            objects, on_conflict=("shop_id", "customer_id"), update_fields=_COUNTER_FIELDS
        )
    return len(objects)
