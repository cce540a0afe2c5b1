"""Reading a mint request's query parameters: pure functions over (name, value) pairs.

Empty values count as absent (integrations often send `customerId=&emailId=…`); a parameter
given twice is refused rather than guessed (`ambiguous_parameter`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from shopify_app.errors import BadRequest
from shopify_app.links import minting
from shopify_app.links.customers import parse_customer_id
from shopify_app.links.minting import MintOptions

Params = Sequence[tuple[str, str]]


class AmbiguousParameter(BadRequest):
    code = "ambiguous_parameter"
    title = "Parameter given more than once"


class MissingCustomer(BadRequest):
    code = "missing_customer"
    title = "Customer required"


def query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    """The (name, value) pairs of a raw query string, exactly as Starlette's
    `request.query_params.multi_items()` reads them (`parse_qsl`, blanks kept). A query without
    escapes (`%`, `+`), the common case, is split directly: `parse_qsl` costs ~3 us a request."""
    text = query_string.decode("latin-1")
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    pairs = (part.partition("=") for part in text.split("&") if part)
    return [(name, value) for name, _, value in pairs]


def single(params: Params, name: str) -> str | None:
    """The one non-empty value of `name`, None when absent or empty."""
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise AmbiguousParameter(
            f"{name} was given {len(values)} times.", extra={"parameter": name}
        )
    return values[0] if values and values[0] != "" else None


_OPTION_NAMES = frozenset({"expiresInMinutes", "destination", "source", "locale"})


def parse_options(params: Params) -> MintOptions:
    """`expiresInMinutes`, `destination`, `source`, `locale`, read and typed; their values are
    checked by the service (`minting.check_options`), which every mint calls first."""
    found: dict[str, str] = {}
    repeated = False
    for name, value in params:  # one pass: `single` per option scanned the query four times
        if name in _OPTION_NAMES:
            repeated = repeated or name in found
            found[name] = value
    if repeated:  # the errors, in the order the options are read
        return _parse_options_slowly(params)
    raw_minutes = found.get("expiresInMinutes") or None
    return MintOptions(
        _minutes(raw_minutes) if raw_minutes is not None else minting.DEFAULT_EXPIRES_IN_MINUTES,
        found.get("destination") or None,
        found.get("source") or "",
        found.get("locale") or None,
    )


def _parse_options_slowly(params: Params) -> MintOptions:
    """`parse_options` option by option, so a repeated one raises `ambiguous_parameter` (with
    its count) where a request with several faults always raised it."""
    raw_minutes = single(params, "expiresInMinutes")
    return MintOptions(
        _minutes(raw_minutes) if raw_minutes is not None else minting.DEFAULT_EXPIRES_IN_MINUTES,
        single(params, "destination"),
        single(params, "source") or "",
        single(params, "locale"),
    )


def _minutes(raw: str) -> int:
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 6:
        raise minting.InvalidParameter(
            "expiresInMinutes must be a whole number of minutes.",
            extra={"parameter": "expiresInMinutes"},
        )
    return int(raw)


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
