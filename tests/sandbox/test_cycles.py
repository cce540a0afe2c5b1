"""Billing-cycle arithmetic: intervals, month ends, ranges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopify_app.sandbox import cycles, demo
from shopify_app.sandbox.store import SimulatedStore


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "interval", "count", "expected"),
    [
        (at(2026, 1, 31), "MONTH", 1, at(2026, 2, 28)),
        (at(2026, 1, 31), "MONTH", 2, at(2026, 3, 31)),
        (at(2024, 2, 29), "YEAR", 1, at(2025, 2, 28)),
        (at(2026, 3, 15), "MONTH", -3, at(2025, 12, 15)),
        (at(2026, 12, 1), "MONTH", 1, at(2027, 1, 1)),
        (at(2026, 3, 1), "WEEK", 2, at(2026, 3, 15)),
        (at(2026, 3, 1), "DAY", -1, at(2026, 2, 28)),
    ],
)
def test_add_interval(start: datetime, interval: str, count: int, expected: datetime) -> None:
    assert cycles.add_interval(start, interval, count) == expected


def test_cycles_count_from_the_anchor_so_month_ends_do_not_drift(store: SimulatedStore) -> None:
    contract = store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID]
    contract.terms.next_billing_date = at(2026, 1, 31)
    dates = [c.start_at for c in cycles.by_index_range(contract, 4, 7)]
    assert dates == [at(2026, 1, 31), at(2026, 2, 28), at(2026, 3, 31), at(2026, 4, 30)]


def test_max_cycles_ends_the_schedule(store: SimulatedStore) -> None:
    contract = store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID]
    contract.terms.max_cycles = 5
    found = cycles.by_date_range(contract, at(2020, 1, 1), at(2030, 1, 1))
    assert [c.index for c in found] == [1, 2, 3, 4, 5]


def test_containing(store: SimulatedStore) -> None:
    contract = store.contracts[demo.BOB_CONTRACT_ID]  # weekly, cycle 11 on 2026-03-12 noon
    found = cycles.containing(contract, at(2026, 3, 14))
    assert found is not None
    assert found.index == 11
    assert cycles.containing(contract, datetime(2000, 1, 1, tzinfo=UTC)) is None
