"""Carrying out "pause until": resume a contract on the day its customer chose.

Two ways reach `resume_one`, both idempotent: the `resume_contract` job scheduled for the day,
and the `resume_due` sweep (every few minutes), which finds due rows whose job was lost (an
in-memory queue dies with its process) or failed. A row is claimed by a conditional update
(`pending` → `running`), so two workers never both act; a claim left `running` by a process
that died is taken back after `STALE_CLAIM`.

The contract is read from Shopify first: only a contract still PAUSED is resumed. Cancelled,
expired or already active (resumed by hand) → `void`, nothing done; so is a contract the
customer paused or resumed again in the portal after choosing the date (their later choice
wins). A Shopify failure puts the row back to `pending` for the next attempt.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.expressions import Q

from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import PortalEvent, ScheduledResume, Shop

logger = logging.getLogger("shopify_app.tasks.resumes")

RESUME_DUE_CRON = "*/5 * * * *"
STALE_CLAIM = timedelta(minutes=15)
CONTRACT_GID = "gid://shopify/SubscriptionContract/"
# Later choices of the customer that override a scheduled resume.
_OVERRIDING = ("pause", "resume", "cancel")


async def _claim(row_id: int, now: datetime) -> ScheduledResume | None:
    stale = now - STALE_CLAIM
    taken = await ScheduledResume.filter(
        Q(status="pending") | Q(status="running", updated_at__lt=stale),
        id=row_id, resume_at__lte=now,
    ).update(status="running", updated_at=now)
    return await ScheduledResume.get_or_none(id=row_id) if taken else None


async def _finish(row: ScheduledResume, status: str, outcome: str, now: datetime) -> str:
    row.status, row.outcome, row.updated_at = status, outcome, now
    await row.save(update_fields=["status", "outcome", "updated_at"])
    return outcome


async def _overridden(row: ScheduledResume, chosen_at: datetime) -> bool:
    return await PortalEvent.filter(
        shop_id=row.shop_id, contract_id=row.contract_id, action__in=_OVERRIDING,
        created_at__gt=chosen_at,
    ).exists()


async def resume_one(admin: AdminClient, row_id: int, now: datetime) -> str:
    """Resume the contract of row `row_id` if it is due and still wanted; what happened:
    `resumed`, `not_due` (not yet, or someone else holds or did it), or why nothing was done."""
    pending = await ScheduledResume.get_or_none(id=row_id)
    if pending is None or pending.status not in ("pending", "running"):
        return "not_due"
    chosen_at = pending.updated_at  # when the customer chose the date (before our claim)
    row = await _claim(row_id, now)
    if row is None:
        return "not_due"
    try:
        shop = await Shop.get_or_none(id=row.shop_id)
        if shop is None or not shop.installed:
            return await _finish(row, "void", "shop_uninstalled", now)
        if await _overridden(row, chosen_at):
            return await _finish(row, "void", "changed_by_customer", now)
        gid = f"{CONTRACT_GID}{row.contract_id}"
        data = await admin.query(shop, "SubscriptionContractStatus", {"contractId": gid})
        contract = data.get("subscriptionContract") or {}
        status = str(contract.get("status") or "MISSING")
        if status != "PAUSED":
            return await _finish(row, "void", f"contract_{status.lower()}", now)
        await admin.mutate(shop, "SubscriptionContractActivate", {"contractId": gid},
                           payload="subscriptionContractActivate")
        await PortalEvent.create(shop_id=row.shop_id, customer_id=row.customer_id,
                                 contract_id=row.contract_id, action="auto_resume",
                                 detail=row.resume_on.isoformat())
        return await _finish(row, "done", "resumed", now)
    except ShopifyUserErrors as exc:
        # Shopify refused (e.g. the contract ended between our read and the mutation): final.
        logger.info("scheduled resume %s refused: %s", row_id, exc.detail)
        return await _finish(row, "void", "refused", now)
    except BaseException:
        row.status = "pending"  # the sweep tries again
        await row.save(update_fields=["status"])
        raise


async def due_ids(now: datetime, limit: int = 500) -> list[int]:
    stale = now - STALE_CLAIM
    rows = await ScheduledResume.filter(
        Q(status="pending") | Q(status="running", updated_at__lt=stale), resume_at__lte=now
    ).order_by("resume_at").limit(limit).values_list("id", flat=True)
    return [int(str(r)) for r in rows]


async def resume_due(admin: AdminClient, now: datetime) -> dict[str, int]:
    """Every due resume, one by one; a failing one does not stop the others."""
    outcomes: dict[str, int] = {}
    for row_id in await due_ids(now):
        try:
            outcome = await resume_one(admin, row_id, now)
        except Exception:  # logged; the row is pending again for the next sweep
            logger.exception("scheduled resume %s failed", row_id)
            outcome = "failed"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
