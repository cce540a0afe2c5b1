"""The merchant's cancellation reasons, each with at most one retention offer.

Stored per shop in `Shop.cancel_flow` as `{"reasons": [{"key", "label", "free_text", "offer"}]}`
in the order customers see them. A default reason keeps `label` null while the merchant has not
renamed it, so the portal words it in the customer's language (`cancel_reason.<key>`).

An offer is `{"kind": ...}` plus its parameters, all chosen by the merchant (never by the
customer's form): `pause` (`months` 1-12, or null for "until you resume"), `skip` (the next
order), `change_frequency` (the customer picks among the shop's allowed frequencies), `swap`
(only while a `swap` portal action exists) and `discount` (`code`, applied through the draft
flow). An offer is shown only while the portal action it runs is enabled for the shop and fits
the contract's status: the merchant's action toggles stay the one switch of what the portal does.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from shopify_app.merchant import policy
from shopify_app.storage.models import Shop

MAX_REASONS = 12
MAX_LABEL = 80
MAX_CODE = 255
MAX_MONTHS = 12
KEY = re.compile(r"^[a-z0-9_]{1,40}$")

# The portal action each offer runs (and whose toggle switches the offer off).
OFFER_ACTIONS: dict[str, str] = {
    "pause": "pause",
    "skip": "skip",
    "change_frequency": "change_frequency",
    "swap": "swap",
    "discount": "apply_discount",
}

# What competitors ship: the reasons, the English label the admin shows for them.
DEFAULT_LABELS: dict[str, str] = {
    "too_expensive": "Too expensive",
    "too_much": "I have too much",
    "no_longer_needed": "I no longer need it",
    "did_not_like": "I didn't like the product",
    "shipping": "Shipping issues",
    "other": "Other reason",
}
_DEFAULT_OFFERS: dict[str, dict[str, Any]] = {
    "too_much": {"kind": "skip"},
    "no_longer_needed": {"kind": "pause", "months": 2},
    "shipping": {"kind": "change_frequency"},
}


@dataclass(frozen=True)
class Offer:
    kind: str
    months: int | None = None  # pause: how long; None: until the customer resumes
    code: str = ""  # discount: the merchant's code

    @property
    def action(self) -> str:
        return OFFER_ACTIONS[self.kind]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == "pause":
            data["months"] = self.months
        if self.kind == "discount":
            data["code"] = self.code
        return data


@dataclass(frozen=True)
class Reason:
    key: str
    label: str | None  # None: the app's wording for a default key
    free_text: bool = False
    offer: Offer | None = None

    @property
    def admin_label(self) -> str:
        return self.label or DEFAULT_LABELS.get(self.key, self.key)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "free_text": self.free_text,
            "offer": self.offer.as_json() if self.offer else None,
        }


def kinds() -> list[str]:
    """The offer kinds this installation can run (`swap` only when that action exists)."""
    return [k for k, action in OFFER_ACTIONS.items() if action in policy.ACTIONS]


def defaults() -> list[Reason]:
    return [
        Reason(key, None, key == "other", _offer(_DEFAULT_OFFERS.get(key)))
        for key in DEFAULT_LABELS
    ]


def _offer(data: object) -> Offer | None:
    """A stored offer read leniently (anything malformed is no offer)."""
    if not isinstance(data, dict) or data.get("kind") not in OFFER_ACTIONS:
        return None
    kind = data["kind"]
    months = data.get("months")
    code = data.get("code")
    if kind == "pause":
        ok = months is None or (type(months) is int and 1 <= months <= MAX_MONTHS)
        return Offer(kind, months) if ok else None
    if kind == "discount":
        return Offer(kind, code=code) if isinstance(code, str) and code else None
    return Offer(kind)


def reasons(shop: Shop) -> list[Reason]:
    """The shop's reasons in order (the defaults until the merchant saves a list)."""
    stored = shop.cancel_flow if isinstance(shop.cancel_flow, dict) else None
    items = stored.get("reasons") if stored else None
    if not isinstance(items, list):
        return defaults()
    result: list[Reason] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        label = item.get("label")
        result.append(
            Reason(
                item["key"],
                label if isinstance(label, str) and label else None,
                item.get("free_text") is True,
                _offer(item.get("offer")),
            )
        )
    return result


def find(shop: Shop, key: str) -> Reason | None:
    return next((r for r in reasons(shop) if r.key == key), None)


def offer_available(shop: Shop, offer: Offer | None, status: str) -> bool:
    """Shown and accepted: a kind this installation runs, its action enabled and fitting."""
    if offer is None or offer.kind not in kinds():
        return False
    return policy.action_available(shop, offer.action, status)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pause_until(next_billing: date | None, today: date, months: int) -> date:
    """The next order of a "pause for N months": N months after the later of the next order
    and today (what the offer page promises and what the acceptance sets)."""
    start = max(next_billing or today, today)
    return add_months(start, months)
