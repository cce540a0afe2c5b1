"""What the extension needs for "order now" and "pause until" on one subscription: the cycle
order now would bill (the confirmation names it and its amount, the server checks it is still
the next one) and the window of resume dates the server accepts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shopify_app.portal.actions.order_now import next_order
from shopify_app.portal.actions.pause_until import PAUSE_HORIZON
from shopify_app.portal.views.viewmodels import ContractDetail


def extras(data: ContractDetail, today: date) -> dict[str, Any]:
    cycle = next_order(data)
    expected = cycle.expected_at.isoformat().replace("+00:00", "Z") if cycle and \
        cycle.expected_at else None
    return {
        "orderNow": {"cycleIndex": cycle.index, "expectedAt": expected} if cycle else None,
        "pauseLimits": {"first": (today + timedelta(days=1)).isoformat(),
                        "last": (today + PAUSE_HORIZON).isoformat()},
    }
