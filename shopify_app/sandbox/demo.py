"""Demo data of the simulated store: two shops, their customers, contracts, cards and orders.

Ids are fixed so tests and docs can name them; dates are relative to the store's clock at
seeding time, so "next billing date" is always ahead of "now".
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from shopify_app.sandbox.demo_catalog import seed_catalog
from shopify_app.sandbox.demo_images import product_image
from shopify_app.sandbox.records import (
    Address,
    ContractRecord,
    CustomerRecord,
    Discount,
    DiscountCode,
    Line,
    OrderRecord,
    PaymentMethodRecord,
    Policy,
    ShopRecord,
    Terms,
)
from shopify_app.sandbox.store import SimulatedStore

DEMO_SHOP = "demo-shop.myshopify.com"
DEMO_SHOP_NAME = "Demo Coffee Roasters"
DEMO_PRIMARY_DOMAIN = "shop.demo.test"
DEMO_ACCESS_TOKEN = "shpat_sandbox_demo_shop_token"  # noqa: S105 - the sandbox's fake token
DEMO_TIMEZONE = "America/New_York"
DEMO_CURRENCY = "USD"

OTHER_SHOP = "other-shop.myshopify.com"
OTHER_SHOP_NAME = "Other Shop"
OTHER_ACCESS_TOKEN = "shpat_sandbox_other_shop_token"  # noqa: S105 - the sandbox's fake token

ALICE_ID = 7100000000001  # an ACTIVE and a PAUSED contract
BOB_ID = 7100000000002  # one ACTIVE contract
CAROL_ID = 7100000000003  # only a CANCELLED contract
DAVE_ID = 7100000000004  # no subscriptions, one order
EVE_ID = 7100000000005  # names that try Liquid and HTML injection; one ACTIVE contract
OLGA_ID = 7200000000001  # other shop, one ACTIVE contract
OTHER_ALICE_ID = 7200000000002  # other shop, same email as Alice, one ACTIVE contract

ALICE_EMAIL = "alice@example.com"
BOB_EMAIL = "bob@example.com"
CAROL_EMAIL = "carol@example.com"
DAVE_EMAIL = "dave@example.com"
EVE_EMAIL = "eve@example.com"
OLGA_EMAIL = "olga@example.com"

EVE_FIRST_NAME = "{{ shop.name }}"
EVE_LAST_NAME = "<script>alert(1)</script>"

ALICE_ACTIVE_CONTRACT_ID = 8100000000001
ALICE_PAUSED_CONTRACT_ID = 8100000000002
BOB_CONTRACT_ID = 8100000000003
CAROL_CONTRACT_ID = 8100000000004
EVE_CONTRACT_ID = 8100000000005
OLGA_CONTRACT_ID = 8200000000001
OTHER_ALICE_CONTRACT_ID = 8200000000002

ALICE_CARD_ID = "a1ce0000000000000000000000000001"
BOB_CARD_ID = "b0b00000000000000000000000000002"
CAROL_CARD_ID = "ca7010000000000000000000000000003"
EVE_CARD_ID = "e5e00000000000000000000000000005"
OLGA_CARD_ID = "01ga0000000000000000000000000001"
OTHER_ALICE_CARD_ID = "07a10000000000000000000000000002"

# Codes `subscriptionDraftDiscountCodeApply` accepts, per shop (case-insensitive).
DEMO_DISCOUNT_CODES = (
    DiscountCode("SAVE10", percentage=10),
    DiscountCode("FIVEOFF", amount=Decimal("5.00")),
)
OTHER_DISCOUNT_CODES = (DiscountCode("OTHER15", percentage=15),)

CUSTOMERS = (
    CustomerRecord(ALICE_ID, DEMO_SHOP, "Alice", "Martin", ALICE_EMAIL),
    CustomerRecord(BOB_ID, DEMO_SHOP, "Bob", "Nguyen", BOB_EMAIL),
    CustomerRecord(CAROL_ID, DEMO_SHOP, "Carol", "Diaz", CAROL_EMAIL),
    CustomerRecord(DAVE_ID, DEMO_SHOP, "Dave", "Keller", DAVE_EMAIL),
    CustomerRecord(EVE_ID, DEMO_SHOP, EVE_FIRST_NAME, EVE_LAST_NAME, EVE_EMAIL),
    CustomerRecord(OLGA_ID, OTHER_SHOP, "Olga", "Other", OLGA_EMAIL),
    CustomerRecord(OTHER_ALICE_ID, OTHER_SHOP, "Alice", "Elsewhere", ALICE_EMAIL),
)

_LINE_NAMESPACE = uuid.UUID("6f1c4a52-5d0e-4d8e-9a55-3f0d2c1b7e00")


def line_id(contract_id: int, position: int) -> str:
    """The fixed id of a demo contract's line (1-based position)."""
    value = uuid.uuid5(_LINE_NAMESPACE, f"{contract_id}-{position}")
    return f"gid://shopify/SubscriptionLine/{value}"


