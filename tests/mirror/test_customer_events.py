"""Customer and billing webhooks keep the listing true: `customers/update` at once, billing
attempts and skipped cycles through a re-read of the customer by a background job."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from shopify_app.jobs import queue
from shopify_app.links import customers
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.shopify.signatures import sign_webhook
from shopify_app.storage.models import Customer, Shop, WebhookDelivery
from tests.conftest import TEST_SECRET
from tests.support.jobs import JobsApp
from tests.support.store import register_shop


async def deliver(client: httpx.AsyncClient, topic: str, payload: dict[str, Any], webhook_id: str,
                  triggered_at: str | None = None) -> httpx.Response:
    # Now, by default: deliveries outside the replay window are refused.
    triggered_at = triggered_at or datetime.now(UTC).isoformat(timespec="seconds")
    body = json.dumps(payload).encode()
    return await client.post("/webhooks", content=body, headers={
        "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": DEMO_SHOP,
        "X-Shopify-Webhook-Id": webhook_id, "X-Shopify-Triggered-At": triggered_at,
        "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
    })


async def imported(jobs_app: JobsApp, store: SimulatedStore) -> Shop:
    shop = await register_shop(store, DEMO_SHOP)
    await queue.enqueue_first_import(DEMO_SHOP)
    await jobs_app.run_jobs()
    return shop


def customer_update(first: str, email: str, updated_at: str, **extra: Any) -> dict[str, Any]:
    return {"id": ALICE_ID, "admin_graphql_api_id": f"gid://shopify/Customer/{ALICE_ID}",
            "first_name": first, "last_name": "Martin", "email": email,
            "updated_at": updated_at, **extra}


async def test_customers_update_reaches_the_listing_and_the_email_lookup(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await imported(jobs_app, store)
    payload = customer_update("Alicia", "Alicia.New@Example.com", "2030-01-01T10:00:00Z",
                              amount_spent={"amount": "200.50", "currency_code": "USD"})

    response = await deliver(jobs_app.client, "customers/update", payload, "cu-1")

    assert response.status_code == 200
    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert (alice.first_name, alice.email, alice.lifetime_value) == (
        "Alicia", "alicia.new@example.com", Decimal("200.50"))
    calls = len(store.requests)
    found = await customers.find_by_email(jobs_app.app.state.app_state.admin, shop,
                                          "ALICIA.NEW@example.com")
    assert found.customer_id == ALICE_ID and len(store.requests) == calls  # found locally
    # The same delivery again, and an older event arriving late, change nothing.
    await deliver(jobs_app.client, "customers/update", payload, "cu-1")
    late = customer_update("Old", "old@example.com", "2029-12-31T10:00:00Z")
    assert (await deliver(jobs_app.client, "customers/update", late, "cu-0")).status_code == 200
    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert (alice.first_name, alice.email) == ("Alicia", "alicia.new@example.com")
    assert await WebhookDelivery.filter(topic="customers/update").count() == 2


async def test_customers_update_of_a_customer_without_subscriptions_stores_nothing(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    await imported(jobs_app, store)
    stranger = {"id": 123456789, "first_name": "S", "email": "s@example.com",
                "updated_at": "2030-01-01T10:00:00Z"}
    assert (await deliver(jobs_app.client, "customers/update", stranger, "cu-9")).status_code == 200
    assert not await Customer.filter(customer_id=123456789).exists()


async def test_a_successful_billing_attempt_refreshes_the_lifetime_value(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await imported(jobs_app, store)
    before = (await Customer.get(shop=shop, customer_id=ALICE_ID)).lifetime_value
    assert before is not None
    paid = next(o for o in store.orders.values()
                if o.customer_id == ALICE_ID and o.financial_status == "PAID")
    store.add_order(dataclasses.replace(paid, id=paid.id + 999_000))  # the attempt's order
    payload = {"id": 1, "admin_graphql_api_id": "gid://shopify/SubscriptionBillingAttempt/1",
               "subscription_contract_id": ALICE_ACTIVE_CONTRACT_ID,
               "admin_graphql_api_subscription_contract_id":
                   f"gid://shopify/SubscriptionContract/{ALICE_ACTIVE_CONTRACT_ID}",
               "order_id": paid.id + 999_000, "ready": True}

    response = await deliver(jobs_app.client, "subscription_billing_attempts/success", payload,
                             "ba-1")
    assert response.status_code == 200
    # Answered at once; the re-read waits in the queue (one job for repeated events).
    assert (await Customer.get(shop=shop, customer_id=ALICE_ID)).lifetime_value == before
    assert await queue.enqueue_customer_refresh(DEMO_SHOP, ALICE_ID) is None
    await jobs_app.run_jobs()

    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert alice.lifetime_value == before + paid.total


async def test_a_skipped_cycle_refreshes_the_next_order_date(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await imported(jobs_app, store)
    contract = store.contracts[ALICE_ACTIVE_CONTRACT_ID]
    contract.terms.next_billing_date += timedelta(days=30)  # what Shopify shows after the skip
    payload = {"subscription_contract_id": ALICE_ACTIVE_CONTRACT_ID, "cycle_index": 1,
               "skipped": True}

    await deliver(jobs_app.client, "subscription_billing_cycles/skip", payload, "sk-1")
    await jobs_app.run_jobs()

    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert alice.next_order_date == contract.terms.next_billing_date
