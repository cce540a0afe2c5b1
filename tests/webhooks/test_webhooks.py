from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.settings import Settings
from shopify_app.shopify.signatures import sign_webhook
from shopify_app.storage.models import (
    ApiKey,
    Customer,
    PortalEvent,
    PortalRedemption,
    Shop,
    SpentToken,
    SubscriptionContract,
    WebhookDelivery,
)
from shopify_app.tasks import data_request
from shopify_app.webhooks.routes import MAX_BODY_BYTES
from tests.conftest import TEST_SECRET

NOW = datetime(2026, 1, 5, 10, 0, 30, tzinfo=UTC)
SHOP = "demo-shop.myshopify.com"
OTHER = "other-shop.myshopify.com"


@pytest.fixture
async def client(database: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # Deliveries are dated 2026-01-05T10:00:00Z (and a few within that hour): the replay window
    # is measured from the app's clock.
    app = create_app(settings, manage_database=False, clock=lambda: NOW)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as http:
        yield http


async def make_shop(domain: str) -> Shop:
    now = datetime.now(UTC)
    return await Shop.create(
        domain=domain, name=domain, installed_at=now, access_token=f"token-of-{domain}",
        access_token_expires_at=now + timedelta(hours=1), refresh_token=f"refresh-of-{domain}",
        refresh_token_expires_at=now + timedelta(days=90),
    )


async def deliver(
    client: httpx.AsyncClient,
    topic: str,
    payload: dict[str, Any],
    *,
    shop: str = SHOP,
    webhook_id: str = "wh-1",
    signature: str | None = "valid",
) -> httpx.Response:
    body = json.dumps(payload).encode()
    headers: dict[str, str | bytes] = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-01",
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Triggered-At": "2026-01-05T10:00:00Z",
    }
    if signature == "valid":
        headers["X-Shopify-Hmac-Sha256"] = sign_webhook(body, TEST_SECRET)
    elif signature is not None:
        # Non-ASCII bytes as a client could send them (Starlette decodes headers as latin-1).
        headers["X-Shopify-Hmac-Sha256"] = signature.encode("latin-1")
    return await client.post("/webhooks", content=body, headers=headers)


UNINSTALL = {"id": 1, "domain": SHOP}


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        sign_webhook(json.dumps(UNINSTALL).encode(), "some-other-secret"),
        sign_webhook(b'{"id": 2}', TEST_SECRET),  # valid for another body
        "not base64 at all",
        "\u00e9" * 44,  # compare_digest refuses non-ASCII str: a 401, not a 500
    ],
    ids=["missing", "empty", "wrong-secret", "other-body", "garbage", "non-ascii"],
)
async def test_forged_or_missing_signature_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, signature: str | None
) -> None:
    shop = await make_shop(SHOP)
    response = await deliver(client, "app/uninstalled", UNINSTALL, signature=signature)
    assert response.status_code == 401
    assert "Invalid webhook signature" in response.text
    assert await WebhookDelivery.all().count() == 0
    await shop.refresh_from_db()
    assert shop.access_token == f"token-of-{SHOP}" and shop.uninstalled_at is None


async def test_a_valid_delivery_gets_an_empty_200(client: httpx.AsyncClient) -> None:
    await make_shop(SHOP)
    response = await deliver(client, "orders/create", {"id": 1})
    assert response.status_code == 200 and response.content == b""
    assert await WebhookDelivery.filter(webhook_id="wh-1", topic="orders/create").count() == 1


@pytest.mark.parametrize("shop", ["evil.com", "x.myshopify.com.evil.com", ""])
async def test_a_signed_delivery_for_an_invalid_shop_domain_is_refused(
    client: httpx.AsyncClient, shop: str
) -> None:
    response = await deliver(client, "app/uninstalled", UNINSTALL, shop=shop)
    assert response.status_code == 400
    assert await WebhookDelivery.all().count() == 0


async def test_app_uninstalled_deletes_credentials_and_disables_api_keys(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)
    other = await make_shop(OTHER)
    await ApiKey.create(shop=shop, name="crm", prefix="k1", key_hash="a" * 64)
    await ApiKey.create(shop=shop, name="old", prefix="k2", key_hash="b" * 64,
                        revoked_at=datetime(2025, 1, 1, tzinfo=UTC))
    await ApiKey.create(shop=other, name="crm", prefix="k3", key_hash="c" * 64)

    response = await deliver(client, "app/uninstalled", UNINSTALL)

    assert response.status_code == 200
    await shop.refresh_from_db()
    assert shop.access_token is None and shop.refresh_token is None
    assert shop.access_token_expires_at is None and shop.refresh_token_expires_at is None
    assert shop.uninstalled_at is not None and not shop.installed
    keys = {k.prefix: k for k in await ApiKey.all()}
    assert keys["k1"].revoked_at is not None
    assert keys["k2"].revoked_at == datetime(2025, 1, 1, tzinfo=UTC)  # untouched
    assert keys["k3"].revoked_at is None  # another shop
    await other.refresh_from_db()
    assert other.access_token == f"token-of-{OTHER}"


