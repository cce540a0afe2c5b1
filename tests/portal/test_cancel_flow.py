"""The cancel flow in the proxy portal against the simulated store: reason → offer → confirm,
every offer kind saving the subscription, and forged forms refused with nothing applied."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from shopify_app.links.tokens import Keyring
from shopify_app.merchant import cancel_reasons
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.storage.models import CancelAttempt, PortalEvent, Shop
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from

_ATTEMPT = re.compile(r'name="attempt" value="([0-9]+)"')


def _reasons(*items: dict[str, Any]) -> dict[str, Any]:
    return {"reasons": list(items)}


async def _use(shop: Shop, flow: dict[str, Any]) -> None:
    shop.cancel_flow = flow
    await shop.save(update_fields=["cancel_flow"])


async def _contract(client: ProxyClient, keyring: Keyring, contract_id: int = ACTIVE) -> str:
    page = await enter(client, keyring, ALICE_ID)
    response = await client.post(f"/contracts/{contract_id}", {"session": session_from(page)})
    assert response.status_code == 200
    return response.text


async def _step(client: ProxyClient, page: str, step: str, contract_id: int = ACTIVE,
                **fields: str) -> Any:
    return await _post(client, page, step, fields, contract_id)


async def _post(client: ProxyClient, page: str, step: str, fields: dict[str, str],
                contract_id: int = ACTIVE) -> Any:
    return await client.post(f"/contracts/{contract_id}/cancel_flow/{step}",
                             {"session": session_from(page), **fields})


def _attempt(page: str) -> str:
    match = _ATTEMPT.search(page)
    assert match, "the page carries no attempt"
    return match.group(1)


async def test_the_subscription_page_lists_the_default_reasons(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await _contract(alice, keyring)
    for key in cancel_reasons.DEFAULT_LABELS:
        assert f'name="reason" value="{key}"' in page
    assert "I no longer need it" in page and 'name="text_other"' in page
    assert "/cancel_flow/reason" in page


async def test_a_reason_without_offer_goes_to_the_confirmation_then_cancels(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract(alice, keyring)
    confirm = await _step(alice, page, "reason", reason="other", text_other="Moving {{ abroad }}")
    assert confirm.status_code == 200
    assert 'data-testid="cancel-confirmation"' in confirm.text
    assert "Moving &#123;&#123; abroad &#125;&#125;" in confirm.text
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"  # not before the confirmation
    done = await _step(alice, confirm.text, "confirm", attempt=_attempt(confirm.text))
    assert done.status_code == 200 and "Your subscription is cancelled." in done.text
    assert 'id="sp-outcome"' in done.text
    assert store.contracts[ACTIVE].terms.status == "CANCELLED"
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.reason_key, attempt.reason_text, attempt.offer_kind, attempt.outcome) == (
        "other", "Moving {{ abroad }}", None, "cancelled")
    event = await PortalEvent.get(action="cancel", contract_id=ACTIVE)
    assert json.loads(event.detail)["reason"] == "Other reason: Moving {{ abroad }}"


@pytest.mark.parametrize(
    ("offer", "fields", "check"),
    [
        ({"kind": "skip"}, {}, "skip"),
        ({"kind": "pause", "months": None}, {}, "pause"),
        ({"kind": "pause", "months": 2}, {}, "pause_months"),
        ({"kind": "change_frequency"}, {"frequency": "WEEK:2"}, "frequency"),
        ({"kind": "discount", "code": "SAVE10"}, {}, "discount"),
    ],
)
async def test_each_offer_kind_saves_the_subscription(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop,
    offer: dict[str, Any], fields: dict[str, str], check: str,
) -> None:
    await _use(shop, _reasons({"key": "too_expensive", "label": "Too pricey", "offer": offer}))
    terms = store.contracts[ACTIVE].terms
    discounts, next_date = len(terms.discounts), terms.next_billing_date
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_expensive")
    assert shown.status_code == 200
    assert f'data-offer="{offer["kind"]}"' in shown.text
    saved = await _post(alice, shown.text, "accept",
                        {"attempt": _attempt(shown.text), "offer": offer["kind"], **fields})
    assert saved.status_code == 200, saved.text
    assert 'data-testid="flash-success"' in saved.text
    terms = store.contracts[ACTIVE].terms
    if check == "skip":
        assert store.contracts[ACTIVE].skipped_cycles
    elif check == "pause":
        assert terms.status == "PAUSED"
    elif check == "pause_months":
        until = cancel_reasons.pause_until(next_date.date(), datetime.now(UTC).date(), 2)
        assert terms.status == "ACTIVE" and terms.next_billing_date.date() == until
    elif check == "frequency":
        assert (terms.billing_policy.interval, terms.billing_policy.interval_count) == ("WEEK", 2)
    else:
        assert len(terms.discounts) == discounts + 1
    assert terms.status != "CANCELLED"
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.offer_kind, attempt.offer_response, attempt.outcome) == (
        offer["kind"], "accepted", "saved")


async def test_declining_leads_to_the_confirmation(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_much")  # default offer: skip
    assert 'data-offer="skip"' in shown.text
    confirm = await _step(alice, shown.text, "decline", attempt=_attempt(shown.text),
                          offer="skip")
    assert 'data-testid="cancel-confirmation"' in confirm.text
    assert not store.contracts[ACTIVE].skipped_cycles
    await _step(alice, confirm.text, "confirm", attempt=_attempt(confirm.text))
    assert store.contracts[ACTIVE].terms.status == "CANCELLED"
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.offer_response, attempt.outcome) == ("declined", "cancelled")


async def test_an_offer_that_does_not_fit_the_status_is_not_shown(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await _contract(alice, keyring, PAUSED)
    # "I no longer need it" offers a pause; the subscription is already paused.
    confirm = await _step(alice, page, "reason", PAUSED, reason="no_longer_needed")
    assert 'data-testid="cancel-confirmation"' in confirm.text
    assert (await CancelAttempt.get(contract_id=PAUSED)).offer_kind is None


async def test_an_offer_whose_action_is_off_is_neither_shown_nor_accepted(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_much")
    shop.portal_actions = {"skip": False}
    await shop.save(update_fields=["portal_actions"])
    refused = await _step(alice, shown.text, "accept", attempt=_attempt(shown.text), offer="skip")
    assert refused.status_code == 422
    assert "no longer available" in refused.text
    assert not store.contracts[ACTIVE].skipped_cycles
    again = await _step(alice, refused.text, "reason", reason="too_much")
    assert 'data-testid="cancel-confirmation"' in again.text


@pytest.mark.parametrize(
    ("step", "fields", "code_text"),
    [
        ("reason", {"reason": "not_a_reason"}, "Please choose one of the reasons."),
        ("reason", {}, "Please choose one of the reasons."),
        ("accept", {"offer": "discount"}, "not available for this subscription"),
        ("accept", {"offer": ""}, "not available for this subscription"),
        ("decline", {"offer": "pause"}, "not available for this subscription"),
        ("accept", {"offer": "skip", "attempt": "999999"}, "please start again"),
        ("confirm", {"attempt": "x" * 20}, "Please check"),
        ("confirm", {"attempt": "12345678901"}, "please start again"),
    ],
)
async def test_forged_forms_are_refused_and_nothing_applies(
    alice: ProxyClient, keyring: Keyring, store: Any,
    step: str, fields: dict[str, str], code_text: str,
) -> None:
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_much")  # an attempt shown "skip"
    form = {"attempt": _attempt(shown.text), **fields}
    refused = await _post(alice, shown.text, step, form)
    assert refused.status_code == 422, refused.text
    assert 'data-testid="flash-error"' in refused.text and code_text in refused.text
    terms = store.contracts[ACTIVE].terms
    assert terms.status == "ACTIVE" and not store.contracts[ACTIVE].skipped_cycles
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.offer_response, attempt.outcome) == (None, "open")


async def test_another_customers_attempt_cannot_be_used(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_much")
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    attempt.customer_id += 1
    await attempt.save()
    refused = await _step(alice, shown.text, "confirm", attempt=_attempt(shown.text))
    assert refused.status_code == 422
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"


async def test_a_refused_discount_keeps_the_offer_page_and_the_way_to_cancel(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    await _use(shop, _reasons({"key": "too_expensive", "label": "Too pricey",
                               "offer": {"kind": "discount", "code": "NOT-A-CODE"}}))
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="too_expensive")
    refused = await _step(alice, shown.text, "accept", attempt=_attempt(shown.text),
                          offer="discount")
    assert refused.status_code == 422
    assert 'data-testid="flash-error"' in refused.text and 'data-offer="discount"' in refused.text
    confirm = await _step(alice, refused.text, "decline", attempt=_attempt(refused.text),
                          offer="discount")
    assert 'data-testid="cancel-confirmation"' in confirm.text


async def test_a_step_form_is_spent_once(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _contract(alice, keyring)
    assert (await _step(alice, page, "reason", reason="other")).status_code == 200
    assert (await _step(alice, page, "reason", reason="other")).status_code == 409


async def test_the_flow_speaks_french_with_the_default_reasons(
    alice: ProxyClient, keyring: Keyring
) -> None:
    page = await enter(alice, keyring, ALICE_ID, locale="fr")
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert "Pourquoi annulez-vous" in contract.text and "Trop cher" in contract.text
    shown = await _step(alice, contract.text, "reason", reason="too_much")
    assert "Avant de partir" in shown.text and "Non merci" in shown.text


async def test_an_unknown_step_is_not_found(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _contract(alice, keyring)
    assert (await _step(alice, page, "explode")).status_code == 404


async def test_the_swap_offer_opens_the_products_panel_of_a_subscription_of_several(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    await _use(shop, _reasons({"key": "did_not_like", "label": "Not for me",
                               "offer": {"kind": "swap"}}))
    lines = [line.variant_id for line in store.contracts[ACTIVE].terms.lines]
    page = await _contract(alice, keyring)
    shown = await _step(alice, page, "reason", reason="did_not_like")
    assert 'data-offer="swap"' in shown.text
    saved = await _post(alice, shown.text, "accept",
                        {"attempt": _attempt(shown.text), "offer": "swap"})
    assert saved.status_code == 200, saved.text
    # Two products: each has its own "Change" button in the focused products panel.
    assert 'data-focus="products"' in saved.text and 'data-testid="swap-buttons"' in saved.text
    assert 'data-testid="swap-1"' in saved.text and 'data-testid="swap-2"' in saved.text
    assert [line.variant_id for line in store.contracts[ACTIVE].terms.lines] == lines
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    attempt = await CancelAttempt.get(contract_id=ACTIVE)
    assert (attempt.offer_kind, attempt.outcome) == ("swap", "saved")


async def test_the_swap_offer_opens_the_choices_of_a_subscription_of_one_product(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    await _use(shop, _reasons({"key": "did_not_like", "label": "Not for me",
                               "offer": {"kind": "swap"}}))
    page = await enter(alice, keyring, ALICE_ID)
    # The paused contract has one line; swap is offered for a paused subscription too.
    response = await alice.post(f"/contracts/{PAUSED}", {"session": session_from(page)})
    shown = await _step(alice, response.text, "reason", contract_id=PAUSED, reason="did_not_like")
    assert 'data-offer="swap"' in shown.text, shown.text
    saved = await _post(alice, shown.text, "accept",
                        {"attempt": _attempt(shown.text), "offer": "swap"}, PAUSED)
    assert saved.status_code == 200, saved.text
    assert 'id="swap"' in saved.text and 'data-focus="swap"' in saved.text
    assert 'name="variant_id"' in saved.text  # the choices, nothing changed yet
    assert store.contracts[PAUSED].terms.status == "PAUSED"
