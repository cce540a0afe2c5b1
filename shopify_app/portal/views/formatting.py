"""Locale-aware text for numbers, money, dates and plurals, from the catalogues alone.

No locale library: the few things a portal shows need small tables, and those live in the
locale files (`number.*`, `money.*`, `date.*`), so a translation stays one file. Plural
categories follow CLDR for the locales we ship (`one`/`other`); unknown locales use English's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopify_app.locales.i18n import Catalogue

CENT = Decimal("0.01")

# CLDR cardinal rules, integers only: English "one" is exactly 1, French "one" is 0 and 1.
_PLURAL_RULES: dict[str, Callable[[int], bool]] = {
    "en": lambda n: n == 1,
    "fr": lambda n: n in (0, 1),
}


def plural_category(locale: str, count: int) -> str:
    """`one` or `other` for `count` in `locale` (its language part)."""
    rule = _PLURAL_RULES.get(locale[:2].lower(), _PLURAL_RULES["en"])
    return "one" if rule(abs(count)) else "other"


def plural(t: Catalogue, key: str, count: int, **params: object) -> str:
    """`key.one` or `key.other` with `{count}` (and `params`) filled."""
    return t.t(f"{key}.{plural_category(t.locale, count)}", count=count, **params)


def number(t: Catalogue, amount: Decimal) -> str:
    """`amount` with two decimals and the locale's separators (1,234.50 / 1 234,50)."""
    rounded = abs(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    whole, _, cents = f"{rounded:f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = t.t("number.group").join([whole, *groups])
    sign = "-" if amount < 0 and rounded != 0 else ""
    return f"{sign}{grouped}{t.t('number.decimal')}{cents or '00'}"


def money(t: Catalogue, amount: Decimal, currency: str) -> str:
    """`$24.00` / `24,00 $US` for the currencies the catalogue knows, else `24.00 XYZ`."""
    signed = number(t, amount)
    sign, text = ("-", signed[1:]) if signed.startswith("-") else ("", signed)
    code = currency.strip().upper()
    if not code:
        return signed
    if code.isascii() and code.isalpha() and len(code) == 3:
        try:
            return sign + t.t(f"money.{code}", amount=text)
        except KeyError:
            pass
    return sign + t.t("money.other", amount=text, currency=code)


@cache
def zone(name: str) -> tzinfo:
    """The IANA zone `name`, or UTC when unknown (a shop's stored timezone is advisory)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_date(moment: datetime, timezone: str = "UTC") -> date:
    """The calendar day of `moment` in the shop's timezone (naive moments count as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(timezone)).date()


def day(t: Catalogue, value: date) -> str:
    """`Thu, 26 Nov 2026` / `jeu. 26 nov. 2026`: names from `date.weekdays`, `date.months`."""
    weekdays = t.t("date.weekdays").split()
    months = t.t("date.months").split()
    return t.t(
        "date.format",
        weekday=weekdays[value.weekday()],
        day=value.day,
        month=months[value.month - 1],
        year=value.year,
    )
