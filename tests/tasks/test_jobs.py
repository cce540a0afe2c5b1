"""The background jobs on the real queue (procrastinate: PostgreSQL's tables, or in memory on
SQLite), run by a real worker against the simulated store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx

from shopify_app.install import first_import
from shopify_app.jobs import queue
from shopify_app.mirror.imports import import_progress
from shopify_app.mirror.sync import sync_shop
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.shopify.signatures import sign_webhook
from shopify_app.storage.models import (
    ApiKey,
    Customer,
    CustomerDataExport,
    IdempotentRequest,
    OrderNowClaim,
    PortalRedemption,
    RateLimitWindow,
    Shop,
    ShortLink,
    SpentToken,
    SubscriptionContract,
    WebhookDelivery,
)
from shopify_app.tasks import purges
from shopify_app.tasks.registry import reconcile
from tests.conftest import TEST_SECRET
from tests.install.test_install import install_through_the_store
from tests.support.jobs import JobsApp
from tests.support.store import register_shop


async def test_install_queues_the_first_import_which_the_worker_runs(
    jobs_app: JobsApp, store_transport: httpx.AsyncBaseTransport
) -> None:
    async with httpx.AsyncClient(transport=store_transport) as store_pages:
        response = await install_through_the_store(jobs_app.client, store_pages)
    assert response.status_code == 302
    shop = await Shop.get(domain=DEMO_SHOP)
    # The callback answered before anything was imported: the import waits in the queue.
    assert await SubscriptionContract.filter(shop=shop).count() == 0
    assert (await import_progress(shop.id)).status == "none"
    # Queued once, however often it is asked for while it waits.
    assert await queue.enqueue_first_import(DEMO_SHOP) is None

    await jobs_app.run_jobs()

    assert await SubscriptionContract.filter(shop=shop).count() == 5
    progress = await import_progress(shop.id)
    assert (progress.status, progress.contracts, progress.customers) == ("done", 5, 4)
    assert progress.cost > 0 and progress.cost_per_contract is not None


async def test_a_token_exchange_install_queues_the_same_job(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    await first_import.start_first_import(jobs_app.app.state.app_state.admin, shop)
    await first_import.wait_for_imports()  # nothing ran in this process: it waits in the queue
    assert (await import_progress(shop.id)).status == "none"
    assert await queue.enqueue_first_import(DEMO_SHOP) is None  # already waiting

    await jobs_app.run_jobs()

    assert (await import_progress(shop.id)).status == "done"
    assert await SubscriptionContract.filter(shop=shop).count() == 5


async def test_reconciliation_corrects_a_change_no_webhook_announced(
    jobs_app: JobsApp, store: SimulatedStore, settings: object
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    await queue.enqueue_first_import(DEMO_SHOP)
    await jobs_app.run_jobs()
    contract = await SubscriptionContract.get(shop=shop, contract_id=ALICE_ACTIVE_CONTRACT_ID)
    assert contract.status == "active"
    # Shopify changes the contract; the webhook is lost.
    record = store.contracts[ALICE_ACTIVE_CONTRACT_ID]
    record.terms.status = "PAUSED"
    record.updated_at = record.updated_at + timedelta(minutes=5)

    assert await reconcile() == 1
    await jobs_app.run_jobs()

    contract = await SubscriptionContract.get(shop=shop, contract_id=ALICE_ACTIVE_CONTRACT_ID)
    assert contract.status == "paused"
    alice = await Customer.get(shop=shop, customer_id=ALICE_ID)
    assert (alice.active_subscriptions, alice.inactive_subscriptions) == (0, 2)


async def test_reconciliation_skips_uninstalled_shops(jobs_app: JobsApp,
                                                      store: SimulatedStore) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    await Shop.filter(pk=shop.pk).update(uninstalled_at=datetime.now(UTC))
    assert await reconcile() == 0


async def test_purge_deletes_what_has_served_and_keeps_the_rest(jobs_app: JobsApp,
                                                                store: SimulatedStore) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    await SpentToken.create(jti="old", shop=shop, customer_id=1, expires_at=now - timedelta(1))
    await SpentToken.create(jti="live", shop=shop, customer_id=1, expires_at=now + timedelta(1))
    old = await WebhookDelivery.create(webhook_id="old", shop_domain=DEMO_SHOP, topic="t")
    await WebhookDelivery.create(webhook_id="new", shop_domain=DEMO_SHOP, topic="t")
    await WebhookDelivery.filter(pk=old.pk).update(
        received_at=now - purges.WEBHOOK_RECORD_WINDOW - timedelta(seconds=1))
    await WebhookDelivery.filter(webhook_id="new").update(received_at=now - timedelta(hours=1))
    key = await ApiKey.create(shop=shop, name="k", prefix="p", key_hash="h" * 64)
    minute = int(now.timestamp()) // 60
    for start in (minute - 5, minute - 2, minute - 1, minute):
        await RateLimitWindow.create(api_key=key, window_start=start, count=1)
    for age in (purges.REDEMPTION_RETENTION + timedelta(days=1), timedelta(days=1)):
        row = await PortalRedemption.create(shop=shop, customer_id=1)
        await PortalRedemption.filter(pk=row.pk).update(created_at=now - age)

    for moment in (now - timedelta(seconds=1), now + timedelta(hours=1)):
        await ShortLink.create(shop=shop, code_hash=f"{moment.timestamp()}", sealed_token="s",
                               expires_at=moment)
        await IdempotentRequest.create(api_key_id=key.id, key_hash=f"{moment.timestamp()}",
                                       body_hash="b", created_at=now, expires_at=moment)

    for cycle, age in enumerate((purges.ORDER_NOW_CLAIM_RETENTION + timedelta(days=1),
                                 timedelta(days=1))):
        claim = await OrderNowClaim.create(shop=shop, customer_id=1, contract_id=1,
                                           cycle_index=cycle)
        await OrderNowClaim.filter(pk=claim.pk).update(created_at=now - age)

    purged = await purges.purge(now)

    assert purged.order_now_claims == 1
    assert await OrderNowClaim.all().values_list("cycle_index", flat=True) == [1]
    assert (purged.spent_tokens, purged.webhook_deliveries, purged.rate_limit_windows,
            purged.redemptions, purged.short_links, purged.idempotent_requests) == (
                1, 1, 2, 1, 1, 1)
    assert await ShortLink.all().count() == await IdempotentRequest.all().count() == 1
    assert await SpentToken.all().values_list("jti", flat=True) == ["live"]
    assert await WebhookDelivery.all().values_list("webhook_id", flat=True) == ["new"]
    assert sorted(await RateLimitWindow.all().values_list("window_start", flat=True)) == [
        minute - 1, minute]
    assert await PortalRedemption.all().count() == 1


async def test_a_customer_data_request_is_answered_by_a_job(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    await queue.enqueue_first_import(DEMO_SHOP)
    await jobs_app.run_jobs()
    await PortalRedemption.create(shop=shop, customer_id=ALICE_ID, source="klaviyo")
    body = json.dumps({"shop_domain": DEMO_SHOP, "customer": {"id": ALICE_ID},
                       "data_request": {"id": 4242}}).encode()
    response = await jobs_app.client.post("/webhooks", content=body, headers={
        "X-Shopify-Topic": "customers/data_request", "X-Shopify-Shop-Domain": DEMO_SHOP,
        "X-Shopify-Webhook-Id": "dr-1",
        "X-Shopify-Triggered-At": datetime.now(UTC).isoformat(timespec="seconds"),
        "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
    })
    assert response.status_code == 200
    assert not await CustomerDataExport.exists()  # answered in the background

    await jobs_app.run_jobs()

    export = await CustomerDataExport.get(shop=shop, customer_id=ALICE_ID)
    assert export.request_id == "4242"
    assert [row["email"] for row in export.data["customers"]] == ["alice@example.com"]
    assert len(export.data["subscription_contracts"]) == 2
    assert [row["source"] for row in export.data["portal_redemptions"]] == ["klaviyo"]
    # customers/redact removes the export with the rest.
    body = json.dumps({"shop_id": 954889, "shop_domain": DEMO_SHOP,
                       "customer": {"id": ALICE_ID}}).encode()
    await jobs_app.client.post("/webhooks", content=body, headers={
        "X-Shopify-Topic": "customers/redact", "X-Shopify-Shop-Domain": DEMO_SHOP,
        "X-Shopify-Webhook-Id": "rd-1",
        "X-Shopify-Triggered-At": datetime.now(UTC).isoformat(timespec="seconds"),
        "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
    })
    assert not await CustomerDataExport.exists()


async def test_an_import_shopify_fails_is_retried_and_resumes(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    store.faults.push(DEMO_SHOP, "http_500")
    await queue.enqueue_first_import(DEMO_SHOP)
    await jobs_app.run_jobs()
    progress = await import_progress(shop.id)
    assert progress.status == "failed" and progress.contracts == 0
    # The job is scheduled again (procrastinate's retry); a reconciliation or the retry resumes.
    await sync_shop(jobs_app.app.state.app_state.admin, shop)
    assert (await import_progress(shop.id)).status == "done"
