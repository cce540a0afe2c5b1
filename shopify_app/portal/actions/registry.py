"""The self-service actions' registry and dispatch, each one Admin API use case with Shopify's
`userErrors` surfaced.

Every action: known and enabled for the shop → input checked → contract loaded and proven to
be the visitor's (`reads.load_contract`) → fitting its status → mutation(s) → `PortalEvent`.
The handlers live in `status_actions` (one mutation) and `contract_edits` (through a draft).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shopify_app.errors import NotFound
from shopify_app.merchant import policy
from shopify_app.portal.actions import (
    addons,
    addresses,
    contract_edits,
    order_now,
    pause_until,
    status_actions,
    swap,
)
from shopify_app.portal.actions.requests import ActionRequest, Handler, Outcome
from shopify_app.portal.errors import ActionDisabled
from shopify_app.portal.views.reads import load_contract
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import PortalEvent

__all__ = ["HANDLERS", "ActionRequest", "ActionResult", "Handler", "perform"]


@dataclass(frozen=True)
class ActionResult:
    message_key: str  # catalogue key of the success message
    params: Mapping[str, object] = field(default_factory=dict)  # the message's values


HANDLERS: dict[str, Handler] = {
    "pause": status_actions.pause,
    "resume": status_actions.resume,
    "cancel": status_actions.cancel,
    "skip": status_actions.skip,
    "unskip": status_actions.unskip,
    "set_next_date": status_actions.set_next_date,
    "change_frequency": contract_edits.change_frequency,
    "change_quantity": contract_edits.change_quantity,
    "change_address": addresses.change_address,
    "payment_email": status_actions.payment_email,
    "apply_discount": contract_edits.apply_discount,
    "remove_discount": contract_edits.remove_discount,
    "order_now": order_now.order_now,
    "pause_until": pause_until.pause_until,
    "delay": pause_until.delay,
    "swap": swap.swap,
    "add_on": addons.add_on,
    "remove_add_on": addons.remove_add_on,
}


async def perform(admin: AdminClient, req: ActionRequest) -> ActionResult:
    """Run one action for the visitor, or raise (nothing applied) with a stable code."""
    handler = HANDLERS.get(req.action)
    if handler is None:
        raise NotFound("There is no such change.", code="unknown_action")
    if not policy.action_enabled(req.shop, req.action):
        raise ActionDisabled("This store does not offer this change online.")
    detail = await load_contract(admin, req.shop, req.customer_id, req.contract_id, req.now)
    if not policy.action_available(req.shop, req.action, detail.contract.status):
        raise ActionDisabled("This change is not possible for this subscription right now.")
    outcome = await handler(admin, req, detail)
    if not isinstance(outcome, Outcome):
        outcome = Outcome(outcome, f"flash.{req.action}")
    await PortalEvent.create(
        shop_id=req.shop.id,
        customer_id=req.customer_id,
        contract_id=req.contract_id,
        action=req.action,
        detail=outcome.detail,
    )
    return ActionResult(message_key=outcome.message_key, params=outcome.params)
