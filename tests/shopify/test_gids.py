from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopify_app.shopify.gids import numeric_id, parse_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gid://shopify/Customer/42", 42),
        ("gid://shopify/SubscriptionContract/9223372036854775807", 2**63 - 1),
        ("42", 42),
        (42, 42),
        ("gid://shopify/Customer/0", None),
        ("gid://shopify/Customer/9223372036854775808", None),  # past 64 bits
        ("gid://shopify/Customer/12345678901234567890", None),  # 20 digits
        ("gid://shopify/Customer/-1", None),
        ("gid://shopify/Customer/١٢", None),  # Arabic-Indic digits are not ids
        ("gid://shopify/Customer/", None),
        ("", None),
        (None, None),
    ],
)
def test_numeric_id(value: object, expected: int | None) -> None:
    assert numeric_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-20T10:00:00Z", datetime(2026, 1, 20, 10, tzinfo=UTC)),
        ("2026-01-20T10:00:00-05:00", datetime(2026, 1, 20, 15, tzinfo=UTC)),
        ("2026-01-20T10:00:00", datetime(2026, 1, 20, 10, tzinfo=UTC)),
        ("2026-13-01T00:00:00Z", None),
        ("soon", None),
        ("", None),
        (None, None),
        (1700000000, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo == UTC