async def test_a_redelivered_webhook_is_handled_once(client: httpx.AsyncClient) -> None:
    shop = await make_shop(SHOP)
    assert (await deliver(client, "app/uninstalled", UNINSTALL, webhook_id="wh-9")).status_code \
        == 200
    # The merchant reinstalls; then Shopify retries the old delivery.
    await Shop.filter(pk=shop.pk).update(access_token="new-token", uninstalled_at=None)

    again = await deliver(client, "app/uninstalled", UNINSTALL, webhook_id="wh-9")

    assert again.status_code == 200 and again.content == b""
    await shop.refresh_from_db()
    assert shop.access_token == "new-token" and shop.installed
    assert await WebhookDelivery.filter(webhook_id="wh-9").count() == 1


async def test_concurrent_copies_of_one_delivery_are_handled_once(
    client: httpx.AsyncClient,
) -> None:
    await make_shop(SHOP)
    payload = {"admin_graphql_api_id": "gid://shopify/SubscriptionContract/5",
               "admin_graphql_api_customer_id": "gid://shopify/Customer/77", "status": "active"}
    responses = await asyncio.gather(*[
        deliver(client, "subscription_contracts/create", payload, webhook_id="wh-c")
        for _ in range(5)
    ])
    assert [r.status_code for r in responses] == [200] * 5
    assert await WebhookDelivery.filter(webhook_id="wh-c").count() == 1
    assert await Customer.filter(customer_id=77).count() == 1


async def seed_customer_rows(shop: Shop, customer_id: int) -> None:
    now = datetime.now(UTC)
    await Customer.create(shop=shop, customer_id=customer_id, email=f"c{customer_id}@example.com")
    await SpentToken.create(jti=f"{shop.pk}-{customer_id}", shop=shop, customer_id=customer_id,
                            expires_at=now)
    await PortalRedemption.create(shop=shop, customer_id=customer_id)
    await PortalEvent.create(shop=shop, customer_id=customer_id, action="pause")


async def customer_rows(shop: Shop, customer_id: int) -> int:
    total = 0
    for model in (Customer, SpentToken, PortalRedemption, PortalEvent):
        total += await model.filter(shop=shop, customer_id=customer_id).count()
    return total


async def test_customers_redact_deletes_that_customers_rows_of_that_shop_only(
    client: httpx.AsyncClient,
) -> None:
    shop, other = await make_shop(SHOP), await make_shop(OTHER)
    await seed_customer_rows(shop, 7)
    await seed_customer_rows(shop, 8)
    await seed_customer_rows(other, 7)
    payload = {"shop_id": 1, "shop_domain": SHOP,
               "customer": {"id": 7, "email": "c7@example.com", "phone": None},
               "orders_to_redact": [1001]}

    response = await deliver(client, "customers/redact", payload)

    assert response.status_code == 200
    assert await customer_rows(shop, 7) == 0
    assert await customer_rows(shop, 8) == 4
    assert await customer_rows(other, 7) == 4


