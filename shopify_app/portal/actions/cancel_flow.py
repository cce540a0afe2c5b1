"""The cancel flow: a reason, maybe a retention offer, then the final confirmation.

Three steps, each one request that proves everything again from the server's own records:
`choose_reason` (the reason must be one of the merchant's) opens a `CancelAttempt` and says
whether an offer comes next; `answer_offer` runs the offer the attempt was shown (never one the
form names on its own) or records the refusal; `confirm` cancels. The proxy portal and the
customer-account backend both call these, so one set of rules holds everywhere. A refused
step raises with a stable code and applies nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date

from shopify_app.errors import NotFound
from shopify_app.merchant import cancel_reasons, policy
from shopify_app.merchant.cancel_reasons import Offer, Reason
from shopify_app.portal.actions import contract_edits, status_actions
from shopify_app.portal.actions.requests import ActionRequest, int_field, text_field
from shopify_app.portal.errors import ActionDisabled, InvalidInput
from shopify_app.portal.views.formatting import local_date
from shopify_app.portal.views.reads import load_contract
from shopify_app.portal.views.viewmodels import ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import CancelAttempt, PortalEvent

MAX_TEXT = 400  # the customer's own words for a free-text reason
STEPS = ("reason", "accept", "decline", "confirm")


class UnknownReason(InvalidInput):
    code = "unknown_reason"


class OfferNotOffered(InvalidInput):
    """The form names an offer this attempt was not shown (a forged or stale form)."""

    code = "offer_not_offered"


class OfferUnavailable(InvalidInput):
    """The offer's kind is switched off, missing, or does not fit the subscription now."""

    code = "offer_unavailable"


class AttemptInvalid(InvalidInput):
    code = "cancel_attempt_invalid"


@dataclass(frozen=True)
class Step:
    """Where the customer is after a step, and what to show."""

    next: str  # offer | confirm | saved | cancelled | swap
    attempt: CancelAttempt
    detail: ContractDetail
    reason: Reason
    offer: Offer | None = None
    message_key: str | None = None
    message_params: dict[str, str] = field(default_factory=dict)


def next_order_day(detail: ContractDetail, timezone: str) -> date | None:
    moment = detail.contract.next_billing_date
    return local_date(moment, timezone or "UTC") if moment else None


def available_offer(
    detail: ContractDetail, shop_reason: Reason, req: ActionRequest
) -> Offer | None:
    """The reason's offer when it can run on this contract right now, else None."""
    offer = shop_reason.offer
    if not cancel_reasons.offer_available(req.shop, offer, detail.contract.status):
        return None
    if offer is not None and offer.kind == "skip" and detail.next_unskipped is None:
        return None  # nothing left to skip
    return offer


async def _load(admin: AdminClient, req: ActionRequest) -> ContractDetail:
    if not policy.action_enabled(req.shop, "cancel"):
        raise ActionDisabled("This store does not offer this change online.")
    detail = await load_contract(admin, req.shop, req.customer_id, req.contract_id, req.now)
    if not policy.action_available(req.shop, "cancel", detail.contract.status):
        raise ActionDisabled("This change is not possible for this subscription right now.")
    return detail


async def _attempt(req: ActionRequest) -> CancelAttempt:
    """The customer's open attempt on this contract that the form names, or a refusal."""
    ident = int_field(req.form, "attempt")
    attempt = None
    if ident is not None and ident < 2**62:
        attempt = await CancelAttempt.get_or_none(
            id=ident, shop_id=req.shop.id, customer_id=req.customer_id,
            contract_id=req.contract_id,
        )
    if attempt is None or attempt.outcome != "open":
        raise AttemptInvalid("Please start again.", extra={"field": "attempt"})
    return attempt


async def open_attempt(req: ActionRequest) -> CancelAttempt | None:
    try:
        return await _attempt(req)
    except AttemptInvalid:
        return None


async def resume(admin: AdminClient, req: ActionRequest, attempt: CancelAttempt) -> Step:
    """Where an open attempt stands: its offer again while unanswered and still available."""
    reason = _reason_of(req, attempt)
    detail = await _load(admin, req)
    offer = available_offer(detail, reason, req)
    if attempt.offer_response is None and offer is not None and offer.kind == attempt.offer_kind:
        return Step("offer", attempt, detail, reason, offer)
    return Step("confirm", attempt, detail, reason)


def _reason_of(req: ActionRequest, attempt: CancelAttempt) -> Reason:
    reason = cancel_reasons.find(req.shop, attempt.reason_key)
    if reason is None:  # the merchant removed it meanwhile: the attempt goes on without offer
        return Reason(attempt.reason_key, attempt.reason_label)
    return reason


