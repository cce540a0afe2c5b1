"""The proxy portal's cancel flow: `POST …/contracts/<id>/cancel_flow/<step>`.

Like `flows.act`: the session is checked and the page's nonce spent (one step per rendered
page), the step runs (`actions.cancel_flow`), and the answer is a whole page: the offer, the
final confirmation, or the subscription with the outcome, which takes the focus.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from shopify_app.errors import NotFound
from shopify_app.locales import i18n
from shopify_app.merchant import cancel_reasons
from shopify_app.portal import flows, refusals, swap_flow
from shopify_app.portal.actions import cancel_flow
from shopify_app.portal.actions.requests import ActionRequest
from shopify_app.portal.entry import guard, spending
from shopify_app.portal.entry.guard import ProxyContext, Visitor
from shopify_app.portal.errors import FormReplayed, InvalidInput
from shopify_app.portal.views import cancel_pages, formatting, pages, reads
from shopify_app.portal.views.layout import Frame, Page
from shopify_app.portal.views.read_cache import ReadCache
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.state import AppState
from shopify_app.storage.models import Shop

# What a refused reason form gets back (never the session, nor hidden ids).
_RETAINED = ("reason", "frequency")


def _frame(context: ProxyContext, visitor: Visitor, contract_id: int, now: datetime,
           focus: str | None = None, retained: Mapping[str, str] | None = None) -> Frame:
    frame = flows.frame_for(context, visitor, focus=focus,
                            view_path=f"/contracts/{contract_id}", now=now)
    return replace(frame, retained=dict(retained or {}))


def _retained(form: Mapping[str, str]) -> dict[str, str]:
    return {k: v[:400] for k, v in form.items() if k in _RETAINED or k.startswith("text_")}


def _step_page(frame: Frame, shop: Shop, step: cancel_flow.Step, now: datetime,
               message: str | None = None, error: bool = False, status: int = 200) -> Page:
    if step.next == "offer" and step.offer is not None:
        until = None
        if step.offer.kind == "pause" and step.offer.months:
            day = cancel_flow.next_order_day(step.detail, frame.timezone)
            until = cancel_reasons.pause_until(day, now.date(), step.offer.months)
        return cancel_pages.offer_page(frame, shop, step.detail,
                                       attempt_id=step.attempt.id, offer=step.offer,
                                       pause_until=until, message=message, error=error,
                                       status=status)
    return cancel_pages.confirm_page(frame, step.detail, attempt_id=step.attempt.id,
                                     reason=step.reason, reason_text=step.attempt.reason_text,
                                     message=message, error=error, status=status)


async def run_step(
    state: AppState,
    context: ProxyContext,
    contract_id: int,
    step_name: str,
    form: Mapping[str, str],
    session_value: str | None,
    now: datetime,
    seen: list[Visitor],
    cache: ReadCache | None = None,
) -> Page:
    if step_name not in cancel_flow.STEPS:
        raise NotFound("There is no such page in the portal.")
    visitor = await guard.visitor_from_session(context, state.keyring, session_value, now)
    seen.append(visitor)
    presented = visitor.presented
    assert presented is not None  # a visitor from a session value always has one
    if not await spending.spend(
        f"{spending.NONCE_PREFIX}{presented.nonce}",
        shop=visitor.shop,
        customer_id=visitor.customer_id,
        expires_at=presented.expires_at,
        now=now,
    ):
        raise FormReplayed("This form was already submitted. Here is the current state.")
    req = ActionRequest(shop=visitor.shop, customer_id=visitor.customer_id,
                        contract_id=contract_id, action="cancel", form=form, now=now)
    t = i18n.catalogue(visitor.locale)
    try:
        if step_name == "reason":
            step = await cancel_flow.choose_reason(state.admin, req)
        elif step_name in ("accept", "decline"):
            step = await cancel_flow.answer_offer(state.admin, req, accept=step_name == "accept")
        else:
            step = await cancel_flow.confirm(state.admin, req)
    except (ShopifyUserErrors, InvalidInput) as exc:
        return await _refused(state, context, visitor, req, step_name, exc, now, cache)
    finally:
        if cache is not None:
            cache.forget(visitor.shop.id, visitor.customer_id)
    if step.next in ("offer", "confirm"):
        # The new step's card takes the focus (its heading names it for screen readers).
        frame = _frame(context, visitor, contract_id, now, focus=step.next)
        return _step_page(frame, visitor.shop, step, now)
    # Saved or cancelled: the subscription as it now stands, the outcome focused.
    message = t.t(step.message_key or "flash.cancel", **_message_params(t, step))
    detail = await reads.load_contract(state.admin, visitor.shop, visitor.customer_id,
                                       contract_id, now)
    if step.next == "swap":
        # "Try another product": a subscription of one product goes straight to its choices;
        # with several, the subscription's products panel (one "Change" button each) is focused.
        lines = [line for line in detail.contract.lines if line.variant_gid]
        if len(lines) == 1:
            frame = _frame(context, visitor, contract_id, now, focus="swap")
            return await swap_flow.open_swap(state.admin, frame, visitor.shop,
                                             visitor.customer_id, contract_id,
                                             {"line_id": lines[0].gid}, now)
        frame = _frame(context, visitor, contract_id, now, focus="products")
        return pages.contract_page(frame, visitor.shop, detail, message)
    frame = _frame(context, visitor, contract_id, now)
    return pages.contract_page(frame, visitor.shop, detail, message)


def _message_params(t: i18n.Catalogue, step: cancel_flow.Step) -> dict[str, str]:
    params = dict(step.message_params)
    if "date" in params:
        params["date"] = formatting.day(t, date.fromisoformat(params["date"]))
    return params


async def _refused(state: AppState, context: ProxyContext, visitor: Visitor,
                   req: ActionRequest, step_name: str, exc: InvalidInput | ShopifyUserErrors,
                   now: datetime, cache: ReadCache | None) -> Page:
    """A refused step: the offer page again when the offer's own change failed (the customer
    may still decline), else the subscription with the cancel disclosure open."""
    t = i18n.catalogue(visitor.locale)
    message = cancel_refusal_text(t, exc)
    if step_name == "accept" and exc.code not in _STALE:
        attempt = await cancel_flow.open_attempt(req)
        if attempt is not None:
            step = await cancel_flow.resume(state.admin, req, attempt)
            if step.next == "offer":
                frame = _frame(context, visitor, req.contract_id, now,
                               retained=_retained(req.form))
                return _step_page(frame, visitor.shop, step, now, message, True, exc.status)
    detail = await reads.load_contract(state.admin, visitor.shop, visitor.customer_id,
                                       req.contract_id, now)
    frame = _frame(context, visitor, req.contract_id, now, focus="cancel",
                   retained=_retained(req.form) if step_name == "reason" else None)
    return pages.contract_page(frame, visitor.shop, detail, message, error=True,
                               status=exc.status)


_STALE = frozenset({"offer_not_offered", "offer_unavailable", "cancel_attempt_invalid"})


def cancel_refusal_text(t: i18n.Catalogue, exc: InvalidInput | ShopifyUserErrors) -> str:
    """The flow's own refusals by code; anything else as every portal refusal reads."""
    if exc.code in _STALE or exc.code == "unknown_reason":
        return t.t(f"cancel_flow.refused.{exc.code}")
    return refusals.refusal_text(t, exc)
