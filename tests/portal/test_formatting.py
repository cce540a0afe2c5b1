"""Plural forms, dates, money and numbers in each catalogue's locale."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from shopify_app.locales import i18n
from shopify_app.portal.views import formatting
from shopify_app.portal.views.layout import Frame
from shopify_app.portal.views.texts import date_text, discount_text, frequency_text
from shopify_app.portal.views.viewmodels import Discount, Money

NBSP, NNBSP = "\u00a0", "\u202f"
EN, FR = i18n.catalogue("en"), i18n.catalogue("fr")


def frame(locale: str, timezone: str = "UTC") -> Frame:
    return Frame(t=i18n.catalogue(locale), path_prefix="", liquid=False, timezone=timezone)


@pytest.mark.parametrize(
    ("locale", "count", "category"),
    [
        ("en", 0, "other"),
        ("en", 1, "one"),
        ("en", 2, "other"),
        ("en", 11, "other"),
        ("fr", 0, "one"),
        ("fr", 1, "one"),
        ("fr", 2, "other"),
        ("fr-CA", 1, "one"),
        ("de", 0, "other"),  # no rule of its own: English's
    ],
)
def test_plural_category(locale: str, count: int, category: str) -> None:
    assert formatting.plural_category(locale, count) == category


@pytest.mark.parametrize(
    ("locale", "interval", "count", "expected"),
    [
        ("en", "MONTH", 1, "Every month"),
        ("en", "MONTH", 2, "Every 2 months"),
        ("en", "WEEK", 1, "Every week"),
        ("en", "WEEK", 2, "Every 2 weeks"),
        ("en", "DAY", 1, "Every day"),
        ("en", "YEAR", 3, "Every 3 years"),
        ("fr", "MONTH", 1, "Tous les mois"),
        ("fr", "MONTH", 3, "Tous les 3 mois"),
        ("fr", "WEEK", 1, "Toutes les semaines"),
        ("fr", "WEEK", 2, "Toutes les 2 semaines"),
        ("en", "FORTNIGHT", 2, "2 fortnight"),  # an interval no catalogue knows
        ("en", "MONTH", 0, ""),
        ("en", "", 1, ""),
    ],
)
def test_frequency(locale: str, interval: str, count: int, expected: str) -> None:
    assert frequency_text(frame(locale), interval, count) == expected


def test_every_plural_key_has_both_forms_in_every_catalogue() -> None:
    for path in i18n.LOCALES_DIR.glob("*.json"):
        keys = set(json.loads(path.read_text(encoding="utf-8")))
        stems = {k.removesuffix(".one") for k in keys if k.endswith(".one")}
        assert path.stem != "en" or {"frequency.month", "contract.items"} <= stems
        for stem in stems:
            assert {f"{stem}.one", f"{stem}.other"} <= keys, f"{path.name}: {stem}"


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en", date(2026, 11, 26), "Thu, 26 Nov 2026"),
        ("en", date(2027, 1, 3), "Sun, 3 Jan 2027"),
        ("fr", date(2026, 11, 26), "jeu. 26 nov. 2026"),
        ("fr", date(2026, 8, 3), "lun. 3 août 2026"),
        ("fr", date(2026, 2, 1), "dim. 1 févr. 2026"),
    ],
)
def test_day(locale: str, value: date, expected: str) -> None:
    assert formatting.day(i18n.catalogue(locale), value) == expected


@pytest.mark.parametrize(
    ("moment", "timezone", "markup"),
    [
        (
            datetime(2026, 11, 26, 12, tzinfo=UTC),
            "America/New_York",
            '<time datetime="2026-11-26">Thu, 26 Nov 2026</time>',
        ),
        # 02:00 UTC is still the evening before in New York: the shop's calendar day counts.
        (
            datetime(2026, 11, 27, 2, tzinfo=UTC),
            "America/New_York",
            '<time datetime="2026-11-26">Thu, 26 Nov 2026</time>',
        ),
        (
            datetime(2026, 11, 26, 23, 30, tzinfo=UTC),
            "Europe/Paris",
            '<time datetime="2026-11-27">Fri, 27 Nov 2026</time>',
        ),
        (
            datetime(2026, 11, 26, 23, 30),
            "Nowhere/Unknown",
            '<time datetime="2026-11-26">Thu, 26 Nov 2026</time>',
        ),
        (None, "UTC", "&#8212;"),
    ],
)
def test_date_markup(moment: datetime | None, timezone: str, markup: str) -> None:
    assert date_text(frame("en", timezone), moment) == markup


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("en", "24", "USD", "$24.00"),
        ("en", "24.5", "CAD", "CA$24.50"),
        ("en", "9.999", "EUR", "€10.00"),
        ("en", "1234567.891", "GBP", "£1,234,567.89"),
        ("en", "-5", "USD", "-$5.00"),
        ("en", "24", "JPY", "24.00 JPY"),
        ("en", "24", "usd", "$24.00"),
        ("en", "24", "", "24.00"),
        ("en", "24", "<b>", "24.00 <B>"),  # never trusted: pages escape what this returns
        ("fr", "24", "USD", f"24,00{NBSP}$US"),
        ("fr", "24", "EUR", f"24,00{NBSP}€"),
        ("fr", "24", "CAD", f"24,00{NBSP}$CA"),
        ("fr", "1234.5", "GBP", f"1{NNBSP}234,50{NBSP}£GB"),
        ("fr", "24", "CHF", f"24,00{NBSP}CHF"),
        ("en", "0.005", "USD", "$0.01"),  # half up, as shops round
        ("en", "-0.001", "USD", "$0.00"),  # no negative zero
    ],
)
def test_money(locale: str, amount: str, currency: str, expected: str) -> None:
    assert formatting.money(i18n.catalogue(locale), Decimal(amount), currency) == expected


@pytest.mark.parametrize(
    ("locale", "discount", "expected"),
    [
        ("en", Discount("d", "Loyal", "", percentage=Decimal(10)), "10%"),
        ("fr", Discount("d", "Fidèle", "", percentage=Decimal("12.5")), f"12,5{NBSP}%"),
        ("en", Discount("d", "Five", "", amount=Money(Decimal(5), "USD")), "$5.00"),
        ("en", Discount("d", "Odd", "as given"), "as given"),
    ],
)
def test_discount_value(locale: str, discount: Discount, expected: str) -> None:
    assert discount_text(frame(locale), discount) == expected


def _contract_node(discounts: list[dict[str, object]], delivery: str | None = "4.90") -> dict:
    return {
        "id": "gid://shopify/SubscriptionContract/1",
        "currencyCode": "USD",
        "deliveryPrice": {"amount": delivery, "currencyCode": "USD"} if delivery else None,
        "lines": {"nodes": [
            {"id": "l1", "quantity": 1, "currentPrice": {"amount": "24.0", "currencyCode": "USD"}},
            {"id": "l2", "quantity": 2, "currentPrice": {"amount": "9.5", "currencyCode": "USD"}},
        ]},
        "discounts": {"nodes": discounts},
    }


@pytest.mark.parametrize(
    ("discounts", "delivery", "expected"),
    [
        ([], "4.90", "47.90"),
        ([], None, "43.00"),
        ([{"value": {"percentage": 10}}], "4.90", "43.60"),
        ([{"value": {"amount": {"amount": "5.00"}}}], "4.90", "42.90"),
        ([{"value": {"amount": {"amount": "1.00"}, "appliesOnEachItem": True}}], "0", "40.00"),
        ([{"value": {"amount": {"amount": "99"}}}], "4.90", "4.90"),  # never below zero
        ([{"targetType": "SHIPPING_LINE", "value": {"percentage": 100}}], "4.90", "43.00"),
    ],
)
def test_estimated_order_total(
    discounts: list[dict[str, object]], delivery: str | None, expected: str
) -> None:
    from shopify_app.portal.views.parsing import parse_contract

    total = parse_contract(_contract_node(discounts, delivery)).estimated_total()
    assert total == Money(Decimal(expected), "USD")


def test_no_estimate_without_lines() -> None:
    from shopify_app.portal.views.parsing import parse_contract

    node = _contract_node([])
    node["lines"] = {"nodes": []}
    assert parse_contract(node).estimated_total() is None
