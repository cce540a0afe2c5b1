"""`subscription_billing_cycles/skip|unskip` deliveries record the overview's skip hint: once per
delivery, an older event never undoing a newer one, a payload without what we need ignored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shopify_app.mirror import skipped_cycles
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.storage.models import SkippedCycle
from tests.mirror.test_customer_events import deliver, imported
from tests.support.jobs import JobsApp

EXPECTED = "2026-04-01T12:00:00Z"


def cycle_payload(index: int, skipped: bool, **extra: Any) -> dict[str, Any]:
    # Shopify's billing-cycle webhook body: the contract, the cycle and its expected date.
    return {
        "subscription_contract_id": ACTIVE,
        "cycle_start_at": EXPECTED, "cycle_end_at": "2026-05-01T12:00:00Z",
        "cycle_index": index, "contract_edit": None,
        "billing_attempt_expected_date": EXPECTED, "skipped": skipped, "edited": False,
        **extra,
    }


def when(minutes: int) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10 - minutes)
    return moment.isoformat()


async def test_skip_then_a_late_older_unskip(jobs_app: JobsApp, store: SimulatedStore) -> None:
    shop = await imported(jobs_app, store)
    skip = await deliver(jobs_app.client, "subscription_billing_cycles/skip",
                         cycle_payload(4, True), "cy-1", triggered_at=when(5))
    assert skip.status_code == 200
    days = await skipped_cycles.skipped_days(shop.id, [ACTIVE])
    assert days == {ACTIVE: {datetime(2026, 4, 1).date(): 4}}
    # an unskip triggered before the skip, delivered after it (a retry): the skip stands
    await deliver(jobs_app.client, "subscription_billing_cycles/unskip",
                  cycle_payload(4, False), "cy-2", triggered_at=when(1))
    assert await skipped_cycles.skipped_days(shop.id, [ACTIVE]) == days
    # a newer unskip clears it; the same delivery again changes nothing
    for _ in range(2):
        await deliver(jobs_app.client, "subscription_billing_cycles/unskip",
                      cycle_payload(4, False), "cy-3", triggered_at=when(8))
    assert await skipped_cycles.skipped_days(shop.id, [ACTIVE]) == {}
    assert await SkippedCycle.filter(shop=shop).count() == 1


async def test_payloads_without_what_we_need_record_nothing(
    jobs_app: JobsApp, store: SimulatedStore
) -> None:
    await imported(jobs_app, store)
    bad = [
        cycle_payload(1, True, cycle_index="1"),
        cycle_payload(1, True, cycle_index=True),
        cycle_payload(1, True, cycle_index=2**40),
        cycle_payload(1, True, billing_attempt_expected_date="not a date"),
        cycle_payload(1, True, subscription_contract_id="gid://shopify/Nope/x"),
    ]
    for number, payload in enumerate(bad):
        response = await deliver(jobs_app.client, "subscription_billing_cycles/skip", payload,
                                 f"bad-{number}")
        assert response.status_code == 200
    assert await SkippedCycle.all().count() == 0
