"""The actions that are one Admin API mutation on the contract (or its payment method).

Pause, resume, cancel, skip/unskip a billing cycle, move the next billing date and send the
payment-method update email: no draft involved, the mutation applies or Shopify rejects it.
"""

from __future__ import annotations

import json
from datetime import date

from shopify_app.mirror import skipped_cycles
from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import NEXT_DATE_HORIZON, ContractDetail
from shopify_app.shopify.client import AdminClient

MAX_REASON = 500


async def _on_contract(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail, operation: str, payload: str
) -> None:
    await admin.mutate(req.shop, operation, {"contractId": detail.contract.gid}, payload=payload)


async def pause(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    await _on_contract(admin, req, detail, "SubscriptionContractPause", "subscriptionContractPause")
    return ""


async def resume(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    await _on_contract(
        admin, req, detail, "SubscriptionContractActivate", "subscriptionContractActivate"
    )
    return ""


async def cancel(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    reason = text_field(req.form, "reason", MAX_REASON)
    await _on_contract(
        admin, req, detail, "SubscriptionContractCancel", "subscriptionContractCancel"
    )
    return json.dumps({"reason": reason}) if reason else ""


async def _skip_or_unskip(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail, skip: bool
) -> str:
    wanted = int_field(req.form, "cycle_index")
    if wanted is None and skip and detail.next_unskipped is not None:
        wanted = detail.next_unskipped.index
    cycle = next((c for c in detail.cycles if c.index == wanted), None)
    if cycle is None or cycle.skipped == skip:
        raise InvalidInput("That order cannot be changed.", extra={"field": "cycle_index"})
    operation = "SubscriptionBillingCycleSkip" if skip else "SubscriptionBillingCycleUnskip"
    payload = "subscriptionBillingCycleSkip" if skip else "subscriptionBillingCycleUnskip"
    variables = {"contractId": detail.contract.gid, "cycleIndex": cycle.index}
    await admin.mutate(req.shop, operation, variables, payload=payload)
    if cycle.expected_at is not None:  # the overview's hint (mirror.skipped_cycles)
        await skipped_cycles.record(req.shop.id, detail.contract.id, cycle.index,
                                    cycle.expected_at, skipped=skip, event_at=req.now)
    return json.dumps({"cycle_index": cycle.index})


async def skip(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    return await _skip_or_unskip(admin, req, detail, True)


async def unskip(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    return await _skip_or_unskip(admin, req, detail, False)


async def set_next_date(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    try:
        chosen = date.fromisoformat(text_field(req.form, "date", 10))
    except ValueError as exc:
        raise InvalidInput("Please enter a date.", extra={"field": "date"}) from exc
    today = req.now.date()
    last = today + NEXT_DATE_HORIZON
    if not today < chosen <= last:
        reason = "date_past" if chosen <= today else "date_too_far"
        raise InvalidInput(
            "Please choose a date from tomorrow to a year from now.",
            extra={
                "field": "date",
                "reason": reason,
                "date": chosen.isoformat(),
                "last": last.isoformat(),
            },
        )
    # Noon UTC keeps the calendar day whatever the shop's time zone.
    variables = {"contractId": detail.contract.gid, "date": f"{chosen.isoformat()}T12:00:00Z"}
    await admin.mutate(
        req.shop,
        "SubscriptionContractSetNextBillingDate",
        variables,
        payload="subscriptionContractSetNextBillingDate",
    )
    return json.dumps({"date": chosen.isoformat()})


async def payment_email(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    payment = detail.contract.payment
    if payment is None or payment.revoked:
        raise InvalidInput("This subscription has no payment method to update.")
    await admin.mutate(
        req.shop,
        "CustomerPaymentMethodSendUpdateEmail",
        {"customerPaymentMethodId": payment.gid},
        payload="customerPaymentMethodSendUpdateEmail",
    )
    return ""
