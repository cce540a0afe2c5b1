"""Pause until a date, and delay the next order by a few weeks.

"Pause until": the customer picks the day their subscription comes back (from tomorrow to
`PAUSE_HORIZON` ahead). The next order is moved to that day (noon UTC, as `set_next_date`
does) and the contract paused; the date is stored durably (`ScheduledResume`) and a
`resume_contract` job is scheduled for the start of that day. If the job is lost (an
in-memory queue's process restarted) the periodic `resume_due` sweep finds the row anyway;
the job itself does nothing for a contract cancelled, resumed or paused by hand meanwhile
(`tasks/resumes.py`). Choosing again on a paused contract changes the date.

"Delay": the next order moves `weeks` (1-4) later, through `subscriptionContractSetNextBillingDate`.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from shopify_app.jobs import queue
from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import NEXT_DATE_HORIZON, ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import ScheduledResume

PAUSE_HORIZON = timedelta(days=183)  # about six months: the page's date field agrees
DELAY_WEEKS = (1, 2, 3, 4)
PENDING = "pending"


def resume_moment(day: date) -> datetime:
    """When a resume chosen for `day` is due: the start of that day, UTC (its order bills at
    noon UTC the same day)."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _chosen_day(req: ActionRequest) -> date:
    try:
        chosen = date.fromisoformat(text_field(req.form, "resume_on", 10))
    except ValueError as exc:
        raise InvalidInput("Please enter a date.", extra={"field": "resume_on"}) from exc
    today = req.now.date()
    last = today + PAUSE_HORIZON
    if not today < chosen <= last:
        reason = "date_past" if chosen <= today else "date_too_far"
        raise InvalidInput(
            "Please choose a date from tomorrow to six months from now.",
            extra={
                "field": "resume_on",
                "reason": reason,
                "date": chosen.isoformat(),
                "last": last.isoformat(),
            },
        )
    return chosen


async def _set_next_date(admin: AdminClient, req: ActionRequest, gid: str, day: date) -> None:
    await admin.mutate(
        req.shop,
        "SubscriptionContractSetNextBillingDate",
        {"contractId": gid, "date": f"{day.isoformat()}T12:00:00Z"},
        payload="subscriptionContractSetNextBillingDate",
    )


async def pause_until(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    chosen = _chosen_day(req)
    contract = detail.contract
    # The date first: should the pause then fail, the contract is still active with a later
    # order, and nothing is scheduled. The row is written only once both succeeded.
    await _set_next_date(admin, req, contract.gid, chosen)
    if contract.status != "PAUSED":
        await admin.mutate(
            req.shop,
            "SubscriptionContractPause",
            {"contractId": contract.gid},
            payload="subscriptionContractPause",
        )
    due = resume_moment(chosen)
    await ScheduledResume.update_or_create(
        defaults={
            "customer_id": req.customer_id,
            "resume_on": chosen,
            "resume_at": due,
            "status": PENDING,
            "outcome": "",
        },
        shop_id=req.shop.id,
        contract_id=contract.id,
    )
    row = await ScheduledResume.get(shop_id=req.shop.id, contract_id=contract.id)
    # Best effort: without an open queue (or if it is lost) the sweep resumes it anyway.
    await queue.defer(queue.RESUME_CONTRACT, schedule_at=due, resume_id=row.id)
    return json.dumps({"resume_on": chosen.isoformat()})


async def delay(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    weeks = int_field(req.form, "weeks")
    if weeks not in DELAY_WEEKS:
        raise InvalidInput("Please choose from 1 to 4 weeks.", extra={"field": "weeks"})
    current = detail.contract.next_billing_date
    if current is None:
        raise InvalidInput("This subscription has no next order to delay.")
    moved = current.date() + timedelta(weeks=weeks)
    last = req.now.date() + NEXT_DATE_HORIZON
    if moved > last:
        raise InvalidInput(
            "Please choose a shorter delay.",
            extra={"field": "weeks", "reason": "date_too_far", "date": moved.isoformat(),
                   "last": last.isoformat()},
        )
    await _set_next_date(admin, req, detail.contract.gid, moved)
    return json.dumps({"weeks": weeks, "date": moved.isoformat()})
