"""Billing cycles, computed from a contract's next billing date and billing policy.

Cycle `contract.next_cycle_index` is billed at `terms.next_billing_date`; cycle k is that date
moved by (k - next_cycle_index) billing intervals, always counted from the anchor so month ends
never drift (Jan 31 → Feb 28 → Mar 31). Earlier cycles are billed; skips are stored per index.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from shopify_app.sandbox.records import ContractRecord

# Enough for any date range a portal asks for; Shopify caps ranges similarly.
MAX_CYCLES_SCANNED = 1000


def add_interval(moment: datetime, interval: str, count: int) -> datetime:
    """`moment` moved by `count` intervals (negative counts go back); month ends are clamped."""
    if interval == "DAY":
        return moment + timedelta(days=count)
    if interval == "WEEK":
        return moment + timedelta(weeks=count)
    months = count * (12 if interval == "YEAR" else 1)
    if interval not in ("MONTH", "YEAR"):
        raise ValueError(f"unknown interval {interval!r}")
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Cycle:
    contract_id: int
    index: int
    start_at: datetime
    end_at: datetime
    skipped: bool
    billed: bool

    @property
    def expected_at(self) -> datetime:
        return self.start_at


def cycle(contract: ContractRecord, index: int) -> Cycle:
    terms = contract.terms
    policy = terms.billing_policy
    offset = index - contract.next_cycle_index
    start = add_interval(terms.next_billing_date, policy.interval, offset * policy.interval_count)
    end = add_interval(
        terms.next_billing_date, policy.interval, (offset + 1) * policy.interval_count
    )
    return Cycle(
        contract_id=contract.id,
        index=index,
        start_at=start,
        end_at=end,
        skipped=index in contract.skipped_cycles,
        billed=index < contract.next_cycle_index,
    )


def exists(contract: ContractRecord, index: int) -> bool:
    max_cycles = contract.terms.max_cycles
    return index >= 1 and (max_cycles is None or index <= max_cycles)


def by_index_range(contract: ContractRecord, start: int, end: int) -> list[Cycle]:
    first = max(start, 1)
    last = min(end, first + MAX_CYCLES_SCANNED)
    return [cycle(contract, i) for i in range(first, last + 1) if exists(contract, i)]


def by_date_range(contract: ContractRecord, start: datetime, end: datetime) -> list[Cycle]:
    """Cycles whose billing is expected within [start, end]."""
    found: list[Cycle] = []
    index = 1
    while exists(contract, index) and index <= MAX_CYCLES_SCANNED:
        current = cycle(contract, index)
        if current.expected_at > end:
            break
        if current.expected_at >= start:
            found.append(current)
        index += 1
    return found


def containing(contract: ContractRecord, moment: datetime) -> Cycle | None:
    """The cycle whose [start, end) holds `moment`."""
    index = 1
    while exists(contract, index) and index <= MAX_CYCLES_SCANNED:
        current = cycle(contract, index)
        if current.start_at <= moment < current.end_at:
            return current
        if current.start_at > moment:
            return None
        index += 1
    return None
