"""Plain words for what the admin shows: actions, scopes, frequencies, lifetimes, languages.

The merchant never reads `snake_case`, `WEEK:2` or a raw scope name.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "pause": "Pause a subscription",
    "resume": "Resume a paused subscription",
    "cancel": "Cancel a subscription",
    "skip": "Skip an order",
    "unskip": "Undo a skipped order",
    "set_next_date": "Change the next order date",
    "change_frequency": "Change how often orders come",
    "change_quantity": "Change quantities",
    "change_address": "Change the delivery address",
    "change_address_all": "Change the address of all their subscriptions at once",
    "payment_email": "Ask for an email to update their payment method",
    "apply_discount": "Apply a discount code",
    "remove_discount": "Remove a discount",
    "order_now": "Order now: get the next order today (charged today)",
    "pause_until": "Pause until a date they choose (resumes by itself)",
    "delay": "Delay the next order by 1 to 4 weeks",
    "swap": "Swap a product for another you allow",
    "add_on": "Add a product you offer to the next order only",
    "remove_add_on": "Remove an add-on before its order bills",
}

SCOPE_LABELS: dict[str, str] = {
    "read_customers": "See customers",
    "write_customers": "Update customers",
    "read_orders": "See orders",
    "read_own_subscription_contracts": "See subscriptions",
    "write_own_subscription_contracts": "Change subscriptions",
    "read_customer_payment_methods": "See payment methods (never card numbers)",
    "write_app_proxy": "Serve the portal on your store's domain",
}

INTERVAL_WORDS: dict[str, tuple[str, str]] = {
    "DAY": ("day", "days"), "WEEK": ("week", "weeks"),
    "MONTH": ("month", "months"), "YEAR": ("year", "years"),
}

# What the picker offers; a shop's own other frequencies are shown too.
COMMON_FREQUENCIES: tuple[tuple[str, int], ...] = (
    ("WEEK", 1), ("WEEK", 2), ("WEEK", 3), ("WEEK", 4), ("WEEK", 6), ("WEEK", 8),
    ("MONTH", 1), ("MONTH", 2), ("MONTH", 3), ("MONTH", 6), ("YEAR", 1),
)

LIFETIMES: tuple[tuple[int, str], ...] = (
    (15, "15 minutes"), (30, "30 minutes"), (60, "1 hour"), (120, "2 hours"),
    (360, "6 hours"), (720, "12 hours"), (1440, "1 day"), (4320, "3 days"), (10080, "7 days"),
)

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}

LINK_POLICIES: dict[str, str] = {
    "single_use": "A link opens the portal once (safest)",
    "reusable": "A link works until it expires (customers can come back)",
}

PORTAL_FORMATS: dict[str, str] = {
    "liquid": "Inside your theme (your header, footer and fonts)",
    "html": "A standalone page (for themes that break the portal)",
}

BUTTON_STYLES: dict[str, str] = {"rounded": "Rounded", "square": "Square", "pill": "Pill"}


def frequency_label(interval: str, count: int) -> str:
    one, many = INTERVAL_WORDS.get(interval, (interval.lower(), interval.lower()))
    return f"Every {one}" if count == 1 else f"Every {count} {many}"


def language_label(code: str) -> str:
    return LANGUAGES.get(code, code)
