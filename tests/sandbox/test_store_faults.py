"""Fault injection and throttling of the simulated store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.demo import DEMO_SHOP, OTHER_SHOP
from shopify_app.sandbox.store import SimulatedStore
from tests.sandbox.conftest import Admin

QUERY = "{ shop { name } }"


@pytest.mark.parametrize(
    ("kind", "status"), [("http_429", 429), ("http_500", 500), ("http_503", 503)]
)
async def test_http_faults_answer_once(
    admin: Admin, store: SimulatedStore, kind: str, status: int
) -> None:
    store.faults.push(DEMO_SHOP, kind)
    failed = await admin.post(QUERY)
    assert failed.status_code == status
    assert failed.headers["retry-after"] == "1.0"
    assert (await admin.post(QUERY)).status_code == 200


async def test_throttled_is_a_graphql_error_with_cost(admin: Admin, store: SimulatedStore) -> None:
    store.faults.push(None, "throttled")
    body = (await admin.post(QUERY)).json()
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert "throttleStatus" in body["extensions"]["cost"]
    assert "errors" not in (await admin.post(QUERY)).json()


async def test_faults_wait_for_their_shop(
    admin: Admin, other_admin: Admin, store: SimulatedStore
) -> None:
    store.faults.push(OTHER_SHOP, "http_500", times=2)
    assert (await admin.post(QUERY)).status_code == 200
    assert (await other_admin.post(QUERY)).status_code == 500
    assert (await other_admin.post(QUERY)).status_code == 500
    assert (await other_admin.post(QUERY)).status_code == 200
    assert len(store.faults) == 0


def test_unknown_fault_kind_is_refused(store: SimulatedStore) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        store.faults.push(None, "http_418")


async def test_enforced_bucket_throttles_and_restores(
    admin: Admin, store: SimulatedStore, store_clock: ManualClock
) -> None:
    store.enforce_throttle = True
    query = "{ customers(first: 250) { nodes { defaultEmailAddress { emailAddress } } } }"
    statuses = []
    for _ in range(5):
        body = (await admin.post(query)).json()  # 252 points each
        statuses.append(body.get("errors", [{}])[0].get("extensions", {}).get("code", "ok"))
    assert statuses == ["ok"] * 5  # 1260 of 2000
    for _ in range(3):
        body = (await admin.post(query)).json()
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    available = body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert available < 252
    store_clock.advance(timedelta(seconds=5))  # 100 points a second
    assert "errors" not in (await admin.post(query)).json()
