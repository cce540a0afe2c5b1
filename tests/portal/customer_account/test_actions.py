"""Every portal action through the extension's backend: its effect in the simulated store, the
merchant's rules (the proxy portal's registry) and the audit trail, and what must refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID as ACTIVE,
)
from shopify_app.sandbox.demo import (
    ALICE_ID,
    BOB_CONTRACT_ID,
    OLGA_CONTRACT_ID,
)
from shopify_app.sandbox.demo import (
    ALICE_PAUSED_CONTRACT_ID as PAUSED,
)
from shopify_app.storage.models import PortalEvent, Shop
from tests.portal.conftest import CountingTransport
from tests.portal.customer_account.conftest import Extension


def _terms(store: Any, contract_id: int = ACTIVE) -> Any:
    return store.contracts[contract_id].terms


async def _ok(extension: Extension, action: str, contract_id: int = ACTIVE, **fields: Any) -> Any:
    response = await extension.act(contract_id, action, **fields)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert body["message"] == f"flash.{action}"
    assert body["subscription"]["id"] == contract_id
    return body


async def test_pause_then_resume(extension: Extension, store: Any) -> None:
    body = await _ok(extension, "pause")
    assert _terms(store).status == "PAUSED"
    assert body["subscription"]["status"] == "PAUSED"  # the answer is the state after
    assert "resume" in body["subscription"]["actions"]
    await _ok(extension, "resume")
    assert _terms(store).status == "ACTIVE"
    events = await PortalEvent.filter(customer_id=ALICE_ID).order_by("id")
    assert [(e.action, e.contract_id) for e in events] == [("pause", ACTIVE), ("resume", ACTIVE)]


async def test_cancel_with_a_reason_is_audited(extension: Extension, store: Any) -> None:
    await _ok(extension, "cancel", PAUSED, reason="Too much coffee")
    assert _terms(store, PAUSED).status == "CANCELLED"
    event = await PortalEvent.get(action="cancel")
    assert "Too much coffee" in event.detail


async def test_skip_and_unskip(extension: Extension, store: Any) -> None:
    body = await _ok(extension, "skip")
    (index,) = store.contracts[ACTIVE].skipped_cycles
    assert [c["index"] for c in body["subscription"]["upcoming"] if c["skipped"]] == [index]
    await _ok(extension, "unskip", cycle_index=index)  # a number is accepted as text
    assert store.contracts[ACTIVE].skipped_cycles == set()


async def test_reschedule(extension: Extension, store: Any) -> None:
    wanted = (datetime.now(UTC) + timedelta(days=20)).date()
    await _ok(extension, "set_next_date", date=wanted.isoformat())
    assert _terms(store).next_billing_date.date() == wanted


async def test_frequency(extension: Extension, store: Any) -> None:
    await _ok(extension, "change_frequency", frequency="WEEK:2")
    terms = _terms(store)
    assert (terms.billing_policy.interval, terms.billing_policy.interval_count) == ("WEEK", 2)


async def test_a_frequency_the_shop_does_not_offer_is_refused(
    extension: Extension, store: Any, shop: Shop
) -> None:
    shop.allowed_frequencies = [{"interval": "MONTH", "count": 1}]
    await shop.save()
    response = await extension.act(ACTIVE, "change_frequency", frequency="WEEK:2")
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "frequency")
    policy = _terms(store).billing_policy
    assert (policy.interval, policy.interval_count) != ("WEEK", 2)
    shown = (await extension.get(f"/subscriptions/{ACTIVE}")).json()
    assert [f["key"] for f in shown["frequencies"]] == ["MONTH:1"]


async def test_quantity(extension: Extension, store: Any) -> None:
    line = str(_terms(store).lines[1].id)
    body = await _ok(extension, "change_quantity", line_id=line, quantity=5)
    assert _terms(store).lines[1].quantity == 5
    assert body["subscription"]["lines"][1]["quantity"] == 5


async def test_address(extension: Extension, store: Any) -> None:
    fields = {
        "first_name": "Alice", "last_name": "Martin", "address1": "1 New Street",
        "city": "Boston", "province_code": "MA", "zip": "02108", "country_code": "us",
    }
    await _ok(extension, "change_address", **fields)
    address = _terms(store).address
    assert (address.address1, address.city, address.country_code) == (
        "1 New Street",
        "Boston",
        "US",
    )


async def test_payment_method_email(extension: Extension, store: Any) -> None:
    await _ok(extension, "payment_email")
    assert [e.customer_id for e in store.sent_emails] == [ALICE_ID]


async def test_discount_codes(extension: Extension, store: Any) -> None:
    before = len(_terms(store).discounts)
    body = await _ok(extension, "apply_discount", code="SAVE10")
    assert len(_terms(store).discounts) == before + 1
    added = body["subscription"]["discounts"][-1]["id"]
    await _ok(extension, "remove_discount", discount_id=added)
    assert len(_terms(store).discounts) == before


async def test_shopify_user_errors_come_back_structured(
    extension: Extension, store: Any, admin_calls: CountingTransport
) -> None:
    before = list(_terms(store).discounts)
    admin_calls.operations.clear()
    response = await extension.act(ACTIVE, "apply_discount", code="NOT-A-CODE")
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "shopify_user_error"
    assert problem["userErrors"] and all("message" in e for e in problem["userErrors"])
    assert problem["userErrors"][0]["field"] == ["redeemCode"]
    assert "SubscriptionDraftCommit" not in admin_calls.operations
    assert _terms(store).discounts == before
    assert await PortalEvent.all().count() == 0


async def test_disabled_actions_are_refused_and_not_offered(
    extension: Extension, store: Any, shop: Shop
) -> None:
    shop.portal_actions = {"pause": False, "cancel": False}
    await shop.save()
    listed = (await extension.get("/subscriptions")).json()["subscriptions"]
    active = next(s for s in listed if s["id"] == ACTIVE)
    assert "pause" not in active["actions"] and "cancel" not in active["actions"]
    assert "skip" in active["actions"]
    response = await extension.act(ACTIVE, "pause")
    assert (response.status_code, response.json()["code"]) == (403, "action_disabled")
    assert _terms(store).status == "ACTIVE"


async def test_actions_that_do_not_fit_the_status_are_refused(
    extension: Extension, store: Any
) -> None:
    response = await extension.act(PAUSED, "pause")
    assert (response.status_code, response.json()["code"]) == (403, "action_disabled")
    assert _terms(store, PAUSED).status == "PAUSED"


@pytest.mark.parametrize("contract", [BOB_CONTRACT_ID, OLGA_CONTRACT_ID, 999999999])
async def test_another_customers_contract_is_refused(
    extension: Extension, store: Any, contract: int
) -> None:
    """Bob's (same shop), Olga's (another shop) and an id nobody has: the same answer."""
    for action in ("pause", "cancel", "change_quantity"):
        response = await extension.act(contract, action)
        assert (response.status_code, response.json()["code"]) == (404, "contract_not_found")
    assert _terms(store, BOB_CONTRACT_ID).status == "ACTIVE"
    assert await PortalEvent.all().count() == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{", "application/json", 422, "invalid_body"),
        (b"[1, 2]", "application/json", 422, "invalid_body"),
        (b"[" * 7000 + b"]" * 7000, "application/json", 422, "invalid_body"),
        (b'{"reason": {"deep": true}}', "application/json", 422, "invalid_input"),
        (b'{"reason": true}', "application/json", 422, "invalid_input"),
        (b"reason=x", "application/x-www-form-urlencoded", 422, "invalid_body"),
        (b'{"reason": "' + b"x" * 20_000 + b'"}', "application/json", 413, "payload_too_large"),
        (b'{"unknown_action_field": 1}', "application/json", 404, "unknown_action"),
    ],
)
async def test_bad_bodies_change_nothing(
    extension: Extension, store: Any, body: bytes, content_type: str, status: int, code: str
) -> None:
    action = "nope" if code == "unknown_action" else "cancel"
    headers = {**extension._headers(), "Content-Type": content_type}
    response = await extension.http.post(
        f"/customer-account/api/subscriptions/{ACTIVE}/{action}", content=body, headers=headers
    )
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.headers["content-type"] == "application/problem+json"
    assert _terms(store).status == "ACTIVE"
    assert await PortalEvent.all().count() == 0