async def test_customers_data_request_answers_without_logging_personal_data(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    shop = await make_shop(SHOP)
    await seed_customer_rows(shop, 7)
    caplog.set_level(logging.INFO)
    payload = {"shop_id": 1, "shop_domain": SHOP, "orders_requested": [],
               "customer": {"id": 7, "email": "c7@example.com", "phone": "+15550001"},
               "data_request": {"id": 9999}}

    response = await deliver(client, "customers/data_request", payload)

    assert response.status_code == 200
    assert await customer_rows(shop, 7) == 4
    # The answer is assembled by a job (tests/tasks/test_jobs.py); here, as the job logs it.
    await data_request.answer_data_request(SHOP, 7, "9999", datetime.now(UTC))
    assert "9999" in caplog.text and "4 rows" in caplog.text
    assert "c7@example.com" not in caplog.text and "+15550001" not in caplog.text


async def test_shop_redact_deletes_the_shop_and_everything_under_it(
    client: httpx.AsyncClient,
) -> None:
    shop, other = await make_shop(SHOP), await make_shop(OTHER)
    await seed_customer_rows(shop, 7)
    await seed_customer_rows(other, 7)
    await ApiKey.create(shop=shop, name="crm", prefix="k1", key_hash="a" * 64)

    response = await deliver(client, "shop/redact", {"shop_id": 1, "shop_domain": SHOP})

    assert response.status_code == 200
    assert not await Shop.filter(domain=SHOP).exists()
    assert await ApiKey.all().count() == 0
    for model in (Customer, SpentToken, PortalRedemption, PortalEvent):
        assert await model.all().count() == 1  # only the other shop's row
    assert await customer_rows(other, 7) == 4


async def test_a_subscription_contract_makes_the_customer_known(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)
    payload = {"admin_graphql_api_id": "gid://shopify/SubscriptionContract/5",
               "admin_graphql_api_customer_id": "gid://shopify/Customer/123", "status": "paused"}
    response = await deliver(client, "subscription_contracts/pause", payload, webhook_id="wh-p")
    assert response.status_code == 200
    customer = await Customer.get(shop=shop, customer_id=123)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (0, 1)
    # Counters are recounted from the mirror, never incremented: a stale value is corrected.
    await Customer.filter(pk=customer.pk).update(active_subscriptions=2)
    activate = {**payload, "status": "active"}
    await deliver(client, "subscription_contracts/activate", activate, webhook_id="wh-a")
    customer = await Customer.get(pk=customer.pk)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (1, 0)


CONTRACT_GID = "gid://shopify/SubscriptionContract/"
CUSTOMER_GID = "gid://shopify/Customer/"


def contract_payload(contract_id: int, customer_id: int, status: str, revision: int | None = 1,
                     **extra: object) -> dict[str, Any]:
    """A `subscription_contracts/*` body as Shopify sends it (the fields we read, and more).
    `revision=None` leaves `revision_id` out: ordering falls back to the event time."""
    revision_field = {} if revision is None else {"revision_id": str(revision)}
    return {"id": contract_id, "admin_graphql_api_id": f"{CONTRACT_GID}{contract_id}",
            "customer_id": customer_id,
            "admin_graphql_api_customer_id": f"{CUSTOMER_GID}{customer_id}",
            "status": status, "currency_code": "USD", **revision_field,
            "billing_policy": {"interval": "month", "interval_count": 1}, **extra}


async def test_contract_webhooks_keep_the_mirror_and_the_counters_fresh(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)
    later = "2026-02-01T10:00:00Z"
    sooner = "2026-01-20T10:00:00-05:00"
    steps = [
        ("create", contract_payload(1, 50, "active", next_billing_date=later)),
        ("create", contract_payload(2, 50, "active", next_billing_date=sooner)),
        ("pause", contract_payload(2, 50, "paused", 2)),  # no date: the mirror keeps it
        ("create", contract_payload(3, 50, "ACTIVE")),  # status in any case
        ("cancel", contract_payload(3, 50, "cancelled", 2)),
    ]
    for n, (verb, payload) in enumerate(steps):
        response = await deliver(client, f"subscription_contracts/{verb}", payload,
                                 webhook_id=f"wh-{n}")
        assert response.status_code == 200

    mirror = {c.contract_id: c for c in await SubscriptionContract.filter(shop=shop)}
    assert {k: v.status for k, v in mirror.items()} == {1: "active", 2: "paused",
                                                         3: "cancelled"}
    assert mirror[2].next_billing_date == datetime(2026, 1, 20, 15, 0, tzinfo=UTC)
    assert mirror[1].currency == "USD" and mirror[1].customer_id == 50
    customer = await Customer.get(shop=shop, customer_id=50)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (1, 2)
    # The next order is the earliest date among ACTIVE contracts (the paused one is sooner).
    assert customer.next_order_date == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)


async def test_concurrent_contracts_of_one_customer_are_all_counted(
    client: httpx.AsyncClient,
) -> None:
    # One checkout with two subscription lines: two contracts, two deliveries at once.
    await make_shop(SHOP)
    responses = await asyncio.gather(*[
        deliver(client, "subscription_contracts/create", contract_payload(n, 70, "active"),
                webhook_id=f"wh-{n}")
        for n in range(1, 5)
    ])
    assert [r.status_code for r in responses] == [200] * 4
    customer = await Customer.get(customer_id=70)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (4, 0)


async def test_a_contract_webhook_keeps_what_sync_knew_of_the_customer(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)
    revoked = datetime(2026, 1, 1, tzinfo=UTC)
    await Customer.create(shop=shop, customer_id=60, email="known@example.com",
                          first_name="Known", last_name="Person", lifetime_value=Decimal("10"),
                          currency="USD", links_valid_after=revoked)
    await deliver(client, "subscription_contracts/create", contract_payload(9, 60, "active"))
    customer = await Customer.get(shop=shop, customer_id=60)
    assert (customer.email, customer.first_name, customer.last_name) == (
        "known@example.com", "Known", "Person")
    assert (customer.lifetime_value, customer.links_valid_after) == (Decimal("10"), revoked)
    assert customer.active_subscriptions == 1


