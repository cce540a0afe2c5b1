"""Every self-service action against the simulated store, and what must refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from shopify_app.keys import api_keys
from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID as ACTIVE,
)
from shopify_app.sandbox.demo import (
    ALICE_ID,
    BOB_CONTRACT_ID,
    CAROL_CONTRACT_ID,
    CAROL_ID,
    DEMO_SHOP,
)
from shopify_app.sandbox.demo import (
    ALICE_PAUSED_CONTRACT_ID as PAUSED,
)
from shopify_app.storage.models import PortalEvent, Shop
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from


async def _contract_page(client: ProxyClient, keyring: Keyring, contract_id: int) -> str:
    page = await enter(client, keyring, ALICE_ID)
    response = await client.post(f"/contracts/{contract_id}", {"session": session_from(page)})
    assert response.status_code == 200, response.text
    return response.text


async def _act(client: ProxyClient, page: str, contract_id: int, action: str, **fields: str) -> Any:
    return await client.post(
        f"/contracts/{contract_id}/{action}", {"session": session_from(page), **fields}
    )


def _line_id(store: Any, contract_id: int, position: int = 0) -> str:
    return str(store.contracts[contract_id].terms.lines[position].id)


async def test_pause_and_resume(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    paused = await _act(alice, page, ACTIVE, "pause")
    assert paused.status_code == 200
    assert 'data-testid="flash-success"' in paused.text and 'role="status"' in paused.text
    assert store.contracts[ACTIVE].terms.status == "PAUSED"
    assert 'data-testid="action-resume"' in paused.text
    resumed = await _act(alice, paused.text, ACTIVE, "resume")
    assert resumed.status_code == 200
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    events = await PortalEvent.filter(customer_id=ALICE_ID).order_by("id")
    assert [(e.action, e.contract_id) for e in events] == [("pause", ACTIVE), ("resume", ACTIVE)]


async def test_cancel_keeps_the_reason_for_the_merchant(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, PAUSED)
    response = await _act(alice, page, PAUSED, "cancel", reason="Too much {{ tea }} <b>")
    assert response.status_code == 200
    assert store.contracts[PAUSED].terms.status == "CANCELLED"
    event = await PortalEvent.get(action="cancel")
    assert "Too much {{ tea }} <b>" in event.detail
    assert 'data-testid="action-cancel"' not in response.text  # nothing left to do


async def test_skip_and_unskip(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    skipped = await _act(alice, page, ACTIVE, "skip")
    assert skipped.status_code == 200
    (index,) = store.contracts[ACTIVE].skipped_cycles
    assert f'data-testid="cycle-{index}" data-skipped="true"' in skipped.text
    unskipped = await _act(alice, skipped.text, ACTIVE, "unskip", cycle_index=str(index))
    assert unskipped.status_code == 200
    assert store.contracts[ACTIVE].skipped_cycles == set()


async def test_change_next_date(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    wanted = (datetime.now(UTC) + timedelta(days=20)).date()
    response = await _act(alice, page, ACTIVE, "set_next_date", date=wanted.isoformat())
    assert response.status_code == 200, response.text
    assert store.contracts[ACTIVE].terms.next_billing_date.date() == wanted


async def test_change_frequency(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    response = await _act(alice, page, ACTIVE, "change_frequency", frequency="WEEK:2")
    assert response.status_code == 200, response.text
    terms = store.contracts[ACTIVE].terms
    assert (terms.billing_policy.interval, terms.billing_policy.interval_count) == ("WEEK", 2)
    assert (terms.delivery_policy.interval, terms.delivery_policy.interval_count) == ("WEEK", 2)


async def test_change_quantity(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    line = _line_id(store, ACTIVE, 1)
    response = await _act(alice, page, ACTIVE, "change_quantity", line_id=line, quantity="5")
    assert response.status_code == 200, response.text
    assert store.contracts[ACTIVE].terms.lines[1].quantity == 5


ADDRESS = {
    "first_name": "Alice",
    "last_name": "Martin",
    "address1": "1 New Street",
    "city": "Boston",
    "province_code": "MA",
    "zip": "02108",
    "country_code": "us",
}


async def test_change_address(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    response = await _act(alice, page, ACTIVE, "change_address", **ADDRESS)
    assert response.status_code == 200, response.text
    address = store.contracts[ACTIVE].terms.address
    assert (address.address1, address.city, address.country_code) == (
        "1 New Street",
        "Boston",
        "US",
    )


async def test_payment_method_update_email(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    response = await _act(alice, page, ACTIVE, "payment_email")
    assert response.status_code == 200, response.text
    assert [e.customer_id for e in store.sent_emails] == [ALICE_ID]


async def test_apply_and_remove_discount_codes(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    before = len(store.contracts[ACTIVE].terms.discounts)
    applied = await _act(alice, page, ACTIVE, "apply_discount", code="SAVE10")
    assert applied.status_code == 200, applied.text
    discounts = store.contracts[ACTIVE].terms.discounts
    assert len(discounts) == before + 1
    removed = await _act(
        alice, applied.text, ACTIVE, "remove_discount", discount_id=str(discounts[-1].id)
    )
    assert removed.status_code == 200, removed.text
    assert len(store.contracts[ACTIVE].terms.discounts) == before


async def test_shopify_user_errors_show_on_the_page(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    before = list(store.contracts[ACTIVE].terms.discounts)
    admin_calls.operations.clear()
    response = await _act(alice, page, ACTIVE, "apply_discount", code="NOT-A-CODE")
    assert response.status_code == 422
    assert "SubscriptionDraftDiscountCodeApply" in admin_calls.operations
    assert "SubscriptionDraftCommit" not in admin_calls.operations  # the draft is left alone
    assert 'data-testid="flash-error"' in response.text and 'role="alert"' in response.text
    assert store.contracts[ACTIVE].terms.discounts == before
    assert await PortalEvent.all().count() == 0


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("change_quantity", {"quantity": "0"}),
        ("change_quantity", {"quantity": "abc"}),
        ("change_quantity", {"quantity": "2", "line_id": "gid://shopify/SubscriptionLine/x"}),
        ("set_next_date", {"date": "2001-01-01"}),
        ("set_next_date", {"date": "tomorrow"}),
        ("change_frequency", {"frequency": "DAY:1"}),
        ("change_address", {**ADDRESS, "city": ""}),
        ("change_address", {**ADDRESS, "country_code": "USA"}),
        ("remove_discount", {"discount_id": "gid://shopify/SubscriptionManualDiscount/nope"}),
        ("unskip", {"cycle_index": "999"}),
        ("cancel", {"reason": "x" * 501}),
    ],
)
async def test_invalid_input_changes_nothing(
    alice: ProxyClient,
    keyring: Keyring,
    store: Any,
    admin_calls: CountingTransport,
    action: str,
    fields: dict[str, str],
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    if action == "change_quantity" and "line_id" not in fields:
        fields = {**fields, "line_id": _line_id(store, ACTIVE)}
    admin_calls.operations.clear()
    response = await _act(alice, page, ACTIVE, action, **fields)
    assert response.status_code == 422
    assert 'data-testid="flash-error"' in response.text
    assert not [op for op in admin_calls.operations if op not in ("PortalContract",)]
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert await PortalEvent.all().count() == 0


async def test_a_change_form_works_once(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    assert (await _act(alice, page, ACTIVE, "pause")).status_code == 200
    replay = await _act(alice, page, ACTIVE, "resume")  # the same page's session, again
    assert replay.status_code == 409
    assert 'data-code="form_replayed"' in replay.text
    assert 'data-testid="back-to-portal"' in replay.text
    assert store.contracts[ACTIVE].terms.status == "PAUSED"
    # The old value still navigates (Back button), it just cannot change anything twice.
    assert (await alice.post("/orders", {"session": session_from(page)})).status_code == 200


async def test_someone_elses_contract_is_not_found(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    for action in ("pause", "cancel"):
        page_value = page
        response = await _act(alice, page_value, BOB_CONTRACT_ID, action)
        assert response.status_code == 404
        assert 'data-code="contract_not_found"' in response.text
        page = await enter(alice, keyring, ALICE_ID)
    assert store.contracts[BOB_CONTRACT_ID].terms.status == "ACTIVE"
    assert await PortalEvent.all().count() == 0


async def test_disabled_actions_are_hidden_and_refused(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    shop.portal_actions = {"pause": False, "cancel": False}
    await shop.save()
    page = await _contract_page(alice, keyring, ACTIVE)
    assert 'data-testid="action-pause"' not in page
    assert 'data-testid="action-cancel"' not in page
    assert 'data-testid="action-skip"' in page
    response = await _act(alice, page, ACTIVE, "pause")
    assert response.status_code == 403
    assert 'data-code="action_disabled"' in response.text
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"


async def test_links_minted_through_the_api_obey_the_shops_action_settings(
    alice: ProxyClient, store: Any, shop: Shop
) -> None:
    """The external API's link carries no permissions of its own: the shop's switches rule."""
    shop.portal_actions = {"cancel": False}
    await shop.save()
    _, raw_key = await api_keys.create_key(shop, "help desk")
    minted = await alice.http.get(
        f"/api/external/v2/manage-subscription-link/{ALICE_ID}",
        headers={"X-API-Key": raw_key},
    )
    assert minted.status_code == 200, minted.text
    token = parse_qs(urlsplit(minted.json()["manageSubscriptionLink"]).query)["token"][0]
    entered = await alice.post("", {"token": token})
    assert entered.status_code == 200
    page = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(entered.text)})
    assert 'data-testid="action-pause"' in page.text
    assert 'data-testid="action-cancel"' not in page.text
    response = await _act(alice, page.text, ACTIVE, "cancel", reason="forced")
    assert response.status_code == 403
    assert 'data-code="action_disabled"' in response.text
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert await PortalEvent.all().count() == 0


async def test_actions_that_do_not_fit_the_status_are_refused(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    carol = ProxyClient(alice.http, DEMO_SHOP)
    page = await enter(carol, keyring, CAROL_ID)
    response = await _act(carol, page, CAROL_CONTRACT_ID, "resume")
    assert response.status_code == 403
    assert store.contracts[CAROL_CONTRACT_ID].terms.status == "CANCELLED"


async def test_unknown_action(alice: ProxyClient, keyring: Keyring) -> None:
    page = await enter(alice, keyring, ALICE_ID)
    response = await _act(alice, page, ACTIVE, "delete_everything")
    assert response.status_code == 404
    assert 'data-testid="friendly"' in response.text


@pytest.mark.parametrize("fault", ["throttled", "http_500"])
@pytest.mark.parametrize("during", ["SubscriptionDraftLineUpdate", "SubscriptionDraftCommit"])
async def test_failures_in_the_middle_of_a_draft_change_nothing(
    alice: ProxyClient,
    keyring: Keyring,
    store: Any,
    admin_calls: CountingTransport,
    fault: str,
    during: str,
) -> None:
    page = await _contract_page(alice, keyring, ACTIVE)
    line = _line_id(store, ACTIVE)

    def inject(operation: str) -> None:
        if operation == during:
            store.faults.push(DEMO_SHOP, fault)

    admin_calls.before = inject
    admin_calls.operations.clear()
    response = await _act(alice, page, ACTIVE, "change_quantity", line_id=line, quantity="3")
    assert response.status_code == 503
    assert 'data-code="shopify_unavailable"' in response.text
    assert 'data-testid="back-to-portal"' in response.text
    assert store.contracts[ACTIVE].terms.lines[0].quantity == 1
    assert admin_calls.operations[-1] == during
    assert await PortalEvent.all().count() == 0
