"""Reading a mint request's query parameters: pure functions over (name, value) pairs.

Empty values count as absent (integrations often send `customerId=&emailId=…`); a parameter
given twice is refused rather than guessed (`ambiguous_parameter`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shopify_app import links
from shopify_app.customers import parse_customer_id
from shopify_app.errors import BadRequest

Params = Sequence[tuple[str, str]]


class AmbiguousParameter(BadRequest):
    code = "ambiguous_parameter"
    title = "Parameter given more than once"


class MissingCustomer(BadRequest):
    code = "missing_customer"
    title = "Customer required"


def single(params: Params, name: str) -> str | None:
    """The one non-empty value of `name`, None when absent or empty."""
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise AmbiguousParameter(
            f"{name} was given {len(values)} times.", extra={"parameter": name}
        )
    return values[0] if values and values[0] != "" else None


@dataclass(frozen=True)
class MintOptions:
    expires_in_minutes: int = links.DEFAULT_EXPIRES_IN_MINUTES
    destination: str | None = None
    source: str = ""
    locale: str | None = None


def parse_options(params: Params) -> MintOptions:
    """`expiresInMinutes`, `destination`, `source`, `locale`, validated."""
    raw_minutes = single(params, "expiresInMinutes")
    minutes = links.DEFAULT_EXPIRES_IN_MINUTES
    if raw_minutes is not None:
        if not (raw_minutes.isascii() and raw_minutes.isdecimal()) or len(raw_minutes) > 6:
            raise links.InvalidParameter(
                "expiresInMinutes must be a whole number of minutes.",
                extra={"parameter": "expiresInMinutes"},
            )
        minutes = int(raw_minutes)
    options = MintOptions(
        expires_in_minutes=minutes,
        destination=single(params, "destination"),
        source=single(params, "source") or "",
        locale=single(params, "locale"),
    )
    links.check_options(
        options.expires_in_minutes, options.destination, options.source, options.locale
    )
    return options


@dataclass(frozen=True)
class Target:
    """Exactly one of `customer_id` and `email` is set."""

    customer_id: int | None
    email: str | None


def parse_target(params: Params) -> Target:
    """`customerId` (wins when both are given) or `emailId`; neither → `missing_customer`."""
    raw_id, email = single(params, "customerId"), single(params, "emailId")
    if raw_id is not None:
        return Target(parse_customer_id(raw_id), None)
    if email is not None:
        return Target(None, email)
    raise MissingCustomer("Give customerId or emailId.")


def parse_customer(params: Params) -> int:
    """A required `customerId` (the revoke endpoint)."""
    raw_id = single(params, "customerId")
    if raw_id is None:
        raise MissingCustomer("Give customerId.")
    return parse_customer_id(raw_id)
