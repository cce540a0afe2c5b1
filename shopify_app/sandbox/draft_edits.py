"""Validation and application of draft inputs (`SubscriptionDraftInput`,
`SubscriptionLineUpdateInput`): errors are computed first, changes applied only without any."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopify_app.sandbox.mutations_common import user_error
from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import Address, Discount, DiscountCode, Line, Policy, Terms
from shopify_app.sandbox.scalars import parse_datetime, parse_decimal

MAX_QUANTITY = 10_000
MAX_INTERVAL_COUNT = 1000
MAX_NOTE_LENGTH = 5000
_REQUIRED_ADDRESS_FIELDS = ("address1", "city", "zip")
_ADDRESS_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province": "province",
    "provinceCode": "province_code",
    "zip": "zip",
    "country": "country",
    "countryCode": "country_code",
    "phone": "phone",
}


def _policy_errors(name: str, policy: dict[str, Any] | None) -> list[View]:
    if policy is None:
        return []
    count = policy["intervalCount"]
    if count < 1:
        message = "Interval count must be greater than or equal to 1"
        return [user_error(["input", name, "intervalCount"], message, "GREATER_THAN_OR_EQUAL_TO")]
    if count > MAX_INTERVAL_COUNT:
        message = f"Interval count must be less than or equal to {MAX_INTERVAL_COUNT}"
        return [user_error(["input", name, "intervalCount"], message, "LESS_THAN_OR_EQUAL_TO")]
    return []


def update_errors(terms: Terms, data: dict[str, Any], now: datetime) -> list[View]:
    errors = [
        *_policy_errors("billingPolicy", data.get("billingPolicy")),
        *_policy_errors("deliveryPolicy", data.get("deliveryPolicy")),
    ]
    billing = data.get("billingPolicy") or {
        "interval": terms.billing_policy.interval,
        "intervalCount": terms.billing_policy.interval_count,
    }
    delivery = data.get("deliveryPolicy") or {
        "interval": terms.delivery_policy.interval,
        "intervalCount": terms.delivery_policy.interval_count,
    }
    # Shopify: each billing must cover whole deliveries.
    if not errors and (
        billing["interval"] != delivery["interval"]
        or billing["intervalCount"] % delivery["intervalCount"] != 0
    ):
        message = "Billing interval must be a multiple of the delivery interval"
        errors.append(
            user_error(["input", "deliveryPolicy"], message, "DELIVERY_MUST_BE_MULTIPLE_OF_BILLING")
        )
    next_billing = data.get("nextBillingDate")
    if next_billing is not None and parse_datetime(next_billing) <= now:
        message = "Next billing date must be in the future"
        errors.append(user_error(["input", "nextBillingDate"], message, "INVALID_BILLING_DATE"))
    note = data.get("note")
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        errors.append(user_error(["input", "note"], "Note is too long", "TOO_LONG"))
    method = data.get("deliveryMethod")
    if method is not None:
        address = (method.get("shipping") or {}).get("address")
        if address is None:
            message = "Delivery method needs a shipping address"
            errors.append(user_error(["input", "deliveryMethod"], message, "PRESENCE"))
        else:
            errors.extend(_address_errors(address))
    return errors


def _address_errors(address: dict[str, Any]) -> list[View]:
    field = ["input", "deliveryMethod", "shipping", "address"]
    errors = [
        user_error([*field, name], f"{name} can't be blank", "BLANK")
        for name in _REQUIRED_ADDRESS_FIELDS
        if not (address.get(name) or "").strip()
    ]
    if not (address.get("countryCode") or (address.get("country") or "").strip()):
        errors.append(user_error([*field, "countryCode"], "country can't be blank", "BLANK"))
    # Shopify parses phone numbers (libphonenumber): one too short or too long to dial is
    # refused; E.164 numbers have at most 15 digits, real ones at least 7.
    digits = sum(c.isdigit() for c in address.get("phone") or "")
    if address.get("phone") and not 7 <= digits <= 15:
        errors.append(user_error([*field, "phone"], "Phone is invalid", "INVALID"))
    return errors


def apply_update(terms: Terms, data: dict[str, Any]) -> None:
    if data.get("billingPolicy") is not None:
        policy = data["billingPolicy"]
        terms.billing_policy = Policy(policy["interval"], policy["intervalCount"])
        terms.min_cycles = policy.get("minCycles", terms.min_cycles)
        terms.max_cycles = policy.get("maxCycles", terms.max_cycles)
    if data.get("deliveryPolicy") is not None:
        policy = data["deliveryPolicy"]
        terms.delivery_policy = Policy(policy["interval"], policy["intervalCount"])
    if data.get("nextBillingDate") is not None:
        terms.next_billing_date = parse_datetime(data["nextBillingDate"])
    if data.get("status") is not None:
        terms.status = data["status"]
    if "note" in data:
        terms.note = data["note"]
    method = data.get("deliveryMethod")
    if method is not None:
        given = method["shipping"]["address"]
        # The new address replaces the old one whole, as Shopify does.
        terms.address = Address(
            **{attr: given.get(key) or "" for key, attr in _ADDRESS_FIELDS.items()}
        )


def line_errors(data: dict[str, Any]) -> list[View]:
    errors: list[View] = []
    quantity = data.get("quantity")
    if quantity is not None and quantity < 1:
        message = "Quantity must be greater than or equal to 1"
        errors.append(user_error(["input", "quantity"], message, "GREATER_THAN_OR_EQUAL_TO"))
    elif quantity is not None and quantity > MAX_QUANTITY:
        message = f"Quantity must be less than or equal to {MAX_QUANTITY}"
        errors.append(user_error(["input", "quantity"], message, "LESS_THAN_OR_EQUAL_TO"))
    price = data.get("currentPrice")
    if price is not None and parse_decimal(price) < 0:
        message = "Price must be greater than or equal to 0"
        errors.append(user_error(["input", "currentPrice"], message, "GREATER_THAN_OR_EQUAL_TO"))
    return errors


def apply_line(line: Line, data: dict[str, Any]) -> None:
    if data.get("quantity") is not None:
        line.quantity = data["quantity"]
    if data.get("currentPrice") is not None:
        line.price = parse_decimal(data["currentPrice"])


def discount_from_code(code: DiscountCode, discount_id: str) -> Discount:
    return Discount(
        id=discount_id,
        title=code.code,
        percentage=code.percentage,
        amount=code.amount,
        code=code.code,
        recurring_cycle_limit=code.recurring_cycle_limit,
    )
