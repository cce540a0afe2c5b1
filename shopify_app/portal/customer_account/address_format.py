"""`GET /customer-account/api/address-form?country=CA&locale=fr`: what the extension's address
form needs for a country, in the customer's language: the countries (names), the rows of
fields in the country's order, the required ones, the label of each country-dependent field
(a key of the extension's own catalogue, e.g. `zip.postal`), a postal-code example and the
subdivisions (names). The same `addresses` package shapes the proxy portal's form and checks
every address server side; this only describes the form."""

from __future__ import annotations

import re
from typing import Any

from shopify_app.portal.addresses import countries
from shopify_app.portal.addresses.layout import AUTOCOMPLETE, layout

_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")


def _locale(raw: str | None) -> str:
    value = (raw or "").strip()
    return value if len(value) <= 35 and _LOCALE.match(value) else "en"


def address_form(country: str | None, locale: str | None) -> dict[str, Any]:
    """The form of `country` (an unknown or missing one: the default country's)."""
    language = _locale(locale)
    shape = layout((country or "").strip().upper()[:3])
    prefix = "address."
    return {
        "country": shape.country,
        "countries": [
            {"code": code, "name": name} for code, name in countries.country_choices(language)
        ],
        "rows": [list(row) for row in shape.rows],
        "required": sorted(shape.required),
        "labels": {name: key.removeprefix(prefix) for name, key in shape.labels.items()
                   if name in shape.fields},
        "autocomplete": {name: AUTOCOMPLETE[name] for name in shape.fields},
        "zipExample": shape.zip_examples[0] if shape.zip_examples else "",
        "provinces": [
            {"code": s.code, "name": s.name}
            for s in countries.subdivisions(shape.country, language)
        ],
    }
