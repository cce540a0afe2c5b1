"""The overview card's real next order after a skip.

`PortalOverview` reads each contract's `nextBillingDate`, which Shopify keeps on a skipped cycle.
The contract page reads billing cycles anyway (`ContractDetail.with_next_order`); the overview
does not, to stay within its cost budget. So a card looks again only when its date is the date of
a cycle we know was skipped (`mirror.skipped_cycles`, written by our skip/unskip actions and by
Shopify's skip/unskip webhooks): one small `PortalNextOrder` request for that contract, and the
card shows the first cycle that is not skipped. A customer who skipped nothing costs one indexed
database query (none when no card is active) and no extra Admin API request.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any

from shopify_app.mirror import skipped_cycles
from shopify_app.portal.views.viewmodels import Contract, Overview
from shopify_app.shopify import gids
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyQueryError
from shopify_app.storage.models import Shop

CYCLES_READ = 6  # the skipped cycle and the five after it (`first: 6` in PortalNextOrder)


def _nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = data.get("subscriptionBillingCycles")
    nodes = found.get("nodes") if isinstance(found, dict) else None
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


async def _next_order(admin: AdminClient, shop: Shop, contract: Contract, index: int) -> Contract:
    variables = {
        "contractId": contract.gid,
        "fromIndex": index,
        "toIndex": index + CYCLES_READ - 1,
    }
    try:
        data = await admin.query(shop, "PortalNextOrder", variables)
    except ShopifyQueryError:
        return contract  # the card keeps Shopify's date; the contract page reads the cycles
    cycles = [c for c in _nodes(data) if c.get("status") != "BILLED"]
    if not cycles:
        return contract
    nxt = next((c for c in cycles if not c.get("skipped")), None)
    if nxt is None:  # every cycle read is skipped: no date we could honestly show
        return replace(contract, next_billing_date=None)
    moment = gids.parse_datetime(nxt.get("billingAttemptExpectedDate"))
    return replace(contract, next_billing_date=moment) if moment else contract


async def on_overview(admin: AdminClient, shop: Shop, overview: Overview) -> Overview:
    active = [c for c in overview.contracts if c.status == "ACTIVE" and c.next_billing_date]
    if not active:
        return overview
    known = await skipped_cycles.skipped_days(shop.id, [c.id for c in active])
    if not known:
        return overview
    moved: dict[int, Contract] = {}
    for contract in active:
        assert contract.next_billing_date is not None
        day = contract.next_billing_date.astimezone(UTC).date()
        index = known.get(contract.id, {}).get(day)
        if index is not None:
            moved[contract.id] = await _next_order(admin, shop, contract, index)
    if not moved:
        return overview
    return replace(overview, contracts=[moved.get(c.id, c) for c in overview.contracts])
