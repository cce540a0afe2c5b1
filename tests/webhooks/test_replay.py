"""Only the body of a webhook is signed: a captured delivery must not be replayable against
another shop, under another topic, or long after it happened."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.settings import Settings
from shopify_app.shopify.signatures import sign_webhook
from shopify_app.storage.models import ApiKey, Customer, Shop, SubscriptionContract, WebhookDelivery
from shopify_app.webhooks import verification
from tests.conftest import TEST_SECRET

SHOP = "demo-shop.myshopify.com"
OTHER = "other-shop.myshopify.com"
NOW = datetime(2026, 1, 5, 10, 0, 30, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(
    database: str, settings: Settings, clock: Clock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False, clock=clock)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as http:
        yield http


async def make_shop(domain: str) -> Shop:
    return await Shop.create(domain=domain, name=domain, installed_at=NOW,
                             access_token=f"token-of-{domain}")


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def deliver(
    client: httpx.AsyncClient, topic: str, payload: dict[str, Any] | bytes, *,
    shop: str = SHOP, webhook_id: str = "wh-1", triggered_at: str | None = iso(NOW),
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json", "Accept": "application/json", "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop, "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
    }
    if triggered_at is not None:
        headers["X-Shopify-Triggered-At"] = triggered_at
    return await client.post("/webhooks", content=body, headers=headers)


async def untouched(domain: str) -> bool:
    shop = await Shop.get_or_none(domain=domain)
    return shop is not None and shop.installed and shop.access_token == f"token-of-{domain}"


@pytest.mark.parametrize(
    ("topic", "captured"),
    [
        ("shop/redact", {"shop_id": 1, "shop_domain": SHOP}),
        ("app/uninstalled", {"id": 1, "domain": SHOP, "myshopify_domain": SHOP}),
        ("app/uninstalled", {"id": 1, "myshopify_domain": SHOP}),
        ("customers/redact", {"shop_id": 1, "shop_domain": SHOP, "customer": {"id": 7}}),
        ("orders/create", {"id": 5, "shop_domain": SHOP}),
    ],
    ids=["shop-redact", "uninstall", "uninstall-myshopify", "customers-redact", "other-topic"],
)
async def test_a_delivery_naming_another_shop_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, topic: str, captured: dict[str, Any]
) -> None:
    await make_shop(SHOP)
    await make_shop(OTHER)
    response = await deliver(client, topic, captured, shop=OTHER)
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_shop_mismatch"
    assert await untouched(OTHER) and await untouched(SHOP)
    assert await WebhookDelivery.all().count() == 0


async def test_a_payload_shop_id_must_match_the_shop_we_know(
    client: httpx.AsyncClient,
) -> None:
    await make_shop(SHOP)
    other = await make_shop(OTHER)
    await Shop.filter(pk=other.pk).update(shopify_id=222)
    # A delivery of shop 111 that names it only by id, replayed with OTHER's domain.
    response = await deliver(client, "shop/redact", {"shop_id": 111, "shop_domain": OTHER},
                             shop=OTHER)
    assert response.status_code == 401
    assert await untouched(OTHER)


async def test_the_shops_id_is_learnt_from_a_delivery_that_names_both(
    client: httpx.AsyncClient,
) -> None:
    await make_shop(SHOP)
    response = await deliver(client, "customers/data_request",
                             {"shop_id": 111, "shop_domain": SHOP, "customer": {"id": 1}})
    assert response.status_code == 200
    assert (await Shop.get(domain=SHOP)).shopify_id == 111


@pytest.mark.parametrize(
    ("topic", "captured"),
    [
        ("shop/redact", {"id": 5}),  # an order of this shop, re-sent as a redaction
        ("shop/redact", {"admin_graphql_api_id": "gid://shopify/SubscriptionContract/1"}),
        ("app/uninstalled", {"id": 5, "total_price": "10.00"}),
        ("app/uninstalled", {"shop_id": 1, "shop_domain": SHOP}),  # a shop/redact body
        ("customers/redact", {"shop_id": 1, "shop_domain": SHOP}),  # names no customer
        ("shop/redact", b"[]"),
        ("app/uninstalled", b""),
    ],
    ids=["order-as-redact", "contract-as-redact", "order-as-uninstall",
         "redact-as-uninstall", "redact-without-customer", "list", "empty"],
)
async def test_a_destructive_topic_accepts_only_a_payload_of_its_own_shape(
    client: httpx.AsyncClient, topic: str, captured: dict[str, Any] | bytes
) -> None:
    await make_shop(SHOP)
    await ApiKey.create(shop=await Shop.get(domain=SHOP), name="k", prefix="p", key_hash="a" * 64)
    response = await deliver(client, topic, captured)
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_payload_mismatch"
    assert await untouched(SHOP)
    assert (await ApiKey.get(prefix="p")).revoked_at is None


@pytest.mark.parametrize(
    "triggered_at",
    [
        iso(NOW - verification.MAX_DELIVERY_AGE - timedelta(seconds=1)),
        iso(NOW - timedelta(days=300)),
        iso(NOW + verification.MAX_CLOCK_SKEW + timedelta(seconds=1)),
        None,
        "yesterday",
        "9" * 40,
    ],
    ids=["just-too-old", "ancient", "future", "missing", "garbage", "huge"],
)
async def test_a_delivery_outside_the_replay_window_is_refused(
    client: httpx.AsyncClient, triggered_at: str | None
) -> None:
    await make_shop(SHOP)
    response = await deliver(client, "app/uninstalled", {"id": 1, "domain": SHOP},
                             triggered_at=triggered_at)
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_outside_window"
    assert await untouched(SHOP)


async def test_shopifys_last_retry_is_still_accepted(client: httpx.AsyncClient) -> None:
    """8 retries over 4 hours: the window has a margin above that."""
    assert timedelta(hours=4, minutes=30) <= verification.MAX_DELIVERY_AGE
    await make_shop(SHOP)
    response = await deliver(client, "app/uninstalled", {"id": 1, "domain": SHOP},
                             triggered_at=iso(NOW - timedelta(hours=4, minutes=5)))
    assert response.status_code == 200
    assert not (await Shop.get(domain=SHOP)).installed


def test_dedup_records_outlive_every_delivery_they_could_catch() -> None:
    # A record received at R with a delivery triggered at T <= R + skew catches copies until
    # T + max age: purging after the retention never lets a copy in.
    assert verification.DEDUP_RETENTION >= (
        verification.MAX_DELIVERY_AGE + verification.MAX_CLOCK_SKEW)


async def test_contract_updates_follow_revision_ids_not_timestamps(
    client: httpx.AsyncClient,
) -> None:
    shop = await make_shop(SHOP)

    def contract(status: str, revision: int) -> dict[str, Any]:
        return {"id": 9, "admin_graphql_api_id": "gid://shopify/SubscriptionContract/9",
                "customer_id": 77, "admin_graphql_api_customer_id": "gid://shopify/Customer/77",
                "status": status, "revision_id": str(revision)}

    same_second = iso(NOW)
    # The follow-up (revision 6) arrives first; the action (revision 5) in the same second after.
    assert (await deliver(client, "subscription_contracts/activate", contract("active", 6),
                          webhook_id="a", triggered_at=same_second)).status_code == 200
    assert (await deliver(client, "subscription_contracts/pause", contract("paused", 5),
                          webhook_id="b", triggered_at=same_second)).status_code == 200
    row = await SubscriptionContract.get(shop=shop, contract_id=9)
    assert row.status == "active" and row.revision_id == 6
    # An older revision never wins, even with a later timestamp.
    assert (await deliver(client, "subscription_contracts/pause", contract("paused", 4),
                          webhook_id="c", triggered_at=iso(NOW + timedelta(seconds=30))
                          )).status_code == 200
    assert (await SubscriptionContract.get(shop=shop, contract_id=9)).status == "active"
    # A newer one applies, even with an earlier timestamp.
    assert (await deliver(client, "subscription_contracts/pause", contract("paused", 7),
                          webhook_id="d", triggered_at=iso(NOW - timedelta(seconds=30))
                          )).status_code == 200
    row = await SubscriptionContract.get(shop=shop, contract_id=9)
    assert row.status == "paused" and row.revision_id == 7
    customer = await Customer.get(shop=shop, customer_id=77)
    assert (customer.active_subscriptions, customer.inactive_subscriptions) == (0, 1)
