"""The cancel flow for the customer account extension: the proxy portal's own steps
(`actions.cancel_flow`), answered as JSON the extension renders.

`GET …/subscriptions/<id>/cancel-flow`: the reasons to choose from. `POST …/cancel-flow/<step>`
(`reason`, `accept`, `decline`, `confirm`) with the same fields as the proxy portal's forms
(`reason`, `reason_text`, `attempt`, `offer`, `frequency`): `{step: "offer" | "confirm", …}`
for the next page, or `{step: "saved" | "cancelled", subscription…, message}` at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shopify_app.errors import NotFound
from shopify_app.merchant import cancel_reasons
from shopify_app.portal.actions import cancel_flow
from shopify_app.portal.actions.requests import ActionRequest
from shopify_app.portal.customer_account import payloads, service
from shopify_app.portal.customer_account.guard import AccountCustomer
from shopify_app.portal.views import reads
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyQueryError


def _reason(reason: cancel_reasons.Reason) -> dict[str, Any]:
    # `label` null: a default the merchant has not renamed, worded by the extension's locale.
    return {"key": reason.key, "label": reason.label, "freeText": reason.free_text}


async def reasons(admin: AdminClient, customer: AccountCustomer, contract_id: int,
                  now: datetime) -> dict[str, Any]:
    """The merchant's reasons, once the subscription is proven the customer's."""
    await service.show_subscription(admin, customer, contract_id, now)
    return {"reasons": [_reason(r) for r in cancel_reasons.reasons(customer.shop)]}


def _offer(step: cancel_flow.Step, shop_timezone: str, now: datetime) -> dict[str, Any]:
    offer = step.offer
    assert offer is not None
    data: dict[str, Any] = {"kind": offer.kind, "months": offer.months,
                            "code": offer.code or None, "date": None}
    if offer.kind == "pause" and offer.months:
        day = cancel_flow.next_order_day(step.detail, shop_timezone)
        data["date"] = cancel_reasons.pause_until(day, now.date(), offer.months).isoformat()
    cycle = step.detail.next_unskipped
    if offer.kind == "skip" and cycle is not None and cycle.expected_at is not None:
        data["date"] = cycle.expected_at.date().isoformat()
    return data


async def step(admin: AdminClient, customer: AccountCustomer, contract_id: int, name: str,
               form: Mapping[str, str], now: datetime) -> dict[str, Any]:
    if name not in cancel_flow.STEPS:
        raise NotFound("There is no such step.", code="unknown_action")
    req = ActionRequest(shop=customer.shop, customer_id=customer.customer_id,
                        contract_id=contract_id, action="cancel", form=form, now=now)
    try:
        if name == "reason":
            done = await cancel_flow.choose_reason(admin, req)
        elif name in ("accept", "decline"):
            done = await cancel_flow.answer_offer(admin, req, accept=name == "accept")
        else:
            done = await cancel_flow.confirm(admin, req)
    except ShopifyQueryError as error:
        raise await service.missing_unless_owned(admin, customer, contract_id, error) from None
    base: dict[str, Any] = {"step": done.next, "attempt": done.attempt.id,
                            "reason": _reason(done.reason),
                            "reasonText": done.attempt.reason_text}
    if done.next == "offer":
        contract = done.detail.contract
        current = (f"{contract.delivery_interval or contract.billing_interval}:"
                   f"{contract.delivery_count or contract.billing_count}")
        return {**base, "offer": _offer(done, customer.shop.timezone, now),
                "frequencies": [f for f in payloads.frequencies(customer.shop)
                                if f["key"] != current]}
    if done.next == "confirm":
        return base
    detail = await reads.load_contract(admin, customer.shop, customer.customer_id,
                                       contract_id, now)
    return {**base, "step": "saved" if done.next == "swap" else done.next,
            **payloads.detail(customer.shop, detail, now.date()), "message": done.message_key,
            "messageParams": done.message_params}
