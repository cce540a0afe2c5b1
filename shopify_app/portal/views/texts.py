"""How pages say things: dates in `<time>`, money, frequencies, statuses, in the frame's locale.

Thin glue between `formatting` (locale rules) and the pages; each returns escaped `Markup` or
plain text for `render` to escape.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shopify_app.portal.views import formatting
from shopify_app.portal.views.layout import Frame
from shopify_app.portal.views.markup import Markup, render
from shopify_app.portal.views.viewmodels import Address, Discount, Money


def date_text(frame: Frame, moment: datetime | None) -> Markup:
    """`<time datetime="2026-11-26">Thu, 26 Nov 2026</time>`, the day in the shop's timezone."""
    if moment is None:
        return Markup("&#8212;")
    day = formatting.local_date(moment, frame.timezone)
    return render(
        '<time datetime="$iso">$text</time>',
        iso=day.isoformat(),
        text=formatting.day(frame.t, day),
    )


def money_text(frame: Frame, money: Money) -> str:
    return formatting.money(frame.t, money.amount, money.currency)


def frequency_text(frame: Frame, interval: str, count: int) -> str:
    """"Every month", "Every 2 weeks" (plural forms from the catalogue)."""
    if not interval or count <= 0:
        return ""
    try:
        return formatting.plural(frame.t, f"frequency.{interval.lower()}", count)
    except KeyError:  # an interval Shopify added after this catalogue
        return f"{count} {interval.lower()}"


def status_text(frame: Frame, status: str) -> str:
    try:
        return frame.t.t(f"status.{status.lower()}")
    except KeyError:
        return status.replace("_", " ").title()


def order_status_text(frame: Frame, status: str) -> str:
    try:
        return frame.t.t(f"order_status.{status.lower()}")
    except KeyError:
        return status.replace("_", " ").lower()


def discount_text(frame: Frame, discount: Discount) -> str:
    """The discount's value: "10%" or "$5.00" (empty when Shopify gave none)."""
    if discount.percentage is not None:
        value = discount.percentage.normalize()
        shown = f"{value:f}".replace(".", frame.t.t("number.decimal"))
        return frame.t.t("discount.percent", value=shown)
    if discount.amount is not None:
        return money_text(frame, discount.amount)
    return discount.value


def address_one_line(address: Address | None) -> str:
    if address is None:
        return ""
    return ", ".join(p for p in (address.address1, address.city) if p)


def items_text(frame: Frame, quantity: int) -> str:
    return formatting.plural(frame.t, "contract.items", quantity)


def line_total(frame: Frame, price: Money, quantity: int) -> str:
    return money_text(frame, Money(price.amount * Decimal(quantity), price.currency))