@pytest.mark.parametrize(
    ("payload", "contracts", "customers"),
    [
        ({"admin_graphql_api_id": f"{CONTRACT_GID}1", "status": "active"}, 0, 0),
        ({"admin_graphql_api_id": f"{CONTRACT_GID}1", "status": "active",
          "admin_graphql_api_customer_id": "gid://shopify/Customer/abc"}, 0, 0),
        ({"admin_graphql_api_customer_id": f"{CUSTOMER_GID}7", "status": "active"}, 0, 1),
        ({"admin_graphql_api_id": f"{CONTRACT_GID}1",
          "admin_graphql_api_customer_id": f"{CUSTOMER_GID}7"}, 0, 1),
        ({"id": 1, "customer_id": 7, "status": "active"}, 1, 1),  # numeric ids only
        ({**contract_payload(1, 7, "active"), "next_billing_date": "not a date"}, 1, 1),
    ],
    ids=["no-customer", "bad-customer", "no-contract", "no-status", "numeric", "bad-date"],
)
async def test_partial_contract_payloads_never_fail_the_delivery(
    client: httpx.AsyncClient, payload: dict[str, Any], contracts: int, customers: int,
) -> None:
    await make_shop(SHOP)
    response = await deliver(client, "subscription_contracts/update", payload)
    assert response.status_code == 200
    assert await SubscriptionContract.all().count() == contracts
    assert await Customer.all().count() == customers


async def test_contract_webhooks_of_an_unknown_shop_are_dropped(
    client: httpx.AsyncClient,
) -> None:
    response = await deliver(client, "subscription_contracts/create",
                             contract_payload(1, 7, "active"))
    assert response.status_code == 200
    assert await SubscriptionContract.all().count() == 0


async def test_customers_redact_removes_the_customers_contract_mirror(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)
    await deliver(client, "subscription_contracts/create", contract_payload(1, 7, "active"),
                  webhook_id="wh-a")
    await deliver(client, "subscription_contracts/create", contract_payload(2, 8, "active"),
                  webhook_id="wh-b")
    redact = {"shop_id": 1, "shop_domain": SHOP, "customer": {"id": 7}}
    await deliver(client, "customers/redact", redact, webhook_id="wh-r")
    assert await SubscriptionContract.filter(shop=shop).values_list("customer_id", flat=True) \
        == [8]


async def test_an_oversized_delivery_is_refused_unread(client: httpx.AsyncClient) -> None:
    await make_shop(SHOP)
    body = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    headers = {"X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": SHOP,
               "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET)}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for start in range(0, len(body), 65536):
            yield body[start:start + 65536]

    declared = await client.post("/webhooks", content=body, headers=headers)
    streamed = await client.post("/webhooks", content=chunks(), headers=headers)
    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert await WebhookDelivery.all().count() == 0
    assert (await Shop.get(domain=SHOP)).uninstalled_at is None


async def test_a_late_contract_delivery_does_not_undo_a_newer_one(
    client: httpx.AsyncClient,
) -> None:
    """Shopify retries for hours, so deliveries cross: the event time
    (`X-Shopify-Triggered-At`), not the arrival order, decides."""
    shop = await make_shop(SHOP)

    async def send(status: str, triggered_at: str, webhook_id: str) -> None:
        body = json.dumps(contract_payload(9, 77, status, revision=None)).encode()
        verb = "pause" if status == "paused" else "activate"
        response = await client.post("/webhooks", content=body, headers={
            "Content-Type": "application/json",
            "X-Shopify-Topic": f"subscription_contracts/{verb}",
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Triggered-At": triggered_at,
            "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
        })
        assert response.status_code == 200

    await send("active", "2026-01-05T10:00:05Z", "wh-new")  # resumed at 10:00:05
    await send("paused", "2026-01-05T10:00:00Z", "wh-old")  # paused at 10:00:00, arrives late
    contract = await SubscriptionContract.get(shop=shop, contract_id=9)
    assert contract.status == "active"
    assert contract.updated_at == datetime(2026, 1, 5, 10, 0, 5, tzinfo=UTC)
    customer = await Customer.get(shop=shop, customer_id=77)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (1, 0)

    await send("paused", "2026-01-05T10:00:09Z", "wh-newer")  # a later pause applies
    assert (await SubscriptionContract.get(shop=shop, contract_id=9)).status == "paused"
