"""Checking the merchant's cancellation reasons before they are saved (the admin's setting
`cancel_flow`): every field checked first, the first bad one named, nothing half-written.

Input: `{"reasons": [{"key"?, "label", "free_text"?, "offer": null | {"kind", ...}}]}` in the
order customers will see them. A reason without `key` is new: its key is made from its label.
Renaming keeps the key, so the report follows a reason through renames.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from shopify_app.errors import BadRequest
from shopify_app.merchant import cancel_reasons
from shopify_app.merchant.cancel_reasons import DEFAULT_LABELS, MAX_CODE, MAX_LABEL, MAX_MONTHS
from shopify_app.storage.models import Shop

_REASON_FIELDS = frozenset({"key", "label", "free_text", "offer"})
_CODE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")


class InvalidCancelSetting(BadRequest):
    code = "invalid_setting"  # the same code as every other setting
    title = "Invalid setting"


def _invalid(field: str, detail: str) -> InvalidCancelSetting:
    return InvalidCancelSetting(detail, extra={"field": field})


def _key_from(label: str, taken: set[str]) -> str:
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")[:32] or "reason"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _offer(where: str, value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
        raise _invalid(f"{where}.kind", "Choose an offer, or no offer.")
    kind = value["kind"]
    if kind not in cancel_reasons.kinds():
        raise _invalid(f"{where}.kind", f"There is no offer {kind[:40]!r} in this app.")
    allowed = {"kind", "months"} if kind == "pause" else {"kind", "code"} if kind == "discount" \
        else {"kind"}
    extra = set(value) - allowed
    if extra:
        name = sorted(extra)[0][:40]
        raise _invalid(f"{where}.{name}", f"A {kind} offer has no {name!r}.")
    if kind == "pause":
        months = value.get("months")
        if months is not None and (type(months) is not int or not 1 <= months <= MAX_MONTHS):
            raise _invalid(f"{where}.months", f"Pause for 1-{MAX_MONTHS} months, or until "
                                              "the customer resumes.")
        return {"kind": kind, "months": months}
    if kind == "discount":
        code = value.get("code")
        if not isinstance(code, str) or not code.strip():
            raise _invalid(f"{where}.code", "Enter the discount code to offer.")
        code = code.strip()
        if len(code) > MAX_CODE or not _CODE.match(code):
            raise _invalid(f"{where}.code", f"A discount code is 1-{MAX_CODE} characters "
                                            "without spaces.")
        return {"kind": kind, "code": code}
    return {"kind": kind}


def check(field: str, value: object, shop: Shop) -> object:
    """The value to store in `Shop.cancel_flow`, or `InvalidCancelSetting` naming the field."""
    if value is None:
        return None  # back to the defaults
    if not isinstance(value, dict) or set(value) != {"reasons"}:
        raise _invalid(field, f'{field} is {{"reasons": [...]}}.')
    items = value["reasons"]
    if not isinstance(items, list) or not 1 <= len(items) <= cancel_reasons.MAX_REASONS:
        raise _invalid(f"{field}.reasons",
                       f"Keep 1-{cancel_reasons.MAX_REASONS} cancellation reasons.")
    known = {r.key for r in cancel_reasons.reasons(shop)} | set(DEFAULT_LABELS)
    given = [i.get("key") for i in items if isinstance(i, dict)]
    taken: set[str] = {k for k in given if isinstance(k, str)}
    seen_keys: set[str] = set()
    seen_labels: set[str] = set()
    result: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        where = f"{field}.reasons[{index}]"
        if not isinstance(item, dict) or not set(item) <= _REASON_FIELDS:
            raise _invalid(where, "A reason is {label, free_text, offer}.")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _invalid(f"{where}.label", "Give the reason a name customers will read.")
        label = " ".join(label.split())
        if len(label) > MAX_LABEL:
            raise _invalid(f"{where}.label", f"A reason is at most {MAX_LABEL} characters.")
        if label.casefold() in seen_labels:
            raise _invalid(f"{where}.label", "Two reasons have this name.")
        seen_labels.add(label.casefold())
        key = item.get("key")
        if key is None:
            key = _key_from(label, taken)
            taken.add(key)
        elif not isinstance(key, str) or not cancel_reasons.KEY.match(key) or key not in known:
            raise _invalid(f"{where}.key", "This reason is not one of the shop's.")
        if key in seen_keys:
            raise _invalid(f"{where}.key", "The same reason is listed twice.")
        seen_keys.add(key)
        free_text = item.get("free_text", False)
        if not isinstance(free_text, bool):
            raise _invalid(f"{where}.free_text", "free_text is true or false.")
        # A default reason left as worded keeps following the customer's language.
        stored_label = None if DEFAULT_LABELS.get(key) == label else label
        result.append({"key": key, "label": stored_label, "free_text": free_text,
                       "offer": _offer(f"{where}.offer", item.get("offer"))})
    return {"reasons": result}


def view(shop: Shop) -> dict[str, Any]:
    """What the admin edits: the reasons (labels as the merchant reads them) and the kinds."""
    return {
        "reasons": [
            {**r.as_json(), "label": r.admin_label} for r in cancel_reasons.reasons(shop)
        ],
        "offer_kinds": cancel_reasons.kinds(),
        "max_months": MAX_MONTHS,
        "max_reasons": cancel_reasons.MAX_REASONS,
    }
