"""What the embedded admin reports to the merchant: link statistics and cancellation reasons.

Statistics answer "which flows drive portal visits": per source and API key, the mints, the
redemptions, their ratio and a daily series. Cancellations are the reasons customers gave in
the portal (`PortalEvent` rows with action `cancel`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from shopify_app.errors import BadRequest
from shopify_app.links import stats
from shopify_app.storage.models import ApiKey, PortalEvent, Shop

MAX_DAYS = 366
MAX_CANCELLATIONS = 200


class InvalidParameter(BadRequest):
    code = "invalid_parameter"
    title = "Invalid parameter"


def parse_bound(raw: str | None, *, name: str, default: int, maximum: int) -> int:
    """A query parameter that is a whole number 1..maximum (absent: `default`)."""
    if raw is None:
        return default
    # The length cap keeps `int` cheap; the whole number is what gets bounded and returned.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= maximum:
        raise InvalidParameter(f"{name} is a whole number 1-{maximum}.", extra={"field": name})
    return int(raw)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def link_statistics(shop: Shop, *, days: int, now: datetime) -> dict[str, Any]:
    """Per (source, key) totals and a daily series (oldest first) over the last `days` days."""
    since = now.date() - timedelta(days=days - 1)
    rows = await stats.stats_for(shop, since=since)
    names = {k.id: (k.name, k.prefix) for k in await ApiKey.filter(shop_id=shop.id)}
    groups: dict[tuple[str, int], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.day):
        group = groups.setdefault((row.source, row.api_key_id), {
            "source": row.source,
            "api_key_id": row.api_key_id or None,  # 0: not minted through a key
            "api_key_name": names.get(row.api_key_id, (None, None))[0],
            "api_key_prefix": names.get(row.api_key_id, (None, None))[1],
            "mints": 0,
            "redemptions": 0,
            "daily": [],
        })
        group["mints"] += row.mints
        group["redemptions"] += row.redemptions
        group["daily"].append(
            {"day": row.day.isoformat(), "mints": row.mints, "redemptions": row.redemptions}
        )
    result = sorted(groups.values(), key=lambda g: (-g["mints"], g["source"],
                                                     g["api_key_id"] or 0))
    for group in result:
        mints = group["mints"]
        group["redemption_rate"] = round(group["redemptions"] / mints, 4) if mints else None
    series = {since + timedelta(days=n): [0, 0] for n in range(days)}
    for row in rows:
        if row.day in series:
            series[row.day][0] += row.mints
            series[row.day][1] += row.redemptions
    daily = [{"day": day.isoformat(), "mints": m, "redemptions": r}
             for day, (m, r) in sorted(series.items())]
    return {"since": since.isoformat(), "days": days, "sources": result, "daily": daily}


def _reason(detail: str) -> str:
    # The portal stores `{"reason": ...}` as the event detail (empty without a reason).
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return ""
    reason = data.get("reason") if isinstance(data, dict) else None
    return reason if isinstance(reason, str) else ""


async def recent_cancellations(shop: Shop, *, limit: int) -> list[dict[str, Any]]:
    """The newest cancellations in the portal, with the reason when the customer gave one."""
    events = await PortalEvent.filter(shop_id=shop.id, action="cancel").order_by(
        "-created_at", "-id"
    ).limit(limit)
    return [
        {
            "contract_id": e.contract_id,
            "customer_id": e.customer_id,
            "reason": _reason(e.detail),
            "created_at": _iso(e.created_at),
        }
        for e in events
    ]


NO_REASON = ""


async def cancellation_reasons(shop: Shop) -> list[dict[str, Any]]:
    """Every portal cancellation's reason, grouped (case and spacing ignored) and counted,
    most frequent first; no reason given is its own group ("")."""
    details = await PortalEvent.filter(shop_id=shop.id, action="cancel").values_list(
        "detail", flat=True)
    groups: dict[str, dict[str, Any]] = {}
    for detail in details:
        reason = " ".join(_reason(str(detail)).split())
        group = groups.setdefault(reason.lower(), {"reason": reason, "count": 0})
        group["count"] += 1
    return sorted(groups.values(), key=lambda g: (-g["count"], g["reason"].lower()))
