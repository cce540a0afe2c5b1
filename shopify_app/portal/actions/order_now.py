"""Order now: bill and ship the next order today (`subscriptionBillingCycleCharge` for the
next cycle that is not skipped), after a confirmation that states the amount.

Billing must happen once per cycle whatever the clicks, tabs or processes: an `OrderNowClaim`
row for (contract, cycle) is inserted BEFORE the mutation, and its uniqueness lets exactly one
request through. Shopify refusing (userErrors) releases the claim, since nothing was billed; any
other failure leaves it (the outcome is unknown, and a second charge is the worse mistake).
The form names the cycle the customer confirmed: if the next order changed meanwhile (skipped,
billed, rescheduled), the confirmation no longer describes it and is refused.
"""

from __future__ import annotations

import json

from tortoise.exceptions import IntegrityError

from shopify_app.portal.actions.requests import ActionRequest, int_field
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import ContractDetail, Cycle
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import OrderNowClaim

ALREADY_PLACED = "order_already_placed"
STALE = "order_changed"
NO_CARD = "no_payment_method"


def next_order(detail: ContractDetail) -> Cycle | None:
    """The cycle "order now" bills: the first upcoming one not skipped, on an active contract."""
    return detail.next_unskipped if detail.contract.status == "ACTIVE" else None


async def order_now(admin: AdminClient, req: ActionRequest, detail: ContractDetail) -> str:
    cycle = next_order(detail)
    confirmed = int_field(req.form, "cycle_index")
    if cycle is None or confirmed != cycle.index:
        raise InvalidInput(
            "The next order changed: please check it and confirm again.",
            code=STALE,
            extra={"field": "cycle_index"},
        )
    payment = detail.contract.payment
    if payment is None or payment.revoked:
        raise InvalidInput("This subscription has no card to charge.", code=NO_CARD)
    try:
        claim = await OrderNowClaim.create(
            shop_id=req.shop.id,
            customer_id=req.customer_id,
            contract_id=detail.contract.id,
            cycle_index=cycle.index,
        )
    except IntegrityError:
        raise InvalidInput(
            "This order is already placed.", code=ALREADY_PLACED, status=409
        ) from None
    try:
        await admin.mutate(
            req.shop,
            "SubscriptionBillingCycleCharge",
            {"contractId": detail.contract.gid, "cycleIndex": cycle.index},
            payload="subscriptionBillingCycleCharge",
        )
    except ShopifyUserErrors:
        await claim.delete()  # refused: nothing billed, a later attempt may succeed
        raise
    except BaseException:
        claim.status = "unknown"
        await claim.save(update_fields=["status"])
        raise
    claim.status = "billed"
    await claim.save(update_fields=["status"])
    total = detail.contract.estimated_total()
    return json.dumps(
        {"cycle_index": cycle.index, "estimate": str(total) if total is not None else ""}
    )