async def choose_reason(admin: AdminClient, req: ActionRequest) -> Step:
    """Step 1: a reason of the merchant's list (and free text where it takes some)."""
    key = text_field(req.form, "reason", 40)
    reason = cancel_reasons.find(req.shop, key) if key else None
    if reason is None:
        raise UnknownReason("Please choose one of the reasons.", extra={"field": "reason"})
    # `reason_text` from the extension; `text_<key>`, the box under that reason, from the page.
    text = ""
    if reason.free_text:
        text = text_field(req.form, "reason_text", MAX_TEXT) \
            or text_field(req.form, f"text_{reason.key}", MAX_TEXT)
    detail = await _load(admin, req)
    offer = available_offer(detail, reason, req)
    attempt = await CancelAttempt.create(
        shop_id=req.shop.id,
        customer_id=req.customer_id,
        contract_id=req.contract_id,
        reason_key=reason.key,
        reason_label=reason.admin_label[:80],
        reason_text=text,
        offer_kind=offer.kind if offer else None,
        created_at=req.now,
    )
    return Step("offer" if offer else "confirm", attempt, detail, reason, offer)


async def answer_offer(admin: AdminClient, req: ActionRequest, *, accept: bool) -> Step:
    """Step 2: the offer this attempt was shown, accepted (it runs) or declined."""
    attempt = await _attempt(req)
    named = text_field(req.form, "offer", 24)
    if attempt.offer_kind is None or attempt.offer_response is not None \
            or named != attempt.offer_kind:
        raise OfferNotOffered("This offer is not available here.", extra={"field": "offer"})
    reason = _reason_of(req, attempt)
    detail = await _load(admin, req)
    offer = available_offer(detail, reason, req)
    if offer is None or offer.kind != attempt.offer_kind:
        raise OfferUnavailable("This offer is no longer available.", extra={"field": "offer"})
    if not accept:
        attempt.offer_response, attempt.responded_at = "declined", req.now
        await attempt.save(update_fields=["offer_response", "responded_at"])
        return Step("confirm", attempt, detail, reason, offer)
    key, params = await _run_offer(admin, req, detail, offer)
    attempt.offer_response, attempt.responded_at = "accepted", req.now
    attempt.outcome, attempt.ended_at = "saved", req.now
    await attempt.save(update_fields=["offer_response", "responded_at", "outcome", "ended_at"])
    return Step("swap" if offer.kind == "swap" else "saved", attempt, detail, reason, offer,
                key, params)


async def confirm(admin: AdminClient, req: ActionRequest) -> Step:
    """Step 3: the subscription is cancelled, with the reason kept for the merchant."""
    attempt = await _attempt(req)
    reason = _reason_of(req, attempt)
    detail = await _load(admin, req)
    words = reason.admin_label + (f": {attempt.reason_text}" if attempt.reason_text else "")
    cancel_req = replace(req, action="cancel", form={"reason": words[:status_actions.MAX_REASON]})
    await status_actions.cancel(admin, cancel_req, detail)
    await _event(req, "cancel", {"reason": words, "reason_key": reason.key,
                                  "attempt": attempt.id})
    if attempt.offer_kind and attempt.offer_response is None:
        attempt.offer_response, attempt.responded_at = "declined", req.now
    attempt.outcome, attempt.ended_at = "cancelled", req.now
    await attempt.save(update_fields=["offer_response", "responded_at", "outcome", "ended_at"])
    return Step("cancelled", attempt, detail, reason, None, "flash.cancel")


async def _event(req: ActionRequest, action: str, detail: dict[str, object]) -> None:
    await PortalEvent.create(shop_id=req.shop.id, customer_id=req.customer_id,
                             contract_id=req.contract_id, action=action,
                             detail=json.dumps(detail))


async def _run_offer(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail, offer: Offer
) -> tuple[str, dict[str, str]]:
    """Run the offer's action with the merchant's parameters; the success message."""
    run = replace(req, action=offer.action, form={})
    if offer.kind == "pause" and offer.months:
        # "Pause for N months": the next order moves N months on and the subscription stays
        # active, so it resumes by itself (Shopify's pause has no end date).
        until = cancel_reasons.pause_until(next_order_day(detail, req.shop.timezone),
                                           req.now.date(), offer.months)
        variables = {"contractId": detail.contract.gid, "date": f"{until.isoformat()}T12:00:00Z"}
        await admin.mutate(req.shop, "SubscriptionContractSetNextBillingDate", variables,
                           payload="subscriptionContractSetNextBillingDate")
        await _event(req, "pause", {"months": offer.months, "until": until.isoformat()})
        return "cancel_flow.saved_pause_months", {"date": until.isoformat()}
    if offer.kind == "swap":
        # The swap choices are the swap action's own form: the customer is taken there.
        await _event(req, "cancel_offer_swap", {})
        return "cancel_flow.saved_swap", {}
    if offer.kind == "change_frequency":
        run = replace(run, form={"frequency": text_field(req.form, "frequency", 32)})
    if offer.kind == "discount":
        run = replace(run, form={"code": offer.code})
    handler = {
        "pause": status_actions.pause,
        "skip": status_actions.skip,
        "change_frequency": contract_edits.change_frequency,
        "discount": contract_edits.apply_discount,
    }.get(offer.kind)
    if handler is None:
        raise NotFound("There is no such change.", code="unknown_action")
    event_detail = await handler(admin, run, detail)
    await PortalEvent.create(shop_id=req.shop.id, customer_id=req.customer_id,
                             contract_id=req.contract_id, action=offer.action,
                             detail=event_detail)
    return f"cancel_flow.saved_{offer.kind}", {}
