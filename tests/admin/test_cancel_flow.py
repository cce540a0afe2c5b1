"""The cancel flow's admin side: reasons and offers as a checked setting, and the report."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from shopify_app.links.tokens import keyring_from_settings
from shopify_app.merchant import cancel_reasons, policy
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.settings import Settings
from shopify_app.storage.models import CancelAttempt, Shop
from tests.admin.conftest import Admin
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from


def _flow(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body["cancel_flow"]["reasons"])


async def test_the_default_reasons_and_offer_kinds(admin: Admin) -> None:
    flow = (await admin.request("GET", "settings")).json()["cancel_flow"]
    assert [r["key"] for r in flow["reasons"]] == list(cancel_reasons.DEFAULT_LABELS)
    assert flow["reasons"][0]["label"] == "Too expensive"
    assert [r["key"] for r in flow["reasons"] if r["free_text"]] == ["other"]
    assert "discount" in flow["offer_kinds"]
    # The swap offer exists only with the swap action (built elsewhere).
    assert ("swap" in flow["offer_kinds"]) == ("swap" in policy.ACTIONS)


async def test_add_rename_reorder_remove_and_offers(admin: Admin) -> None:
    reasons = _flow((await admin.request("GET", "settings")).json())
    expensive, other = reasons[0], reasons[-1]
    changed = [
        {**other, "label": "Something else"},
        {"label": "Moving abroad", "offer": {"kind": "pause", "months": 3}},
        {**expensive, "offer": {"kind": "discount", "code": " STAY20 "}},
    ]
    response = await admin.request("PUT", "settings", json={"cancel_flow": {"reasons": changed}})
    assert response.status_code == 200, response.text
    saved = _flow(response.json())
    assert [(r["key"], r["label"]) for r in saved] == [
        ("other", "Something else"), ("moving_abroad", "Moving abroad"),
        ("too_expensive", "Too expensive")]
    assert saved[1]["offer"] == {"kind": "pause", "months": 3}
    assert saved[2]["offer"] == {"kind": "discount", "code": "STAY20"}
    shop = await Shop.get(id=admin.shop.id)
    # An unrenamed default keeps following the customer's language: no label stored.
    assert shop.cancel_flow["reasons"][2]["label"] is None
    assert shop.cancel_flow["reasons"][0]["label"] == "Something else"
    # The same list saved again is the same list (keys kept, nothing renamed).
    again = await admin.request("PUT", "settings", json={"cancel_flow": {"reasons": saved}})
    assert _flow(again.json()) == saved


@pytest.mark.parametrize(
    ("flow", "field"),
    [
        ({"reasons": []}, "cancel_flow.reasons"),
        ({"reasons": [{"label": "x"}] * 13}, "cancel_flow.reasons"),
        ({"reasons": [{"label": ""}]}, "cancel_flow.reasons[0].label"),
        ({"reasons": [{"label": "x" * 81}]}, "cancel_flow.reasons[0].label"),
        ({"reasons": [{"label": "A"}, {"label": " a "}]}, "cancel_flow.reasons[1].label"),
        ({"reasons": [{"label": "A", "key": "made_up"}]}, "cancel_flow.reasons[0].key"),
        ({"reasons": [{"label": "A", "key": "other"}, {"label": "B", "key": "other"}]},
         "cancel_flow.reasons[1].key"),
        ({"reasons": [{"label": "A", "offer": {"kind": "teleport"}}]},
         "cancel_flow.reasons[0].offer.kind"),
        ({"reasons": [{"label": "A", "offer": {"kind": "pause", "months": 13}}]},
         "cancel_flow.reasons[0].offer.months"),
        ({"reasons": [{"label": "A", "offer": {"kind": "pause", "months": True}}]},
         "cancel_flow.reasons[0].offer.months"),
        ({"reasons": [{"label": "A", "offer": {"kind": "discount", "code": ""}}]},
         "cancel_flow.reasons[0].offer.code"),
        ({"reasons": [{"label": "A", "offer": {"kind": "discount", "code": "TWO WORDS"}}]},
         "cancel_flow.reasons[0].offer.code"),
        ({"reasons": [{"label": "A", "offer": {"kind": "skip", "months": 2}}]},
         "cancel_flow.reasons[0].offer.months"),
        ({"reasons": [{"label": "A", "free_text": "yes"}]}, "cancel_flow.reasons[0].free_text"),
        ({"reasons": [{"label": "A", "colour": "red"}]}, "cancel_flow.reasons[0]"),
        ({"reasons": "nope"}, "cancel_flow.reasons"),
        ({"reasons": [], "extra": 1}, "cancel_flow"),
        ([1, 2], "cancel_flow"),
    ],
)
async def test_bad_input_names_the_field_and_saves_nothing(
    admin: Admin, flow: Any, field: str
) -> None:
    before = (await admin.request("GET", "settings")).json()
    response = await admin.request("PUT", "settings", json={
        "link_policy": "reusable", "cancel_flow": flow})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_setting", field)
    assert (await admin.request("GET", "settings")).json() == before


async def test_swap_is_refused_while_the_swap_action_is_missing(admin: Admin) -> None:
    if "swap" in policy.ACTIONS:
        pytest.skip("the swap action is installed")
    response = await admin.request("PUT", "settings", json={"cancel_flow": {"reasons": [
        {"label": "A", "offer": {"kind": "swap"}}]}})
    assert (response.status_code, response.json()["field"]) == (
        400, "cancel_flow.reasons[0].offer.kind")


async def test_null_goes_back_to_the_defaults(admin: Admin) -> None:
    await admin.request("PUT", "settings", json={"cancel_flow": {"reasons": [{"label": "A"}]}})
    body = (await admin.request("PUT", "settings", json={"cancel_flow": None})).json()
    assert [r["key"] for r in _flow(body)] == list(cancel_reasons.DEFAULT_LABELS)


async def _walk(client: ProxyClient, page: str, contract_id: int, reason: str,
                answer: str | None, confirm: bool) -> str:
    """One customer through the flow: a reason, the offer answered, the confirmation."""
    base = f"/contracts/{contract_id}/cancel_flow"
    step = await client.post(f"{base}/reason", {"session": session_from(page), "reason": reason})
    assert step.status_code == 200, step.text
    attempt = re.search(r'name="attempt" value="([0-9]+)"', step.text)
    assert attempt is not None
    offer = re.search(r'name="offer" value="([a-z_]+)"', step.text)
    if answer is not None:
        assert offer is not None
        step = await client.post(f"{base}/{answer}", {"session": session_from(step.text),
                                                      "attempt": attempt.group(1),
                                                      "offer": offer.group(1)})
        assert step.status_code == 200, step.text
    if confirm:
        step = await client.post(f"{base}/confirm", {"session": session_from(step.text),
                                                     "attempt": attempt.group(1)})
        assert step.status_code == 200, step.text
    return step.text


async def test_the_report_counts_saves_and_cancellations_per_reason(
    admin: Admin, settings: Settings
) -> None:
    keyring = keyring_from_settings(settings)
    alice = ProxyClient(admin.client, DEMO_SHOP)

    async def contract_page(contract_id: int) -> str:
        page = await enter(alice, keyring, ALICE_ID)
        return (await alice.post(f"/contracts/{contract_id}",
                                 {"session": session_from(page)})).text

    # Saved by the skip offer of "I have too much"; then declined and cancelled; a paused
    # one cancelled for another reason (no offer fits a paused subscription); one left open.
    await _walk(alice, await contract_page(ACTIVE), ACTIVE, "too_much", "accept", False)
    await _walk(alice, await contract_page(ACTIVE), ACTIVE, "shipping", None, False)
    await _walk(alice, await contract_page(ACTIVE), ACTIVE, "too_much", "decline", True)
    await _walk(alice, await contract_page(PAUSED), PAUSED, "too_expensive", None, True)
    # Older than the period: not counted.
    old = await CancelAttempt.create(
        shop_id=admin.shop.id, customer_id=ALICE_ID, contract_id=ACTIVE, reason_key="too_much",
        reason_label="I have too much", outcome="cancelled", created_at=admin.now - timedelta(
            days=40))
    assert old.id

    response = await admin.request("GET", "cancel-flow/report", days="30")
    assert response.status_code == 200, response.text
    body = response.json()
    totals = body["totals"]
    assert (totals["attempts"], totals["saved"], totals["cancelled"], totals["open"]) == (
        4, 1, 2, 1)
    assert totals["save_rate"] == round(1 / 3, 4)
    by_key = {r["key"]: r for r in body["reasons"]}
    assert body["reasons"][0]["key"] == "too_much"
    too_much = by_key["too_much"]
    assert (too_much["attempts"], too_much["offers_shown"], too_much["accepted"],
            too_much["declined"], too_much["saved"], too_much["cancelled"]) == (2, 2, 1, 1, 1, 1)
    assert too_much["label"] == "I have too much" and too_much["save_rate"] == 0.5
    assert by_key["too_expensive"]["cancelled"] == 1
    assert by_key["shipping"]["offers_shown"] == 1 and by_key["shipping"]["saved"] == 0
    assert body["offers"][0] == {"kind": "skip", "shown": 2, "accepted": 1}
    assert len(body["daily"]) == 30
    today = body["daily"][-1]
    assert (today["saved"], today["cancelled"]) == (1, 2)


@pytest.mark.parametrize("days", ["0", "367", "x", "-1"])
async def test_the_report_period_is_checked(admin: Admin, days: str) -> None:
    response = await admin.request("GET", "cancel-flow/report", days=days)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_parameter")