def _line(contract_id: int, position: int, title: str, variant: str, qty: int, price: str) -> Line:
    slug = title.lower().replace(" ", "-")
    return Line(
        id=line_id(contract_id, position),
        title=title,
        variant_title=variant,
        quantity=qty,
        price=Decimal(price),
        sku=f"{slug[:12].upper()}-{position}",
        product_id=9000000000000 + contract_id % 1000 * 10 + position,
        variant_id=9500000000000 + contract_id % 1000 * 10 + position,
        image_url=product_image(title),
    )


def _address(first: str, last: str, address1: str, city: str, zip_code: str) -> Address:
    return Address(
        first_name=first,
        last_name=last,
        address1=address1,
        city=city,
        province="New York",
        province_code="NY",
        zip=zip_code,
        country="United States",
        country_code="US",
    )


def seed(store: SimulatedStore) -> None:
    """Fill `store` with the demo shops; dates count from `store.now()`."""
    now = store.now().replace(microsecond=0)
    noon = now.replace(hour=12, minute=0, second=0)

    store.add_shop(
        ShopRecord(DEMO_SHOP, DEMO_SHOP_NAME, DEMO_PRIMARY_DOMAIN, DEMO_TIMEZONE, DEMO_CURRENCY, 1),
        access_token=DEMO_ACCESS_TOKEN,
        discount_codes=DEMO_DISCOUNT_CODES,
    )
    store.add_shop(
        ShopRecord(OTHER_SHOP, OTHER_SHOP_NAME, OTHER_SHOP, "Europe/Paris", "EUR", 2),
        access_token=OTHER_ACCESS_TOKEN,
        discount_codes=OTHER_DISCOUNT_CODES,
    )
    for customer in CUSTOMERS:
        store.add_customer(CustomerRecord(**vars(customer)))

    expiry = now.year + 2
    for card_id, customer_id, brand, digits, month, year in (
        (ALICE_CARD_ID, ALICE_ID, "Visa", "4242", 12, expiry),
        (BOB_CARD_ID, BOB_ID, "Mastercard", "4444", 3, expiry + 1),
        (CAROL_CARD_ID, CAROL_ID, "American Express", "0005", 7, expiry),
        (EVE_CARD_ID, EVE_ID, "Visa", "1881", 1, expiry + 2),
        (OLGA_CARD_ID, OLGA_ID, "Visa", "5556", 9, expiry),
        (OTHER_ALICE_CARD_ID, OTHER_ALICE_ID, "Mastercard", "5100", 5, expiry),
    ):
        holder = store.customers[customer_id].display_name
        store.add_payment_method(
            PaymentMethodRecord(card_id, customer_id, brand, digits, month, year, holder)
        )

    def contract(
        contract_id: int,
        customer_id: int,
        status: str,
        *,
        every: tuple[str, int],
        next_in: timedelta,
        lines: list[Line],
        address: Address,
        card: str,
        discounts: list[Discount] | None = None,
        shop: str = DEMO_SHOP,
        currency: str = DEMO_CURRENCY,
        cycles_billed: int = 3,
    ) -> None:
        created = noon - timedelta(days=90)
        terms = Terms(
            status=status,
            next_billing_date=noon + next_in,
            billing_policy=Policy(*every),
            delivery_policy=Policy(*every),
            address=address,
            lines=lines,
            discounts=discounts or [],
        )
        store.add_contract(
            ContractRecord(
                id=contract_id,
                shop=shop,
                customer_id=customer_id,
                terms=terms,
                created_at=created,
                updated_at=created,
                currency=currency,
                delivery_price=Decimal("4.90"),
                payment_method_id=card,
                next_cycle_index=cycles_billed + 1,
            )
        )

    alice_home = _address("Alice", "Martin", "12 Roastery Road", "Brooklyn", "11201")
    contract(
        ALICE_ACTIVE_CONTRACT_ID,
        ALICE_ID,
        "ACTIVE",
        every=("MONTH", 1),
        next_in=timedelta(days=5),
        lines=[
            _line(ALICE_ACTIVE_CONTRACT_ID, 1, "House Blend Coffee", "1 kg / Beans", 1, "24.0"),
            _line(ALICE_ACTIVE_CONTRACT_ID, 2, "Decaf Colombia", "250 g / Ground", 2, "9.5"),
        ],
        address=alice_home,
        card=ALICE_CARD_ID,
        discounts=[
            Discount(
                id="gid://shopify/SubscriptionManualDiscount/6f1c4a52-0000-4000-8000-000000000001",
                title="Loyal customer",
                percentage=10,
            )
        ],
    )
    contract(
        ALICE_PAUSED_CONTRACT_ID,
        ALICE_ID,
        "PAUSED",
        every=("WEEK", 2),
        next_in=timedelta(days=12),
        lines=[_line(ALICE_PAUSED_CONTRACT_ID, 1, "Earl Grey Tea", "100 g", 1, "7.25")],
        address=alice_home,
        card=ALICE_CARD_ID,
        cycles_billed=5,
    )
    contract(
        BOB_CONTRACT_ID,
        BOB_ID,
        "ACTIVE",
        every=("WEEK", 1),
        next_in=timedelta(days=2),
        lines=[_line(BOB_CONTRACT_ID, 1, "Espresso Roast", "500 g / Whole bean", 1, "14.0")],
        address=_address("Bob", "Nguyen", "400 Bean Street", "Queens", "11101"),
        card=BOB_CARD_ID,
        cycles_billed=10,
    )
    contract(
        CAROL_CONTRACT_ID,
        CAROL_ID,
        "CANCELLED",
        every=("MONTH", 2),
        next_in=timedelta(days=20),
        lines=[_line(CAROL_CONTRACT_ID, 1, "Single Origin Kenya", "250 g / Ground", 1, "12.0")],
        address=_address("Carol", "Diaz", "9 Filter Lane", "Albany", "12207"),
        card=CAROL_CARD_ID,
        cycles_billed=1,
    )
    contract(
        EVE_CONTRACT_ID,
        EVE_ID,
        "ACTIVE",
        every=("MONTH", 1),
        next_in=timedelta(days=9),
        lines=[_line(EVE_CONTRACT_ID, 1, "House Blend Coffee", "{{ 7 | times: 6 }}", 1, "24.0")],
        address=_address(
            EVE_FIRST_NAME,
            EVE_LAST_NAME,
            "1 {% raw %}Liquid{% endraw %} Lane",
            "<b>Bold</b>ville",
            "10001",
        ),
        card=EVE_CARD_ID,
    )
    contract(
        OLGA_CONTRACT_ID,
        OLGA_ID,
        "ACTIVE",
        every=("MONTH", 1),
        next_in=timedelta(days=3),
        lines=[_line(OLGA_CONTRACT_ID, 1, "Thé vert", "100 g", 1, "8.0")],
        address=_address("Olga", "Other", "3 rue du Thé", "Paris", "75001"),
        card=OLGA_CARD_ID,
        shop=OTHER_SHOP,
        currency="EUR",
    )
    contract(
        OTHER_ALICE_CONTRACT_ID,
        OTHER_ALICE_ID,
        "ACTIVE",
        every=("MONTH", 3),
        next_in=timedelta(days=30),
        lines=[_line(OTHER_ALICE_CONTRACT_ID, 1, "Matcha", "50 g", 1, "19.0")],
        address=_address("Alice", "Elsewhere", "5 avenue Verte", "Lyon", "69001"),
        card=OTHER_ALICE_CARD_ID,
        shop=OTHER_SHOP,
        currency="EUR",
    )

    number = 1000
    for customer_id, shop, total, days_ago, contract_id in (
        (ALICE_ID, DEMO_SHOP, "47.90", 86, ALICE_ACTIVE_CONTRACT_ID),
        (ALICE_ID, DEMO_SHOP, "47.90", 56, ALICE_ACTIVE_CONTRACT_ID),
        (ALICE_ID, DEMO_SHOP, "43.11", 26, ALICE_ACTIVE_CONTRACT_ID),
        (BOB_ID, DEMO_SHOP, "18.90", 5, BOB_CONTRACT_ID),
        (CAROL_ID, DEMO_SHOP, "16.90", 40, CAROL_CONTRACT_ID),
        (DAVE_ID, DEMO_SHOP, "32.00", 14, None),
        (EVE_ID, DEMO_SHOP, "28.90", 21, EVE_CONTRACT_ID),
        (OLGA_ID, OTHER_SHOP, "12.90", 27, OLGA_CONTRACT_ID),
    ):
        number += 1
        order_shop = store.shops[shop]
        store.add_order(
            OrderRecord(
                id=5000000000000 + number,
                shop=shop,
                customer_id=customer_id,
                number=number,
                processed_at=noon - timedelta(days=days_ago),
                total=Decimal(total),
                currency=order_shop.currency,
                fulfillment_status="FULFILLED" if days_ago > 7 else "UNFULFILLED",
                contract_id=contract_id,
            )
        )
    seed_catalog(store)
