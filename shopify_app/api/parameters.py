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
    `request.query_params.multi_items()` reads them (`parse_qsl`, blanks kept)."""
    text = query_string.decode("latin-1")
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    # Nothing to unquote (an integration's usual `source=klaviyo`): parse_qsl's own split, a
    # third of its cost. Empty pieces are skipped and a bare name has the value "", as there.
    return [(name, value) for name, _, value in (
        piece.partition("=") for piece in text.split("&") if piece)]


def single(params: Params, name: str) -> str | None:
    """The one non-empty value of `name`, None when absent or empty."""
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise AmbiguousParameter(
            f"{name} was given {len(values)} times.", extra={"parameter": name}
        )
    return values[0] if values and values[0] != "" else None


def parse_options(params: Params) -> MintOptions:
    """`expiresInMinutes`, `destination`, `source`, `locale`, `singleUse`, `short`, read and
    typed; their values are checked by the service (`minting.check_options`), which every mint
    calls first. A repeated option is `ambiguous_parameter`."""
    values = dict(params)
    if len(values) == len(params):
        # No name repeats (the usual query): one dict instead of a pass over the pairs per
        # option. Empty values count as absent, as in `single`.
        def read(name: str) -> str | None:
            return values.get(name) or None
    else:
        def read(name: str) -> str | None:
            return single(params, name)
    raw_minutes = read("expiresInMinutes")
    single_use, short = read("singleUse"), read("short")
    return MintOptions(
        _minutes(raw_minutes) if raw_minutes is not None else None,  # None: the shop's default
        read("destination"),
        read("source") or "",
        read("locale"),
        flag(single_use, "singleUse") if single_use is not None else None,
        flag(short, "short") if short is not None else False,
    )


def flag(raw: str, name: str) -> bool:
    """`true` or `false`, nothing else (a typo must not silently mean the default)."""
    if raw not in ("true", "false"):
        raise minting.InvalidParameter(f"{name} must be true or false.", extra={"parameter": name})
    return raw == "true"


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
