from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.models import (
    ApiKey,
    Customer,
    PortalEvent,
    PortalRedemption,
    Shop,
    SpentToken,
    WebhookDelivery,
)
from shopify_app.settings import Settings
from shopify_app.signatures import sign_webhook
from tests.conftest import TEST_SECRET

SHOP = "demo-shop.myshopify.com"
OTHER = "other-shop.myshopify.com"


@pytest.fixture
async def client(database: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
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
    headers = {
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
        headers["X-Shopify-Hmac-Sha256"] = signature
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
    ],
    ids=["missing", "empty", "wrong-secret", "other-body", "garbage"],
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
    # A known customer's counters are left to `sync`, which sees every contract.
    await Customer.filter(pk=customer.pk).update(active_subscriptions=2)
    activate = {**payload, "status": "active"}
    await deliver(client, "subscription_contracts/activate", activate, webhook_id="wh-a")
    assert (await Customer.get(pk=customer.pk)).active_subscriptions == 2
