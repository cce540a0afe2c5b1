"""Views of plain values: shapes that link to no other record, so they need no `Context`.

Money, the shop, an order, an address, a contract line and its discounts; `views` builds the
linked records (customer, contract, draft, payment method, cycle) on top of these."""

from __future__ import annotations

import zlib
from decimal import Decimal

from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import (
    Address,
    Discount,
    Line,
    OrderRecord,
    ShopRecord,
    gid,
    iso,
    money_text,
)


def money(amount: Decimal, currency: str) -> View:
    return {"amount": money_text(amount), "currencyCode": currency}


def shop_view(shop: ShopRecord) -> View:
    return {
        "id": gid("Shop", shop.numeric_id),
        "name": shop.name,
        "myshopifyDomain": shop.domain,
        "primaryDomain": {
            "id": gid("Domain", shop.numeric_id),
            "host": shop.primary_host,
            "url": f"https://{shop.primary_host}",
        },
        "ianaTimezone": shop.timezone,
        "currencyCode": shop.currency,
    }


def order_view(order: OrderRecord) -> View:
    total = money(order.total, order.currency)
    return {
        "id": gid("Order", order.id),
        "name": order.name,
        "processedAt": iso(order.processed_at),
        "displayFinancialStatus": order.financial_status,
        "displayFulfillmentStatus": order.fulfillment_status,
        "totalPriceSet": {"shopMoney": total, "presentmentMoney": total},
    }


def address_view(address: Address, owner_id: str) -> View:
    def text(value: str) -> str | None:
        return value or None

    return {
        "id": gid("MailingAddress", zlib.crc32(owner_id.encode())),
        "firstName": text(address.first_name),
        "lastName": text(address.last_name),
        "company": text(address.company),
        "address1": text(address.address1),
        "address2": text(address.address2),
        "city": text(address.city),
        "province": text(address.province),
        "provinceCode": text(address.province_code),
        "zip": text(address.zip),
        "country": text(address.country),
        "countryCodeV2": text(address.country_code),
        "phone": text(address.phone),
    }


def line_view(line: Line, currency: str) -> View:
    return {
        "id": line.id,
        "title": line.title,
        "variantTitle": line.variant_title,
        "sku": line.sku,
        "quantity": line.quantity,
        "productId": gid("Product", line.product_id) if line.product_id else None,
        "variantId": gid("ProductVariant", line.variant_id) if line.variant_id else None,
        "sellingPlanId": gid("SellingPlan", line.selling_plan_id) if line.selling_plan_id else None,
        "currentPrice": money(line.price, currency),
        "variantImage": (
            {"id": None, "url": line.image_url, "altText": line.title} if line.image_url else None
        ),
    }


def manual_discount_view(discount: Discount, currency: str) -> View:
    value: View
    if discount.percentage is not None:
        value = {
            "__typename": "SubscriptionDiscountPercentageValue",
            "percentage": discount.percentage,
        }
    else:
        value = {
            "__typename": "SubscriptionDiscountFixedAmountValue",
            "amount": money(discount.amount or Decimal("0"), currency),
            "appliesOnEachItem": False,
        }
    return {
        "__typename": "SubscriptionManualDiscount",
        "id": discount.id,
        "title": discount.title,
        "type": "CODE_DISCOUNT" if discount.code else "MANUAL",
        "targetType": "LINE_ITEM",
        "recurringCycleLimit": discount.recurring_cycle_limit,
        "usageCount": discount.usage_count,
        "value": value,
        "rejectionReason": None,
    }


def draft_discount_view(discount: Discount, currency: str) -> View:
    """Inside a draft a code discount shows as the code that was applied."""
    if discount.code:
        return {
            "__typename": "SubscriptionAppliedCodeDiscount",
            "id": discount.id,
            "redeemCode": discount.code,
            "rejectionReason": None,
        }
    return manual_discount_view(discount, currency)
