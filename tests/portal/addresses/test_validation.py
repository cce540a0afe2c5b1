"""The server's check of an address form, per country: required fields, postal-code patterns,
province lists, hostile input; every problem named on its field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopify_app.portal.addresses.validation import (
    AddressInvalid,
    field_of_user_error,
    validate,
)

PERSON = {"first_name": "Alice", "last_name": "Martin", "address1": "1 Main Street"}


def _errors(form: dict[str, str]) -> dict[str, str]:
    with pytest.raises(AddressInvalid) as caught:
        validate(form)
    assert caught.value.code == "invalid_address" and caught.value.status == 422
    errors: Any = caught.value.extra["errors"]
    assert caught.value.extra["field"] in errors
    return dict(errors)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            {"country_code": "us", "city": "Brooklyn", "province_code": "ny", "zip": "11201-1234"},
            {"countryCode": "US", "provinceCode": "NY", "zip": "11201-1234"},
        ),
        (
            {"country_code": "CA", "city": "Montréal", "province_code": "QC", "zip": "h2x 1y4"},
            {"countryCode": "CA", "provinceCode": "QC", "zip": "H2X 1Y4"},
        ),
        (
            {"country_code": "GB", "city": "London", "zip": "sw1a 1aa"},
            {"countryCode": "GB", "zip": "SW1A 1AA"},
        ),
        (
            {"country_code": "DE", "city": "Berlin", "zip": "10115"},
            {"countryCode": "DE", "zip": "10115"},
        ),
        (
            {"country_code": "FR", "city": "Paris", "zip": "75001"},
            {"countryCode": "FR", "zip": "75001"},
        ),
        (
            {"country_code": "JP", "city": "Shibuya", "province_code": "JP-13", "zip": "150-0001"},
            {"countryCode": "JP", "provinceCode": "JP-13", "zip": "150-0001"},
        ),
    ],
)
def test_valid_addresses_become_shopify_input(
    form: dict[str, str], expected: dict[str, str]
) -> None:
    address, _ = validate({**PERSON, **form})
    assert {k: address[k] for k in expected} == expected
    assert address["firstName"] == "Alice" and address["address1"] == "1 Main Street"


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        # The US needs a state from the list and a 5-digit ZIP.
        ({"country_code": "US", "city": "Brooklyn", "zip": "1120"},
         {"province_code": "required", "zip": "invalid"}),
        ({"country_code": "US", "city": "Brooklyn", "province_code": "Bavaria", "zip": "11201"},
         {"province_code": "invalid"}),
        # Canada's postal code pattern, and it must fit the province (Q... is not Ontario).
        ({"country_code": "CA", "city": "Ottawa", "province_code": "ON", "zip": "12345"},
         {"zip": "invalid"}),
        ({"country_code": "CA", "city": "Ottawa", "province_code": "ON", "zip": "H2X 1Y4"},
         {"zip": "invalid"}),
        ({"country_code": "GB", "city": "", "zip": "ABC"}, {"city": "required", "zip": "invalid"}),
        ({"country_code": "DE", "city": "Berlin", "zip": "1011"}, {"zip": "invalid"}),
        ({"country_code": "FR", "city": "Paris", "zip": ""}, {"zip": "required"}),
        # Japan: the postal code must belong to the prefecture (060 is Hokkaido, not Tokyo).
        ({"country_code": "JP", "city": "Sapporo", "province_code": "JP-13", "zip": "060-0001"},
         {"zip": "invalid"}),
        ({"country_code": "JP", "city": "Shibuya", "zip": "150-0001"},
         {"province_code": "required"}),
    ],
)
def test_country_rules_name_each_bad_field(form: dict[str, str], expected: dict[str, str]) -> None:
    assert _errors({**PERSON, **form}) == expected


def test_every_problem_at_once_in_the_form_order() -> None:
    with pytest.raises(AddressInvalid) as caught:
        validate({"country_code": "US", "zip": "x"})
    assert caught.value.extra["field"] == "first_name"
    assert caught.value.extra["errors"] == {
        "address1": "required",
        "city": "required",
        "first_name": "required",
        "last_name": "required",
        "province_code": "required",
        "zip": "invalid",
    }


def test_fields_a_country_does_not_use_are_not_sent() -> None:
    # The UK has no province list: a forged province is dropped, not sent to Shopify.
    address, _ = validate(
        {**PERSON, "country_code": "GB", "city": "Leeds", "zip": "LS1 4AP", "province_code": "XX"}
    )
    assert "provinceCode" not in address


@pytest.mark.parametrize("country", ["", "USA", "XX", "ZZ", "<b>", "u$"])
def test_unknown_or_missing_country(country: str) -> None:
    expected = "required" if not country else "invalid"
    assert _errors({**PERSON, "country_code": country}) == {"country_code": expected}


def test_hostile_and_huge_values_are_refused_on_their_field() -> None:
    form = {
        **PERSON,
        "country_code": "DE",
        "city": "Berlin",
        "zip": "10115",
        "first_name": "A" * 100_000,
        "address2": "x" * 256,
        "phone": "{{ 7 | times: 6 }}",
    }
    assert _errors(form) == {"first_name": "too_long", "address2": "too_long", "phone": "invalid"}


def test_control_characters_and_runs_of_space_are_cleaned() -> None:
    address, _ = validate(
        {**PERSON, "country_code": "DE", "city": "Ber\x00lin\n\t", "zip": "10115",
         "address2": "  Hinterhaus \r\n 2 "}
    )
    assert address["city"] == "Ber lin" and address["address2"] == "Hinterhaus 2"


def test_shopify_user_error_fields_map_to_form_fields() -> None:
    path = ["input", "deliveryMethod", "shipping", "address"]
    assert field_of_user_error({"field": [*path, "zip"]}) == "zip"
    assert field_of_user_error({"field": [*path, "provinceCode"]}) == "province_code"
    assert field_of_user_error({"field": [*path, "countryCode"]}) == "country_code"
    assert field_of_user_error({"field": None}) is None
    assert field_of_user_error({"field": ["draftId"]}) is None


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["country_code", "first_name", "last_name", "address1", "address2", "city",
                     "province_code", "zip", "phone", "company", "other"]),
    st.text(max_size=300),
))
def test_any_form_is_either_an_address_or_field_errors(form: dict[str, str]) -> None:
    try:
        address, shape = validate(form)
    except AddressInvalid as refused:
        assert set(refused.extra["errors"]) <= set(shape_fields()) | {"country_code"}  # type: ignore[arg-type]
    else:
        assert address["countryCode"] == shape.country
        assert all(len(v) <= 255 for v in address.values())


def shape_fields() -> tuple[str, ...]:
    from shopify_app.portal.addresses.layout import ALL_FIELDS

    return ALL_FIELDS
