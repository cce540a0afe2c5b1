"""The JSON the extension reads: subscriptions as plain objects, with what the shop allows.

Each subscription names the actions the customer may take on it right now (merchant toggles
and its status, `merchant.policy`), so the extension offers exactly what the server accepts.
Field names are camelCase, as in Shopify's own APIs the extension's authors know.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.customer_account import line_payloads, schedule_payloads
from shopify_app.portal.views.payment_notice import expires_before_next_order
from shopify_app.portal.views.viewmodels import (
    Address,
    Contract,
    ContractDetail,
    Cycle,
    Discount,
    Line,
    Money,
    Overview,
)
from shopify_app.storage.models import Shop


def _moment(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _money(value: Money | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"amount": f"{value.amount:.2f}", "currencyCode": value.currency}


def _line(line: Line) -> dict[str, Any]:
    return {
        "id": line.gid,
        "title": line.title,
        "variantTitle": line.variant_title,
        "quantity": line.quantity,
        "price": _money(line.price),
        "imageUrl": line.image_url or None,
        "imageAlt": line.image_alt,
    }


def _address(address: Address | None) -> dict[str, str] | None:
    if address is None:
        return None
    return {
        "firstName": address.first_name,
        "lastName": address.last_name,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "provinceCode": address.province_code,
        "zip": address.zip,
        "countryCode": address.country_code,
        "phone": address.phone,
    }


def _discount(discount: Discount) -> dict[str, str]:
    return {"id": discount.gid, "title": discount.title, "value": discount.value}


def _cycle(cycle: Cycle) -> dict[str, Any]:
    expected = _moment(cycle.expected_at)
    return {"index": cycle.index, "expectedAt": expected, "skipped": cycle.skipped}


def actions_for(shop: Shop, status: str) -> list[str]:
    """The actions the server will accept on a contract in `status`, in the policy's order."""
    return [a for a in policy.ACTIONS if policy.action_available(shop, a, status)]


def subscription(shop: Shop, contract: Contract) -> dict[str, Any]:
    payment = contract.payment
    return {
        "id": contract.id,
        "gid": contract.gid,
        "status": contract.status,
        "nextBillingDate": _moment(contract.next_billing_date),
        "billingPolicy": {"interval": contract.billing_interval, "count": contract.billing_count},
        "deliveryPolicy": {
            "interval": contract.delivery_interval,
            "count": contract.delivery_count,
        },
        "frequency": f"{contract.billing_interval}:{contract.billing_count}",
        "lines": [_line(line) for line in contract.lines],
        "estimatedTotal": _money(contract.estimated_total()),
        "deliveryPrice": _money(contract.delivery_price),
        "address": _address(contract.address),
        "paymentMethod": None
        if payment is None
        else {
            "brand": payment.brand,
            "lastDigits": payment.last_digits,
            "expiry": payment.expiry,
            "expiresSoon": payment.expires_soon,
            "revoked": payment.revoked,
            "expiresBeforeNextOrder": expires_before_next_order(contract),
        },
        "resumeOn": contract.resume_on.isoformat() if contract.resume_on else None,
        "discounts": [_discount(d) for d in contract.discounts],
        "actions": actions_for(shop, contract.status),
    }


def frequencies(shop: Shop) -> list[dict[str, Any]]:
    return [
        {"key": f.key, "interval": f.interval, "count": f.count}
        for f in policy.allowed_frequencies(shop)
    ]


def overview(shop: Shop, data: Overview) -> dict[str, Any]:
    return {
        "customer": {"firstName": data.first_name, "displayName": data.display_name},
        "subscriptions": [subscription(shop, c) for c in data.contracts],
    }


def detail(shop: Shop, data: ContractDetail, today: date) -> dict[str, Any]:
    return {
        "subscription": {
            **subscription(shop, data.contract),
            "upcoming": [
                {**_cycle(c), "addOns": line_payloads.cycle_addons(data, c)}
                for c in data.upcoming_cycles
            ],
            **schedule_payloads.extras(data, today),
            "addOnOffers": line_payloads.offers(data),
        },
        "frequencies": frequencies(shop),
        "liveSubscriptions": list(data.live_ids),
    }
