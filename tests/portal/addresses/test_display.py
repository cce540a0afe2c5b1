"""Addresses shown as each country writes them, with names (not codes) in the page's language."""

from __future__ import annotations

import pytest

from shopify_app.portal.addresses.display import address_lines

BROOKLYN = {
    "first_name": "Alice",
    "last_name": "Martin",
    "company": "",
    "address1": "12 Roastery Road",
    "address2": "Apt 4",
    "city": "Brooklyn",
    "province_code": "NY",
    "zip": "11201",
    "country_code": "US",
    "phone": "",
}


def test_us_city_state_then_zip_on_one_line() -> None:
    # The bug: "11201 Brooklyn NY". The US writes "Brooklyn, New York 11201".
    assert address_lines(BROOKLYN, "en") == [
        "Alice Martin",
        "12 Roastery Road",
        "Apt 4",
        "Brooklyn, New York 11201",
        "United States",
    ]


def test_country_name_in_the_page_language() -> None:
    assert address_lines(BROOKLYN, "fr")[-1] == "États-Unis"
    assert address_lines(BROOKLYN, "fr-CA")[-1] == "États-Unis"


@pytest.mark.parametrize(
    ("changes", "locale", "expected"),
    [
        (
            {"country_code": "CA", "city": "Montréal", "province_code": "QC", "zip": "H2X 1Y4"},
            "fr",
            ["Montréal Québec H2X 1Y4", "Canada"],
        ),
        (
            {"country_code": "CA", "city": "Toronto", "province_code": "ON", "zip": "M5V 2T6"},
            "en",
            ["Toronto Ontario M5V 2T6", "Canada"],
        ),
        (
            {"country_code": "GB", "city": "London", "province_code": "", "zip": "SW1A 1AA"},
            "en",
            ["London", "SW1A 1AA", "United Kingdom"],
        ),
        (
            {"country_code": "DE", "city": "Berlin", "province_code": "", "zip": "10115"},
            "fr",
            ["10115 Berlin", "Allemagne"],
        ),
        (
            {"country_code": "FR", "city": "Paris", "province_code": "", "zip": "75001"},
            "fr",
            ["75001 Paris", "France"],
        ),
    ],
)
def test_each_country_orders_its_last_lines(
    changes: dict[str, str], locale: str, expected: list[str]
) -> None:
    lines = address_lines({**BROOKLYN, **changes}, locale)
    assert lines[-len(expected):] == expected
    assert lines[:3] == ["Alice Martin", "12 Roastery Road", "Apt 4"]


def test_france_puts_the_company_before_the_name() -> None:
    lines = address_lines(
        {**BROOKLYN, "country_code": "FR", "company": "Thé & Co", "city": "Lyon", "zip": "69001",
         "province_code": ""},
        "fr",
    )
    assert lines[:2] == ["Thé & Co", "Alice Martin"]


def test_japan_in_its_own_order_and_in_latin_order() -> None:
    tokyo = {
        "first_name": "太郎",
        "last_name": "山田",
        "address1": "神宮前1-1",
        "city": "渋谷区",
        "province_code": "JP-13",
        "zip": "150-0001",
        "country_code": "JP",
    }
    assert address_lines(tokyo, "ja") == [
        "〒150-0001", "東京都", "渋谷区", "神宮前1-1", "山田 太郎", "日本"
    ]
    latin = {**tokyo, "first_name": "Taro", "last_name": "Yamada", "address1": "1-1 Jingumae",
             "city": "Shibuya"}
    assert address_lines(latin, "en") == [
        "Taro Yamada", "1-1 Jingumae", "Shibuya, Tokyo", "150-0001", "Japan"
    ]


def test_missing_parts_leave_no_stray_separators() -> None:
    lines = address_lines({**BROOKLYN, "province_code": "", "address2": ""}, "en")
    assert "Brooklyn 11201" in lines
    assert address_lines({"country_code": "US"}, "en") == []


def test_unknown_country_and_province_codes_are_shown_as_given() -> None:
    lines = address_lines({**BROOKLYN, "province_code": "XX", "country_code": "QQ"}, "en")
    assert lines[-1] == "QQ"
    assert address_lines({**BROOKLYN, "province_code": "XX"}, "en")[3] == "Brooklyn, XX 11201"
