"""The cancel flow's markup: the reasons in the subscription page's cancel disclosure, the
retention offer page and the final confirmation page.

Plain forms, so the flow works without script; every step posts the attempt's id and the
offer it shows, which the server checks against its own records (`actions.cancel_flow`).
"""

from __future__ import annotations

from datetime import date

from shopify_app.merchant import cancel_reasons, policy
from shopify_app.merchant.cancel_reasons import Offer, Reason
from shopify_app.portal.views import formatting
from shopify_app.portal.views.contract_summary import contract_summary
from shopify_app.portal.views.layout import Frame, Page, document, flash, nav, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.texts import frequency_text
from shopify_app.portal.views.viewmodels import ContractDetail
from shopify_app.storage.models import Shop

FLOW = "cancel_flow"


def reason_label(frame: Frame, reason: Reason) -> str:
    """The merchant's wording, or the app's in the customer's language for an unrenamed default."""
    if reason.label:
        return reason.label
    try:
        return frame.t.t(f"cancel_reason.{reason.key}")
    except KeyError:
        return reason.admin_label


def reason_fields(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """The reasons as radio buttons; a free-text reason has its own box right under it."""
    t = frame.t.t
    cid = detail.contract.id
    chosen = frame.retained.get("reason", "")
    items: list[Markup] = []
    for reason in cancel_reasons.reasons(shop):
        ident = f"sp-{cid}-reason-{reason.key}"
        extra = Markup("")
        if reason.free_text:
            extra = render(
                '<div class="sp-field sp-choice-more"><label for="$id-text">$l</label>'
                '<textarea id="$id-text" name="text_$key" rows="2" maxlength="$max">$v'
                "</textarea></div>",
                id=ident,
                key=reason.key,
                l=t("cancel_flow.tell_more"),
                max=str(400),
                v=frame.retained.get(f"text_{reason.key}", ""),
            )
        items.append(
            render(
                '<li class="sp-choice"><input$a><label for="$id">$l</label>$extra</li>',
                a=attrs(type="radio", id=ident, name="reason", value=reason.key,
                        required=True, checked=reason.key == chosen),
                id=ident,
                l=reason_label(frame, reason),
                extra=extra,
            )
        )
    return render(
        '<p>$body</p><fieldset class="sp-choices"><legend>$legend</legend>'
        '<ul class="sp-choice-list">$items</ul></fieldset>',
        body=t("cancel_flow.body"),
        legend=t("cancel_flow.legend"),
        items=join(items),
    )


def _frame_card(frame: Frame, detail: ContractDetail, inner: Markup) -> Markup:
    # The step first (on a phone the summary is a screen long), the subscription under it.
    return render(
        '$inner<article class="sp-card" aria-labelledby="contract-title-$id">$summary</article>',
        id=detail.contract.id,
        summary=contract_summary(frame, detail.contract, 2),
        inner=inner,
    )


def _keep(frame: Frame, cid: int, testid: str) -> Markup:
    return post_form(frame, f"/contracts/{cid}", frame.t.t("cancel_flow.keep"), testid=testid,
                     button_class="sp-secondary")


def _offer_text(frame: Frame, offer: Offer, detail: ContractDetail,
                pause_until: date | None) -> tuple[str, str, str]:
    """(title, body, accept button) of an offer, in the customer's language."""
    t = frame.t.t
    if offer.kind == "pause" and offer.months and pause_until is not None:
        when = formatting.day(frame.t, pause_until)
        return (t("cancel_flow.offer.pause_months.title", months=offer.months),
                t("cancel_flow.offer.pause_months.body", date=when),
                t("cancel_flow.offer.pause_months.accept", months=offer.months))
    skipped = detail.next_unskipped
    if offer.kind == "skip" and skipped is not None and skipped.expected_at is not None:
        moment = skipped.expected_at
        when = formatting.day(frame.t, formatting.local_date(moment, frame.timezone))
        return (t("cancel_flow.offer.skip.title"), t("cancel_flow.offer.skip.body", date=when),
                t("cancel_flow.offer.skip.accept"))
    if offer.kind == "discount":
        return (t("cancel_flow.offer.discount.title"),
                t("cancel_flow.offer.discount.body", code=offer.code),
                t("cancel_flow.offer.discount.accept"))
    kind = "pause" if offer.kind == "pause" else offer.kind
    # (Extra keywords are ignored by the texts without placeholders.)
    return (t(f"cancel_flow.offer.{kind}.title"), t(f"cancel_flow.offer.{kind}.body", date="—"),
            t(f"cancel_flow.offer.{kind}.accept"))


def _frequency_select(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    contract = detail.contract
    current = (f"{contract.delivery_interval or contract.billing_interval}:"
               f"{contract.delivery_count or contract.billing_count}")
    options = [f for f in policy.allowed_frequencies(shop) if f.key != current]
    chosen = frame.retained.get("frequency", "")
    return render(
        '<div class="sp-field"><label for="sp-offer-frequency">$l</label>'
        '<select id="sp-offer-frequency" name="frequency" required>$o</select></div>',
        l=frame.t.t("field.frequency"),
        o=join(
            render("<option$a>$l</option>", a=attrs(value=f.key, selected=f.key == chosen),
                   l=frequency_text(frame, f.interval, f.count))
            for f in options
        ),
    )


def offer_page(frame: Frame, shop: Shop, detail: ContractDetail, *, attempt_id: int,
               offer: Offer, pause_until: date | None, message: str | None = None,
               error: bool = False, status: int = 200) -> Page:
    t = frame.t.t
    cid = detail.contract.id
    title, body, accept = _offer_text(frame, offer, detail, pause_until)
    hidden = {"attempt": str(attempt_id), "offer": offer.kind}
    fields = _frequency_select(frame, shop, detail) if offer.kind == "change_frequency" \
        else Markup("")
    accept_form = post_form(frame, f"/contracts/{cid}/{FLOW}/accept", accept,
                            testid="offer-accept", fields=fields, hidden_fields=hidden,
                            form_class="sp-offer-accept")
    decline_form = post_form(frame, f"/contracts/{cid}/{FLOW}/decline",
                             t("cancel_flow.decline"), testid="offer-decline",
                             hidden_fields=hidden, button_class="sp-secondary")
    offer_card = render(
        '<section class="sp-card sp-offer" id="offer" tabindex="-1" aria-labelledby="offer-h"'
        ' data-testid="offer" data-offer="$kind"><h2 id="offer-h">$title</h2><p>$body</p>'
        '$accept<div class="sp-actions">$decline</div></section>',
        kind=offer.kind, title=title, body=body, accept=accept_form, decline=decline_form,
    )
    page = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav$flash$content',
        h=t("cancel_flow.offer_heading"),
        nav=nav(frame, "contract"),
        flash=flash(message, error=error),
        content=_frame_card(frame, detail, offer_card),
    )
    return document(frame, t("cancel_flow.offer_heading"), page, status=status)


def confirm_page(frame: Frame, detail: ContractDetail, *, attempt_id: int, reason: Reason,
                 reason_text: str, message: str | None = None, error: bool = False,
                 status: int = 200) -> Page:
    t = frame.t.t
    cid = detail.contract.id
    said = reason_label(frame, reason) + (f": {reason_text}" if reason_text else "")
    confirm_form = post_form(frame, f"/contracts/{cid}/{FLOW}/confirm",
                             t("action.cancel"), testid="cancel-confirm",
                             hidden_fields={"attempt": str(attempt_id)},
                             button_class="sp-danger")
    content = render(
        '<section class="sp-danger-zone sp-confirm" id="confirm" tabindex="-1"'
        ' aria-labelledby="confirm-h" data-testid="cancel-confirmation">'
        '<h2 id="confirm-h">$h</h2><p>$body</p><p class="sp-muted">$said</p>'
        '<div class="sp-actions">$confirm$keep</div></section>',
        h=t("cancel_flow.confirm_title"),
        body=t("cancel_flow.confirm_body"),
        said=t("cancel_flow.your_reason", reason=said),
        confirm=confirm_form,
        keep=_keep(frame, cid, "cancel-keep"),
    )
    page = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav$flash$content',
        h=t("cancel_flow.confirm_heading"),
        nav=nav(frame, "contract"),
        flash=flash(message, error=error),
        content=_frame_card(frame, detail, content),
    )
    return document(frame, t("cancel_flow.confirm_heading"), page, status=status)

