"""The merchant's portal settings: which actions customers may take, which frequencies.

`Shop.portal_actions` maps an action name to a bool (missing = the action's default: enabled,
unless it is in `DEFAULT_OFF`). A disabled action is
hidden on the page AND refused by the server, whether the visitor came by link or login.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopify_app.storage.models import Shop

ACTIONS = (
    "pause",
    "resume",
    "cancel",
    "skip",
    "unskip",
    "set_next_date",
    "change_frequency",
    "change_quantity",
    "change_address",
    "payment_email",
    "apply_discount",
    "remove_discount",
    "order_now",
    "pause_until",
    "delay",
    "swap",
    "add_on",
    "remove_add_on",
    "change_address_all",
)

# Actions a shop must switch on itself (competitors ship them off by default). Missing from
# `Shop.portal_actions` means off for these, on for every other action.
DEFAULT_OFF: frozenset[str] = frozenset()

# Which contract statuses each action applies to (Shopify refuses the rest anyway; we do
# not offer what cannot work).
_LIVE = frozenset({"ACTIVE", "PAUSED"})
STATUSES: dict[str, frozenset[str]] = {
    "pause": frozenset({"ACTIVE"}),
    "resume": frozenset({"PAUSED"}),
    "cancel": _LIVE,
    "skip": frozenset({"ACTIVE"}),
    "unskip": frozenset({"ACTIVE"}),
    "set_next_date": _LIVE,
    "change_frequency": _LIVE,
    "change_quantity": _LIVE,
    "change_address": _LIVE,
    "payment_email": _LIVE | {"FAILED"},
    "apply_discount": _LIVE,
    "remove_discount": _LIVE,
    "order_now": frozenset({"ACTIVE"}),
    "pause_until": _LIVE,
    "delay": frozenset({"ACTIVE"}),
    "swap": _LIVE,
    "add_on": frozenset({"ACTIVE"}),
    "remove_add_on": frozenset({"ACTIVE"}),
    "change_address_all": _LIVE,
}


@dataclass(frozen=True, order=True)
class Frequency:
    interval: str  # DAY WEEK MONTH YEAR
    count: int

    @property
    def key(self) -> str:
        return f"{self.interval}:{self.count}"


DEFAULT_FREQUENCIES = (
    Frequency("WEEK", 1),
    Frequency("WEEK", 2),
    Frequency("WEEK", 4),
    Frequency("MONTH", 1),
    Frequency("MONTH", 2),
)
_INTERVALS = frozenset({"DAY", "WEEK", "MONTH", "YEAR"})


def action_enabled(shop: Shop, action: str) -> bool:
    settings = shop.portal_actions if isinstance(shop.portal_actions, dict) else {}
    if action not in ACTIONS:
        return False
    return settings.get(action, action not in DEFAULT_OFF) is True


def action_available(shop: Shop, action: str, status: str) -> bool:
    """Offered on the page and accepted by the server: enabled and fitting the status."""
    return action_enabled(shop, action) and status in STATUSES.get(action, frozenset())


def allowed_frequencies(shop: Shop) -> list[Frequency]:
    """The shop's list (`[{"interval": "WEEK", "count": 2}, ...]`), else the defaults."""
    configured = shop.allowed_frequencies
    result: list[Frequency] = []
    if isinstance(configured, list):
        for item in configured:
            if not isinstance(item, dict):
                continue
            interval, count = str(item.get("interval", "")).upper(), item.get("count")
            if interval in _INTERVALS and isinstance(count, int) and 0 < count <= 365:
                result.append(Frequency(interval, count))
    return result or list(DEFAULT_FREQUENCIES)


def parse_frequency(shop: Shop, value: str) -> Frequency | None:
    """The allowed frequency the form named (`WEEK:2`), or None."""
    return next((f for f in allowed_frequencies(shop) if f.key == value), None)
