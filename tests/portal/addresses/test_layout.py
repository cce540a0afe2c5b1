"""The address form per country: fields, order, names, required ones; names in both catalogues."""

from __future__ import annotations

import pytest

from shopify_app.locales import i18n
from shopify_app.portal.addresses import countries
from shopify_app.portal.addresses.layout import label_types, layout


@pytest.mark.parametrize(
    ("country", "rows", "required_extra", "zip_label", "area_label"),
    [
        ("US", [("city", "province_code", "zip")], {"province_code", "zip", "city"}, "ZIP code",
         "State"),
        ("CA", [("city", "province_code", "zip")], {"province_code", "zip", "city"},
         "Postal code", "Province"),
        ("GB", [("city",), ("zip",)], {"zip", "city"}, "Postal code", None),
        ("DE", [("zip", "city")], {"zip", "city"}, "Postal code", None),
        ("FR", [("zip", "city")], {"zip", "city"}, "Postal code", None),
        ("JP", [("zip",), ("province_code",), ("city",)], {"zip", "province_code", "city"},
         "Postal code", "Prefecture"),
    ],
)
def test_country_forms(
    country: str,
    rows: list[tuple[str, ...]],
    required_extra: set[str],
    zip_label: str,
    area_label: str | None,
) -> None:
    shape = layout(country)
    assert shape.rows[0] == ("country_code",) and shape.rows[-1] == ("phone",)
    found = [row for row in shape.rows if set(row) & {"zip", "city", "province_code"}]
    assert found == rows
    always = {"country_code", "first_name", "last_name", "address1"}
    assert shape.required == always | required_extra
    en = i18n.catalogue("en")
    assert en.t(shape.labels["zip"]) == zip_label
    if area_label:
        assert en.t(shape.labels["province_code"]) == area_label
    else:
        assert "province_code" not in shape.fields


def test_japan_asks_the_family_name_first_and_uk_calls_the_city_post_town() -> None:
    assert layout("JP").rows[1] == ("last_name", "first_name")
    assert i18n.catalogue("en").t(layout("GB").labels["city"]) == "Town/city"


def test_every_label_any_country_uses_is_in_both_catalogues() -> None:
    for locale in ("en", "fr"):
        catalogue = i18n.catalogue(locale)
        for keys in label_types().values():
            for key in keys:
                assert catalogue.t(key), (locale, key)


def test_country_and_subdivision_names_in_the_page_language() -> None:
    assert dict(countries.country_choices("fr"))["DE"] == "Allemagne"
    names = [name for _, name in countries.country_choices("fr")]
    assert names.index("Égypte") < names.index("France")  # accents sort with their letter
    quebec = countries.subdivision("CA", "qc", "fr")
    assert quebec is not None and quebec.name == "Québec"
    assert countries.subdivision("JP", "JP-13", "en").name == "Tokyo"  # type: ignore[union-attr]
    assert countries.subdivision("JP", "JP-13", "ja").name == "東京都"  # type: ignore[union-attr]
    assert countries.subdivisions("GB", "en") == ()
    assert countries.subdivision("US", "XX", "en") is None
