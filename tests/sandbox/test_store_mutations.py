"""Mutations of the simulated store: real effects, Shopify-like userErrors, nothing half-done."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopify_app.sandbox import demo
from shopify_app.sandbox.records import gid
from shopify_app.sandbox.store import SimulatedStore
from tests.sandbox.conftest import Admin


def contract_gid(contract_id: int) -> str:
    return gid("SubscriptionContract", contract_id)


def status_of(store: SimulatedStore, contract_id: int) -> str:
    return store.contracts[contract_id].terms.status


@pytest.mark.parametrize(
    ("operation", "contract_id", "after", "error_code"),
    [
        ("SubscriptionContractPause", demo.ALICE_ACTIVE_CONTRACT_ID, "PAUSED", None),
        ("SubscriptionContractPause", demo.ALICE_PAUSED_CONTRACT_ID, "PAUSED", None),
        ("SubscriptionContractActivate", demo.ALICE_PAUSED_CONTRACT_ID, "ACTIVE", None),
        ("SubscriptionContractCancel", demo.BOB_CONTRACT_ID, "CANCELLED", None),
        ("SubscriptionContractCancel", demo.ALICE_PAUSED_CONTRACT_ID, "CANCELLED", None),
        ("SubscriptionContractPause", demo.CAROL_CONTRACT_ID, "CANCELLED", "CONTRACT_TERMINATED"),
        (
            "SubscriptionContractActivate",
            demo.CAROL_CONTRACT_ID,
            "CANCELLED",
            "CONTRACT_TERMINATED",
        ),
        ("SubscriptionContractCancel", demo.CAROL_CONTRACT_ID, "CANCELLED", "CONTRACT_TERMINATED"),
    ],
)
async def test_status_changes(
    admin: Admin,
    store: SimulatedStore,
    operation: str,
    contract_id: int,
    after: str,
    error_code: str | None,
) -> None:
    payload = await admin.mutate(operation, contractId=contract_gid(contract_id))
    if error_code is None:
        assert payload["userErrors"] == []
        assert payload["contract"]["status"] == after
    else:
        assert [e["code"] for e in payload["userErrors"]] == [error_code]
        assert payload["contract"] is None
    assert status_of(store, contract_id) == after


@pytest.mark.parametrize(
    "contract",
    [contract_gid(demo.OLGA_CONTRACT_ID), contract_gid(1), gid("Customer", demo.ALICE_ID)],
    ids=["other-shop", "unknown", "wrong-kind"],
)
async def test_status_change_of_unknown_contract(
    admin: Admin, store: SimulatedStore, contract: str
) -> None:
    payload = await admin.mutate("SubscriptionContractPause", contractId=contract)
    assert payload["userErrors"][0]["field"] == ["subscriptionContractId"]
    assert status_of(store, demo.OLGA_CONTRACT_ID) == "ACTIVE"


async def test_skip_and_unskip_a_cycle(admin: Admin, store: SimulatedStore) -> None:
    contract = contract_gid(demo.BOB_CONTRACT_ID)
    skipped = await admin.mutate("SubscriptionBillingCycleSkip", contractId=contract, cycleIndex=11)
    assert skipped["userErrors"] == []
    assert skipped["billingCycle"] == {
        "cycleIndex": 11,
        "billingAttemptExpectedDate": "2026-03-12T12:00:00Z",
        "skipped": True,
    }
    assert store.contracts[demo.BOB_CONTRACT_ID].skipped_cycles == {11}
    data = await admin.run(
        "PortalContract",
        contractId=contract,
        cyclesStart="2026-03-10T00:00:00Z",
        cyclesEnd="2026-04-10T00:00:00Z",
    )
    marks = [(c["cycleIndex"], c["skipped"]) for c in data["subscriptionBillingCycles"]["nodes"]]
    assert marks[:2] == [(11, True), (12, False)]
    unskipped = await admin.mutate(
        "SubscriptionBillingCycleUnskip", contractId=contract, cycleIndex=11
    )
    assert unskipped["billingCycle"]["skipped"] is False
    assert store.contracts[demo.BOB_CONTRACT_ID].skipped_cycles == set()


@pytest.mark.parametrize(
    ("contract_id", "index", "message"),
    [
        (demo.BOB_CONTRACT_ID, 3, "already been billed"),
        (demo.BOB_CONTRACT_ID, 0, "does not exist"),
        (demo.BOB_CONTRACT_ID, -2, "does not exist"),
        (demo.CAROL_CONTRACT_ID, 5, "not active"),
        (demo.OLGA_CONTRACT_ID, 5, "does not exist"),
    ],
)
async def test_skip_refusals(
    admin: Admin, store: SimulatedStore, contract_id: int, index: int, message: str
) -> None:
    payload = await admin.mutate(
        "SubscriptionBillingCycleSkip", contractId=contract_gid(contract_id), cycleIndex=index
    )
    assert message in payload["userErrors"][0]["message"]
    assert store.contracts[contract_id].skipped_cycles == set()


@pytest.mark.parametrize(
    ("date", "accepted"),
    [
        ("2026-04-01T00:00:00Z", True),
        ("2026-04-01", True),
        ("2026-03-10T09:00:01+00:00", True),
        ("2026-03-10T09:00:00Z", False),  # now is not the future
        ("2025-12-31T00:00:00Z", False),
    ],
)
async def test_set_next_billing_date(
    admin: Admin, store: SimulatedStore, date: str, accepted: bool
) -> None:
    before = store.contracts[demo.BOB_CONTRACT_ID].terms.next_billing_date
    payload = await admin.mutate(
        "SubscriptionContractSetNextBillingDate",
        contractId=contract_gid(demo.BOB_CONTRACT_ID),
        date=date,
    )
    after = store.contracts[demo.BOB_CONTRACT_ID].terms.next_billing_date
    if accepted:
        assert payload["userErrors"] == []
        assert after == datetime.fromisoformat(date).replace(tzinfo=after.tzinfo)
    else:
        assert payload["userErrors"][0]["field"] == ["date"]
        assert after == before


async def test_invalid_date_is_a_top_level_error(admin: Admin) -> None:
    response = await admin.post(
        "mutation($id: ID!) { subscriptionContractSetNextBillingDate(contractId: $id, "
        'date: "someday") { userErrors { message } } }',
        {"id": contract_gid(demo.BOB_CONTRACT_ID)},
    )
    assert "Invalid DateTime" in response.json()["errors"][0]["message"]


async def start_draft(admin: Admin, contract_id: int) -> str:
    payload = await admin.mutate("SubscriptionContractUpdate", contractId=contract_gid(contract_id))
    assert payload["userErrors"] == []
    draft_id: str = payload["draft"]["id"]
    return draft_id


ALICE_LINE = demo.line_id(demo.ALICE_ACTIVE_CONTRACT_ID, 1)


async def test_draft_edits_touch_only_the_draft_until_commit(
    admin: Admin, store: SimulatedStore
) -> None:
    contract = store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID]
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    line = await admin.mutate(
        "SubscriptionDraftLineUpdate", draftId=draft, lineId=ALICE_LINE, input={"quantity": 3}
    )
    assert line["lineUpdated"] == {"id": ALICE_LINE, "quantity": 3}
    every_two_weeks = {"interval": "WEEK", "intervalCount": 2}
    updated = await admin.mutate(
        "SubscriptionDraftUpdate",
        draftId=draft,
        input={"billingPolicy": every_two_weeks, "deliveryPolicy": every_two_weeks},
    )
    assert updated["draft"]["billingPolicy"] == every_two_weeks
    code = await admin.mutate(
        "SubscriptionDraftDiscountCodeApply", draftId=draft, redeemCode="save10"
    )
    assert code["appliedDiscount"]["redeemCode"] == "SAVE10"
    # Nothing reached the contract yet.
    assert contract.terms.lines[0].quantity == 1
    assert contract.terms.billing_policy.interval == "MONTH"
    assert [d.code for d in contract.terms.discounts] == [None]

    committed = await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    assert committed["userErrors"] == []
    assert contract.terms.lines[0].quantity == 3
    assert (
        contract.terms.billing_policy.interval,
        contract.terms.billing_policy.interval_count,
    ) == (
        "WEEK",
        2,
    )
    assert [d.code for d in contract.terms.discounts] == [None, "SAVE10"]
    read = await admin.run(
        "PortalContract",
        contractId=gid("SubscriptionContract", demo.ALICE_ACTIVE_CONTRACT_ID),
        cyclesStart="2026-03-10T00:00:00Z",
        cyclesEnd="2026-04-10T00:00:00Z",
    )
    discounts = read["subscriptionContract"]["discounts"]["nodes"]
    assert [(d["title"], d["type"]) for d in discounts] == [
        ("Loyal customer", "MANUAL"),
        ("SAVE10", "CODE_DISCOUNT"),
    ]


async def test_uncommitted_draft_never_touches_the_contract(
    admin: Admin, store: SimulatedStore
) -> None:
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    await admin.mutate(
        "SubscriptionDraftLineUpdate", draftId=draft, lineId=ALICE_LINE, input={"quantity": 5}
    )
    # A second draft starts from the contract, not from the abandoned one.
    second = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    assert second != draft
    await admin.mutate("SubscriptionDraftCommit", draftId=second)
    assert store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID].terms.lines[0].quantity == 1


async def test_a_draft_commits_once(admin: Admin) -> None:
    draft = await start_draft(admin, demo.BOB_CONTRACT_ID)
    assert (await admin.mutate("SubscriptionDraftCommit", draftId=draft))["userErrors"] == []
    again = await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    assert [e["code"] for e in again["userErrors"]] == ["COMMITTED"]


async def test_stale_draft_cannot_undo_a_change(admin: Admin, store: SimulatedStore) -> None:
    draft = await start_draft(admin, demo.BOB_CONTRACT_ID)
    await admin.mutate("SubscriptionContractCancel", contractId=contract_gid(demo.BOB_CONTRACT_ID))
    payload = await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    assert [e["code"] for e in payload["userErrors"]] == ["STALE_CONTRACT"]
    assert status_of(store, demo.BOB_CONTRACT_ID) == "CANCELLED"


@pytest.mark.parametrize(
    ("line_input", "code"),
    [
        ({"quantity": 0}, "GREATER_THAN_OR_EQUAL_TO"),
        ({"quantity": -1}, "GREATER_THAN_OR_EQUAL_TO"),
        ({"quantity": 10_001}, "LESS_THAN_OR_EQUAL_TO"),
        ({"currentPrice": "-1.00"}, "GREATER_THAN_OR_EQUAL_TO"),
    ],
)
async def test_line_update_refusals(
    admin: Admin, store: SimulatedStore, line_input: dict[str, object], code: str
) -> None:
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    payload = await admin.mutate(
        "SubscriptionDraftLineUpdate", draftId=draft, lineId=ALICE_LINE, input=line_input
    )
    assert [e["code"] for e in payload["userErrors"]] == [code]
    assert store.drafts[1].terms.lines[0].quantity == 1


async def test_line_of_another_contract_is_refused(admin: Admin) -> None:
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    payload = await admin.mutate(
        "SubscriptionDraftLineUpdate",
        draftId=draft,
        lineId=demo.line_id(demo.BOB_CONTRACT_ID, 1),
        input={"quantity": 2},
    )
    assert payload["userErrors"][0]["field"] == ["lineId"]


@pytest.mark.parametrize(
    ("draft_input", "code"),
    [
        (
            {"billingPolicy": {"interval": "MONTH", "intervalCount": 0}},
            "GREATER_THAN_OR_EQUAL_TO",
        ),
        (
            {
                "billingPolicy": {"interval": "MONTH", "intervalCount": 3},
                "deliveryPolicy": {"interval": "MONTH", "intervalCount": 2},
            },
            "DELIVERY_MUST_BE_MULTIPLE_OF_BILLING",
        ),
        ({"nextBillingDate": "2026-01-01T00:00:00Z"}, "INVALID_BILLING_DATE"),
        ({"deliveryMethod": {"shipping": {"address": {"address1": "", "city": "X"}}}}, "BLANK"),
    ],
)
async def test_draft_update_refusals(
    admin: Admin, store: SimulatedStore, draft_input: dict[str, object], code: str
) -> None:
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    payload = await admin.mutate("SubscriptionDraftUpdate", draftId=draft, input=draft_input)
    assert code in [e["code"] for e in payload["userErrors"]]
    assert store.drafts[1].terms == store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID].terms


async def test_address_change(admin: Admin, store: SimulatedStore) -> None:
    draft = await start_draft(admin, demo.BOB_CONTRACT_ID)
    address = {
        "firstName": "Bob",
        "lastName": "Nguyen",
        "address1": "1 New Street",
        "city": "Boston",
        "zip": "02108",
        "countryCode": "US",
        "provinceCode": "MA",
    }
    payload = await admin.mutate(
        "SubscriptionDraftUpdate",
        draftId=draft,
        input={"deliveryMethod": {"shipping": {"address": address}}},
    )
    assert payload["userErrors"] == []
    await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    stored = store.contracts[demo.BOB_CONTRACT_ID].terms.address
    assert (stored.address1, stored.city, stored.province_code) == ("1 New Street", "Boston", "MA")


@pytest.mark.parametrize(
    ("code", "accepted"),
    [("SAVE10", True), ("save10", True), (" FiveOff ", True), ("NOPE", False), ("OTHER15", False)],
)
async def test_discount_codes(admin: Admin, code: str, accepted: bool) -> None:
    draft = await start_draft(admin, demo.BOB_CONTRACT_ID)
    payload = await admin.mutate(
        "SubscriptionDraftDiscountCodeApply", draftId=draft, redeemCode=code
    )
    assert (payload["userErrors"] == []) is accepted
    assert (payload["appliedDiscount"] is not None) is accepted


async def test_discount_code_applies_once_and_can_be_removed(
    admin: Admin, store: SimulatedStore
) -> None:
    draft = await start_draft(admin, demo.BOB_CONTRACT_ID)
    applied = await admin.mutate(
        "SubscriptionDraftDiscountCodeApply", draftId=draft, redeemCode="SAVE10"
    )
    again = await admin.mutate(
        "SubscriptionDraftDiscountCodeApply", draftId=draft, redeemCode="SAVE10"
    )
    assert "already" in again["userErrors"][0]["message"]
    discount_id = applied["appliedDiscount"]["id"]
    removed = await admin.mutate(
        "SubscriptionDraftDiscountRemove", draftId=draft, discountId=discount_id
    )
    assert removed["discountRemoved"] == {
        "__typename": "SubscriptionAppliedCodeDiscount",
        "id": discount_id,
        "redeemCode": "SAVE10",
    }
    gone = await admin.mutate(
        "SubscriptionDraftDiscountRemove", draftId=draft, discountId=discount_id
    )
    assert gone["userErrors"][0]["field"] == ["discountId"]


async def test_remove_a_contracts_manual_discount(admin: Admin, store: SimulatedStore) -> None:
    (discount,) = store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID].terms.discounts
    draft = await start_draft(admin, demo.ALICE_ACTIVE_CONTRACT_ID)
    await admin.mutate("SubscriptionDraftDiscountRemove", draftId=draft, discountId=discount.id)
    await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    assert store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID].terms.discounts == []


async def test_drafts_of_another_shop_are_invisible(admin: Admin, other_admin: Admin) -> None:
    draft = await start_draft(other_admin, demo.OLGA_CONTRACT_ID)
    payload = await admin.mutate("SubscriptionDraftCommit", draftId=draft)
    assert payload["userErrors"][0]["field"] == ["draftId"]


async def test_payment_method_update_email(admin: Admin, store: SimulatedStore) -> None:
    payload = await admin.mutate(
        "CustomerPaymentMethodSendUpdateEmail",
        customerPaymentMethodId=gid("CustomerPaymentMethod", demo.ALICE_CARD_ID),
    )
    assert payload == {"customer": {"id": gid("Customer", demo.ALICE_ID)}, "userErrors": []}
    (email,) = store.sent_emails
    assert (email.to, email.payment_method_id) == (demo.ALICE_EMAIL, demo.ALICE_CARD_ID)
    assert email.sent_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "method_id",
    [demo.OLGA_CARD_ID, "0000", demo.CAROL_CARD_ID],
    ids=["other-shop", "unknown", "revoked"],
)
async def test_payment_method_update_email_refusals(
    admin: Admin, store: SimulatedStore, method_id: str
) -> None:
    store.payment_methods[demo.CAROL_CARD_ID].revoked_at = datetime(2026, 1, 1, tzinfo=UTC)
    payload = await admin.mutate(
        "CustomerPaymentMethodSendUpdateEmail",
        customerPaymentMethodId=gid("CustomerPaymentMethod", method_id),
    )
    assert payload["userErrors"]
    assert store.sent_emails == []
