"""The contract page's "order now" confirmation and its "pause until a date" / "delay" forms,
shown only where the shop enables them and the status allows (the server checks again).

Order now sits in a `<details>` disclosure: opening it is the confirmation step (no script
needed), and it states the amount and the card before the button that bills."""

from __future__ import annotations

from datetime import datetime, timedelta

from shopify_app.portal.actions.order_now import next_order
from shopify_app.portal.actions.pause_until import DELAY_WEEKS, PAUSE_HORIZON
from shopify_app.portal.views import formatting
from shopify_app.portal.views.formatting import local_date
from shopify_app.portal.views.layout import Frame, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.page_actions import can, section, text_input
from shopify_app.portal.views.texts import money_text
from shopify_app.portal.views.viewmodels import ContractDetail
from shopify_app.storage.models import Shop


def _day(frame: Frame, moment: datetime | None) -> str:
    return formatting.day(frame.t, local_date(moment, frame.timezone)) if moment else ""


def order_now_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    t = frame.t.t
    contract = detail.contract
    cycle = next_order(detail)
    payment = contract.payment
    if not can(shop, detail, "order_now") or cycle is None or payment is None or payment.revoked:
        return Markup("")
    total = contract.estimated_total()
    card = t("contract.card", brand=payment.brand or t("contract.card_generic"),
             last=payment.last_digits)
    amount = money_text(frame, total) if total is not None else ""
    body = render(
        '<p data-testid="order-now-terms">$terms</p><p class="sp-muted">$note</p>',
        terms=t("order_now.terms", amount=amount, card=card) if amount
        else t("order_now.terms_no_amount", card=card),
        note=t("order_now.note", date=_day(frame, cycle.expected_at)),
    )
    form = post_form(
        frame,
        f"/contracts/{contract.id}/order_now",
        t("order_now.confirm", amount=amount) if amount else t("action.order_now"),
        testid="action-order-now",
        fields=body,
        hidden_fields={"cycle_index": str(cycle.index)},
        form_class="",
    )
    return render(
        '<section class="sp-card" id="order-now" tabindex="-1" aria-labelledby="order-now-h">'
        '<h2 id="order-now-h" class="sp-visually-hidden">$h</h2>'
        '<details class="sp-disclosure"$open><summary data-testid="order-now-disclosure">'
        '<span class="sp-summary-title">$s</span></summary>'
        '<div class="sp-disclosure-body">$f</div></details></section>',
        h=t("section.order_now"),
        open=attrs(open=frame.focus == "order-now"),
        s=t("order_now.summary"),
        f=form,
    )


def _pause_until_form(frame: Frame, detail: ContractDetail) -> Markup:
    t = frame.t.t
    cid = detail.contract.id
    limits, hint = Markup(""), Markup("")
    if frame.today is not None:
        first, last = frame.today + timedelta(days=1), frame.today + PAUSE_HORIZON
        limits = attrs(min=first.isoformat(), max=last.isoformat(),
                       aria_describedby=f"sp-{cid}-resume-hint")
        hint = render('<p class="sp-hint sp-muted" id="sp-$cid-resume-hint">$h</p>', cid=cid,
                      h=t("field.resume_on_hint", last=formatting.day(frame.t, last)))
    current = detail.contract.resume_on.isoformat() if detail.contract.resume_on else ""
    value = frame.retained.get("resume_on", current)
    field = Markup(
        text_input(frame, cid, "resume_on", t("field.resume_on"), type_="date", value=value,
                   required=True, extra=limits).removesuffix("</div>") + hint + "</div>"
    )
    return render(
        '<div class="sp-panel" id="pause-until" tabindex="-1">$f</div>',
        f=post_form(frame, f"/contracts/{cid}/pause_until", t("action.pause_until"),
                    testid="action-pause-until", fields=field, button_class="sp-secondary",
                    form_class="sp-row-form"),
    )


def _delay_form(frame: Frame, detail: ContractDetail) -> Markup:
    t = frame.t.t
    contract = detail.contract
    if contract.next_billing_date is None:
        return Markup("")
    base = local_date(contract.next_billing_date, frame.timezone)
    options = join(
        render("<option$a>$l</option>", a=attrs(value=str(weeks), selected=weeks == 1),
               l=formatting.plural(frame.t, "delay.option", weeks,
                                   date=formatting.day(frame.t, base + timedelta(weeks=weeks))))
        for weeks in DELAY_WEEKS
    )
    select = render(
        '<div class="sp-field sp-wide"><label for="sp-$cid-weeks">$l</label>'
        '<select id="sp-$cid-weeks" name="weeks">$o</select></div>',
        cid=contract.id, l=t("field.weeks"), o=options,
    )
    return render(
        '<div class="sp-panel" id="delay" tabindex="-1">$f</div>',
        f=post_form(frame, f"/contracts/{contract.id}/delay", t("action.delay"),
                    testid="action-delay", fields=select, button_class="sp-secondary",
                    form_class="sp-row-form"),
    )


def later_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Delay the next order, or pause until a chosen day."""
    parts: list[Markup] = []
    if can(shop, detail, "delay") and detail.upcoming:
        parts.append(_delay_form(frame, detail))
    if can(shop, detail, "pause_until"):
        parts.append(_pause_until_form(frame, detail))
    if not parts:
        return Markup("")
    return section("later", frame.t.t("section.later"),
                   render('<div class="sp-two">$p</div>', p=join(parts)))


def schedule_extras(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    return join([order_now_panel(frame, shop, detail), later_panel(frame, shop, detail)])
