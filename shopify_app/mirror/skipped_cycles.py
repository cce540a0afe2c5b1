"""Skipped billing cycles we know of (`SkippedCycle`), written by the portal's skip/unskip actions
and by the `subscription_billing_cycles/skip|unskip` webhooks (Shopify's payload names the
contract, the cycle's index and its `billing_attempt_expected_date`).

The rows are only a hint for the overview (see `portal/views/next_orders`): a stale row costs one
small extra read, never a wrong page, because the page then reads the cycles from Shopify. Events
arrive out of order (a retried webhook, our own action then its webhook): each row keeps the time
of the event that set it, and an older event never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from shopify_app.shopify import gids
from shopify_app.storage.models import Shop, SkippedCycle


async def record(
    shop_id: int,
    contract_id: int,
    cycle_index: int,
    expected_at: datetime,
    *,
    skipped: bool,
    event_at: datetime,
) -> bool:
    """Remember that the cycle is (un)skipped as of `event_at`. True when the row changed."""
    values: dict[str, Any] = {"expected_at": expected_at, "skipped": skipped, "event_at": event_at}
    key: dict[str, Any] = {
        "shop_id": shop_id,
        "contract_id": contract_id,
        "cycle_index": cycle_index,
    }
    # Conditional on the event time: of two racing writers the older loses.
    if await SkippedCycle.filter(**key, event_at__lte=event_at).update(**values):
        return True
    if await SkippedCycle.filter(**key).exists():
        return False  # a newer event is already recorded
    try:
        await SkippedCycle.create(**key, **values)
    except IntegrityError:
        # Another writer created it meanwhile: apply ours only if it is the newer one.
        return bool(await SkippedCycle.filter(**key, event_at__lte=event_at).update(**values))
    return True


async def apply_webhook(
    shop_domain: str, payload: Mapping[str, Any], *, skipped: bool, event_at: datetime
) -> bool:
    """A `subscription_billing_cycles/skip` (or `/unskip`) delivery. False when the payload
    lacks what the row needs (nothing recorded, the overview keeps Shopify's date)."""
    contract_id = gids.numeric_id(
        payload.get("admin_graphql_api_subscription_contract_id")
    ) or gids.numeric_id(payload.get("subscription_contract_id"))
    index = payload.get("cycle_index")
    expected_at = gids.parse_datetime(payload.get("billing_attempt_expected_date"))
    if contract_id is None or not isinstance(index, int) or isinstance(index, bool):
        return False
    if expected_at is None or not 0 <= index < 2**31:
        return False
    shop = await Shop.get_or_none(domain=shop_domain).only("id")
    if shop is None:
        return False
    state = payload.get("skipped")
    if isinstance(state, bool):
        skipped = state  # the cycle's state after the event, when Shopify says it
    return await record(
        shop.id, contract_id, index, expected_at, skipped=skipped, event_at=event_at
    )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


async def skipped_days(shop_id: int, contract_ids: Iterable[int]) -> dict[int, dict[date, int]]:
    """Per contract, the (UTC) days of the cycles known to be skipped, with each cycle's index.
    One indexed query."""
    ids = sorted(set(contract_ids))
    if not ids:
        return {}
    rows = await SkippedCycle.filter(
        shop_id=shop_id, contract_id__in=ids, skipped=True
    ).values_list("contract_id", "expected_at", "cycle_index")
    found: dict[int, dict[date, int]] = {}
    for contract_id, expected_at, index in rows:
        found.setdefault(int(contract_id), {})[_utc(expected_at).date()] = int(index)
    return found


async def purge(now: datetime) -> int:
    """Rows of cycles whose date has passed: Shopify's `nextBillingDate` has moved beyond."""
    return await SkippedCycle.filter(expected_at__lt=now).delete()
