"""Shopify's scalar formats. Resolvers turn DateTime and Decimal inputs into Python values
here (the schema keeps them as plain strings, which works across graphql-core versions)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLError


def parse_datetime(value: Any) -> datetime:
    """Shopify accepts ISO 8601 date-times and plain dates; naive values are UTC."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise GraphQLError(f"Invalid DateTime {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise GraphQLError(f"Invalid DateTime {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise GraphQLError(f"Invalid Decimal {value!r}")
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise GraphQLError(f"Invalid Decimal {value!r}") from None
    if not parsed.is_finite():
        raise GraphQLError(f"Invalid Decimal {value!r}")
    return parsed
