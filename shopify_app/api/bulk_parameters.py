"""Reading a bulk mint's JSON body: `{"items": [{customerId | emailId, options…}, …]}`.

The body as a whole is either usable or refused (400); an item that cannot be read becomes that
item's error, so its neighbours are still minted. Types are strict: a number where a string is
expected (or the reverse, but for `customerId` and `expiresInMinutes`, which take either) is the
item's `invalid_parameter`.
"""

from __future__ import annotations

from typing import Any

import orjson

from shopify_app.errors import AppError, BadRequest
from shopify_app.links import minting
from shopify_app.links.bulk import MAX_ITEMS, BulkItem
from shopify_app.links.customers import parse_customer_id
from shopify_app.links.minting import MintOptions

MAX_BODY_BYTES = 1024 * 1024  # 1,000 items of ~1 KB at most
_STRINGS = ("destination", "source", "locale")
_FLAGS = ("singleUse", "short")
ITEM_FIELDS = frozenset({"customerId", "emailId", "expiresInMinutes", *_STRINGS, *_FLAGS})


class InvalidJson(BadRequest):
    code = "invalid_json"
    title = "The body is not JSON"


class InvalidBatch(BadRequest):
    code = "invalid_batch"
    title = "Invalid batch"


class TooManyItems(BadRequest):
    code = "too_many_items"
    title = "Too many items"


def _invalid(index: int, name: str, detail: str) -> AppError:
    return minting.InvalidParameter(detail, extra={"parameter": f"items[{index}].{name}"})


def _item(index: int, raw: object) -> BulkItem | AppError:
    if not isinstance(raw, dict):
        return InvalidBatch(f"items[{index}] must be an object.", extra={"index": index})
    unknown = sorted(str(name)[:64] for name in raw if name not in ITEM_FIELDS)
    if unknown:
        return _invalid(index, unknown[0], f"items[{index}] has no field {unknown[0]!r}.")
    try:
        customer_id = _customer_id(index, raw.get("customerId"))
        email = raw.get("emailId")
        if email is not None and not isinstance(email, str):
            return _invalid(index, "emailId", "emailId must be a string.")
        if customer_id is None and not email:
            return AppError(
                "Give customerId or emailId.", status=400, code="missing_customer",
                title="Customer required", extra={"parameter": f"items[{index}]"},
            )
        return BulkItem(customer_id, None if customer_id is not None else email,
                        _options(index, raw))
    except AppError as exc:
        return exc


def _customer_id(index: int, raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise _invalid(index, "customerId", "customerId must be a number or a string.")
    return parse_customer_id(str(raw) if isinstance(raw, int) else raw)


def _options(index: int, raw: dict[str, Any]) -> MintOptions:
    minutes = raw.get("expiresInMinutes")  # absent: the shop's link lifetime
    if isinstance(minutes, str) and minutes.isascii() and minutes.isdecimal() and len(minutes) < 7:
        minutes = int(minutes)
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
        raise _invalid(index, "expiresInMinutes", "expiresInMinutes must be a whole number.")
    texts: dict[str, str | None] = {}
    for name in _STRINGS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise _invalid(index, name, f"{name} must be a string.")
        texts[name] = value or None
    flags: dict[str, bool | None] = {}
    for name in _FLAGS:
        value = raw.get(name)
        if value is not None and not isinstance(value, bool):
            raise _invalid(index, name, f"{name} must be true or false.")
        flags[name] = value
    return MintOptions(
        minutes, texts["destination"], texts["source"] or "", texts["locale"],
        flags["singleUse"], bool(flags["short"]),
    )


def parse_batch(body: bytes) -> list[BulkItem | AppError]:
    """The body's items, each read or its error. Refuses (400) a body that is not JSON, not
    `{"items": [...]}`, empty, or longer than `MAX_ITEMS`."""
    try:
        document = orjson.loads(body)  # refuses nesting deeper than 1024 levels
    except orjson.JSONDecodeError:
        raise InvalidJson("The body must be a JSON object: {\"items\": [...]}.") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise InvalidBatch("The body must be a JSON object: {\"items\": [...]}.")
    extra = sorted(str(name)[:64] for name in document if name != "items")
    if extra:
        raise InvalidBatch(f"The body has no field {extra[0]!r}: only items.")
    items = document["items"]
    if not items:
        raise InvalidBatch("items is empty: send 1 to 1,000 items.")
    if len(items) > MAX_ITEMS:
        raise TooManyItems(
            f"{len(items)} items: a batch holds at most {MAX_ITEMS}. Split it.",
            extra={"maxItems": MAX_ITEMS},
        )
    return [_item(index, raw) for index, raw in enumerate(items)]
