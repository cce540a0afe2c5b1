"""Order now, pause until and delay through the extension's backend, and what the detail
payload tells the extension about them (the cycle order now bills, the resume window, the
card's expiry against the next order)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.storage.models import ScheduledResume
from tests.portal.customer_account.conftest import Extension


async def _detail(extension: Extension, contract_id: int = ACTIVE) -> Any:
    response = await extension.get(f"/subscriptions/{contract_id}")
    assert response.status_code == 200, response.text
    return response.json()["subscription"]


async def test_detail_tells_what_order_now_and_pause_until_need(
    extension: Extension, store: Any
) -> None:
    sub = await _detail(extension)
    assert {"order_now", "pause_until", "delay"} <= set(sub["actions"])
    assert sub["orderNow"]["cycleIndex"] == store.contracts[ACTIVE].next_cycle_index
    today = datetime.now(UTC).date()
    assert sub["pauseLimits"] == {"first": (today + timedelta(days=1)).isoformat(),
                                  "last": (today + timedelta(days=183)).isoformat()}
    assert sub["paymentMethod"]["expiresBeforeNextOrder"] is False
    assert sub["resumeOn"] is None
    paused = await _detail(extension, PAUSED)
    assert paused["orderNow"] is None and "order_now" not in paused["actions"]


async def test_order_now_bills_once(extension: Extension, store: Any) -> None:
    index = (await _detail(extension))["orderNow"]["cycleIndex"]
    first = await extension.act(ACTIVE, "order_now", cycle_index=index)
    assert first.status_code == 200, first.text
    assert first.json()["message"] == "flash.order_now"
    # The confirmation's cycle is now billed: a replay of it is refused, nothing charged.
    again = await extension.act(ACTIVE, "order_now", cycle_index=index)
    assert again.status_code == 422
    assert again.json()["code"] == "order_changed"
    assert again.headers["access-control-allow-origin"] == "*"
    assert len(store.billing_attempts) == 1
    assert first.json()["subscription"]["orderNow"]["cycleIndex"] == index + 1


async def test_pause_until_and_delay(extension: Extension, store: Any) -> None:
    day = datetime.now(UTC).date() + timedelta(days=20)
    paused = await extension.act(ACTIVE, "pause_until", resume_on=day.isoformat())
    assert paused.status_code == 200, paused.text
    assert paused.json()["subscription"]["resumeOn"] == day.isoformat()
    assert (await ScheduledResume.get(contract_id=ACTIVE)).resume_on == day
    too_far = await extension.act(ACTIVE, "pause_until",
                                  resume_on=(day + timedelta(days=400)).isoformat())
    assert too_far.status_code == 422 and too_far.json()["field"] == "resume_on"

    before = store.contracts[PAUSED].terms.next_billing_date
    refused = await extension.act(PAUSED, "delay", weeks=2)  # no next order while paused
    assert refused.status_code == 403
    assert store.contracts[PAUSED].terms.next_billing_date == before


async def test_delay_by_weeks(extension: Extension, store: Any) -> None:
    before = store.contracts[ACTIVE].terms.next_billing_date.date()
    moved = await extension.act(ACTIVE, "delay", weeks=3)
    assert moved.status_code == 200, moved.text
    assert store.contracts[ACTIVE].terms.next_billing_date.date() == before + timedelta(weeks=3)
    bad = await extension.act(ACTIVE, "delay", weeks=9)
    assert bad.status_code == 422 and bad.json()["field"] == "weeks"
