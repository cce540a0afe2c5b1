"""Shopify's wire formats for ids and times, read defensively: bad input is None, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_MAX_DIGITS = 19  # Shopify ids are 64-bit


def numeric_id(gid: object) -> int | None:
    """`gid://shopify/Kind/123` (or `123`) → 123; None for anything else."""
    text = str(gid or "").rsplit("/", 1)[-1]
    # isdecimal() alone accepts other scripts' digits; ids are ASCII.
    if not (text.isascii() and text.isdecimal()) or len(text) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 time from Shopify (`Z` or offset) as an aware UTC datetime, else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
