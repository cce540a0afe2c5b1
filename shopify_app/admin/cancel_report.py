"""The cancel flow's report: saves against cancellations, per reason and per day.

Counted from `cancel_attempts` begun in the period: a save is an accepted offer, a cancellation
a confirmed cancel; an attempt left at the offer or the confirmation is "open". Reasons keep
their key through renames, so a renamed reason stays one row (under its current name).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from shopify_app.merchant import cancel_reasons
from shopify_app.storage.models import CancelAttempt, Shop

_COUNTS = ("attempts", "offers_shown", "accepted", "declined", "saved", "cancelled")


def _rate(saved: int, cancelled: int) -> float | None:
    return round(saved / (saved + cancelled), 4) if saved + cancelled else None


async def cancel_flow_report(shop: Shop, *, days: int, now: datetime) -> dict[str, Any]:
    since = now.date() - timedelta(days=days - 1)
    start = datetime.combine(since, time(0), tzinfo=UTC)
    rows = await CancelAttempt.filter(shop_id=shop.id, created_at__gte=start).values(
        "reason_key", "reason_label", "offer_kind", "offer_response", "outcome", "ended_at"
    )
    current = {r.key: r.admin_label for r in cancel_reasons.reasons(shop)}
    order = {key: n for n, key in enumerate(current)}
    reasons: dict[str, dict[str, Any]] = {}
    offers: dict[str, dict[str, Any]] = {}
    totals = dict.fromkeys(_COUNTS, 0)
    daily = {since + timedelta(days=n): [0, 0] for n in range(days)}
    for row in rows:
        key = row["reason_key"]
        group = reasons.setdefault(key, {
            "key": key, "label": current.get(key, row["reason_label"]),
            **dict.fromkeys(_COUNTS, 0),
        })
        counts = {"attempts": 1, "offers_shown": int(row["offer_kind"] is not None),
                  "accepted": int(row["offer_response"] == "accepted"),
                  "declined": int(row["offer_response"] == "declined"),
                  "saved": int(row["outcome"] == "saved"),
                  "cancelled": int(row["outcome"] == "cancelled")}
        for name, value in counts.items():
            group[name] += value
            totals[name] += value
        if row["offer_kind"]:
            offer = offers.setdefault(row["offer_kind"], {"kind": row["offer_kind"], "shown": 0,
                                                          "accepted": 0})
            offer["shown"] += 1
            offer["accepted"] += counts["accepted"]
        ended = row["ended_at"]
        if ended is not None and row["outcome"] in ("saved", "cancelled"):
            slot = daily.get(ended.astimezone(UTC).date())
            if slot is not None:
                slot[0 if row["outcome"] == "saved" else 1] += 1
    ranked = sorted(reasons.values(),
                    key=lambda g: (-g["attempts"], order.get(g["key"], len(order)), g["key"]))
    for group in ranked:
        group["save_rate"] = _rate(group["saved"], group["cancelled"])
    return {
        "since": since.isoformat(),
        "days": days,
        "totals": {**totals, "open": totals["attempts"] - totals["saved"] - totals["cancelled"],
                   "save_rate": _rate(totals["saved"], totals["cancelled"])},
        "reasons": ranked,
        "offers": sorted(offers.values(), key=lambda o: (-o["shown"], o["kind"])),
        "daily": [{"day": d.isoformat(), "saved": s, "cancelled": c}
                  for d, (s, c) in sorted(daily.items())],
    }
