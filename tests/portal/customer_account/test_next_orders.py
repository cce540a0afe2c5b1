"""The extension's list after a skip shows the first order that will bill, like the overview."""

from __future__ import annotations

from typing import Any

from shopify_app.sandbox import cycles
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from tests.portal.conftest import CountingTransport
from tests.portal.customer_account.conftest import Extension


def _next(listed: dict[str, Any]) -> str:
    (found,) = [s for s in listed["subscriptions"] if s["id"] == ACTIVE]
    return str(found["nextBillingDate"])[:10]


async def test_the_list_shows_the_next_unskipped_order(
    extension: Extension, store: Any, admin_calls: CountingTransport
) -> None:
    record = store.contracts[ACTIVE]
    first = cycles.cycle(record, record.next_cycle_index)
    assert (
        _next((await extension.get("/subscriptions")).json())
        == first.expected_at.date().isoformat()
    )
    assert admin_calls.operations == ["PortalOverview"]  # nothing skipped: no extra read

    assert (await extension.act(ACTIVE, "skip")).status_code == 200
    assert record.skipped_cycles == {first.index}
    admin_calls.operations.clear()
    listed = (await extension.get("/subscriptions")).json()
    following = cycles.cycle(record, first.index + 1)
    assert _next(listed) == following.expected_at.date().isoformat()
    assert admin_calls.operations == ["PortalOverview", "PortalNextOrder"]
