"""The cancel flow through the customer account backend: the same steps and refusals as the
proxy portal, as JSON, checked against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shopify_app.portal.customer_account import openapi
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import BOB_CONTRACT_ID
from shopify_app.storage.models import CancelAttempt, Shop
from tests.portal.customer_account.conftest import API, Extension
from tests.portal.customer_account.test_openapi import check_answer

REASONS = f"{API}/subscriptions/{{contractId}}/cancel-flow"
STEP = f"{REASONS}/{{step}}"


async def _step(extension: Extension, name: str, contract_id: int = ACTIVE,
                **fields: Any) -> httpx.Response:
    response = await extension.act(contract_id, f"cancel-flow/{name}", **fields)
    check_answer(openapi.openapi_document(), STEP, "post", response)
    return response


async def test_the_reasons_in_the_merchants_order(extension: Extension) -> None:
    response = await extension.get(f"/subscriptions/{ACTIVE}/cancel-flow")
    check_answer(openapi.openapi_document(), REASONS, "get", response)
    reasons = response.json()["reasons"]
    assert reasons[0] == {"key": "too_expensive", "label": None, "freeText": False}
    assert reasons[-1] == {"key": "other", "label": None, "freeText": True}


async def test_another_customers_subscription_has_no_reasons(extension: Extension) -> None:
    response = await extension.get(f"/subscriptions/{BOB_CONTRACT_ID}/cancel-flow")
    assert (response.status_code, response.json()["code"]) == (404, "contract_not_found")


async def test_offer_accepted_saves(extension: Extension, store: Any) -> None:
    shown = (await _step(extension, "reason", reason="too_much")).json()
    assert shown["step"] == "offer" and shown["offer"]["kind"] == "skip"
    assert shown["offer"]["date"]
    saved = await _step(extension, "accept", attempt=shown["attempt"], offer="skip")
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["step"], body["message"]) == ("saved", "cancel_flow.saved_skip")
    assert store.contracts[ACTIVE].skipped_cycles
    assert body["subscription"]["status"] == "ACTIVE"


async def test_change_frequency_offer_lists_the_other_frequencies(
    extension: Extension, store: Any, shop: Shop
) -> None:
    shop.cancel_flow = {"reasons": [{"key": "shipping", "label": None, "free_text": False,
                                     "offer": {"kind": "change_frequency"}}]}
    await shop.save(update_fields=["cancel_flow"])
    shown = (await _step(extension, "reason", reason="shipping")).json()
    keys = [f["key"] for f in shown["frequencies"]]
    assert "MONTH:1" not in keys and "WEEK:2" in keys  # the current one is not offered
    saved = await _step(extension, "accept", attempt=shown["attempt"],
                        offer="change_frequency", frequency="WEEK:2")
    assert saved.status_code == 200
    policy = store.contracts[ACTIVE].terms.billing_policy
    assert (policy.interval, policy.interval_count) == ("WEEK", 2)


async def test_decline_confirm_cancels(extension: Extension, store: Any) -> None:
    shown = (await _step(extension, "reason", reason="too_much")).json()
    confirm = (await _step(extension, "decline", attempt=shown["attempt"], offer="skip")).json()
    assert confirm["step"] == "confirm" and confirm["reason"]["key"] == "too_much"
    done = (await _step(extension, "confirm", attempt=shown["attempt"])).json()
    assert (done["step"], done["message"]) == ("cancelled", "flash.cancel")
    assert store.contracts[ACTIVE].terms.status == "CANCELLED"
    attempt = await CancelAttempt.get(id=shown["attempt"])
    assert (attempt.offer_response, attempt.outcome) == ("declined", "cancelled")


async def test_other_with_its_words(extension: Extension) -> None:
    confirm = (await _step(extension, "reason", reason="other",
                           reason_text="Moving abroad")).json()
    assert (confirm["step"], confirm["reasonText"]) == ("confirm", "Moving abroad")


@pytest.mark.parametrize(
    ("name", "fields", "code"),
    [
        ("reason", {"reason": "made_up"}, "unknown_reason"),
        ("accept", {"offer": "discount"}, "offer_not_offered"),
        ("decline", {"offer": "pause"}, "offer_not_offered"),
        ("accept", {"offer": "skip", "attempt": 123456789}, "cancel_attempt_invalid"),
        ("confirm", {"attempt": "nope"}, "invalid_input"),
        ("reason", {"reason": "other", "reason_text": "x" * 401}, "invalid_input"),
    ],
)
async def test_forged_values_are_refused(
    extension: Extension, store: Any, name: str, fields: dict[str, Any], code: str
) -> None:
    shown = (await _step(extension, "reason", reason="too_much")).json()
    refused = await _step(extension, name, **{"attempt": shown["attempt"], **fields})
    assert (refused.status_code, refused.json()["code"]) == (422, code)
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert not store.contracts[ACTIVE].skipped_cycles


async def test_an_unknown_step_and_a_disabled_cancel(extension: Extension, shop: Shop) -> None:
    assert (await _step(extension, "explode")).json()["code"] == "unknown_action"
    shop.portal_actions = {"cancel": False}
    shop.cancel_instructions = "Call us."
    await shop.save(update_fields=["portal_actions", "cancel_instructions"])
    refused = await _step(extension, "reason", reason="too_much")
    assert (refused.status_code, refused.json()["code"]) == (403, "action_disabled")


async def test_preflight_of_a_step(extension: Extension) -> None:
    response = await extension.http.options(
        f"{API}/subscriptions/{ACTIVE}/cancel-flow/reason",
        headers={"Access-Control-Request-Method": "POST", "Origin": extension.origin},
    )
    assert response.status_code == 204
