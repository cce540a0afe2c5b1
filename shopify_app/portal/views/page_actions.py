"""The forms of a subscription's self-service actions: only those the shop enables and the
contract's status allows (the server checks the same rule again).

Grouped by how often people use them: one-click changes at the top, the schedule, rarer edits
in `<details>` disclosures (`page_changes`), and cancelling last behind its own disclosure."""

from __future__ import annotations

from datetime import timedelta

from shopify_app.merchant import policy
from shopify_app.portal.views import formatting
from shopify_app.portal.views.cancel_pages import reason_fields
from shopify_app.portal.views.formatting import local_date
from shopify_app.portal.views.layout import Frame, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.texts import frequency_text
from shopify_app.portal.views.viewmodels import NEXT_DATE_HORIZON, ContractDetail
from shopify_app.storage.models import Shop


def text_input(
    frame: Frame,
    cid: int,
    name: str,
    label: str,
    *,
    type_: str = "text",
    value: str = "",
    required: bool = False,
    autocomplete: str | None = None,
    extra: Markup | None = None,
    id_suffix: str | None = None,
) -> Markup:
    field_id = f"sp-{cid}-{id_suffix or name}"
    return render(
        '<div class="sp-field"><label for="$id">$label</label>'
        '<input id="$id" name="$name"$a></div>',
        id=field_id,
        label=label,
        name=name,
        a=Markup(
            attrs(type=type_, value=value, required=required, autocomplete=autocomplete)
            + (extra or "")
        ),
    )


def section(key: str, title: str, content: Markup, *, class_: str = "sp-card") -> Markup:
    return render(
        '<section class="$cls" id="$id" tabindex="-1" aria-labelledby="$id-h">'
        '<h3 id="$id-h">$t</h3>$c</section>',
        cls=class_,
        id=key,
        t=title,
        c=content,
    )


def can(shop: Shop, detail: ContractDetail, action: str) -> bool:
    return policy.action_available(shop, action, detail.contract.status)


def quick_actions(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """The one-click changes, at the top of the page."""
    t = frame.t.t
    contract = detail.contract
    base = f"/contracts/{contract.id}"
    quick: list[Markup] = []
    if can(shop, detail, "resume"):
        quick.append(post_form(frame, f"{base}/resume", t("action.resume"), testid="action-resume"))
    if can(shop, detail, "skip") and detail.next_unskipped is not None:
        quick.append(
            post_form(
                frame,
                f"{base}/skip",
                t("action.skip_next"),
                testid="action-skip",
                button_class="sp-secondary",
            )
        )
    if can(shop, detail, "pause"):
        quick.append(
            post_form(
                frame,
                f"{base}/pause",
                t("action.pause"),
                testid="action-pause",
                button_class="sp-secondary",
            )
        )
    if can(shop, detail, "payment_email") and contract.payment is not None:
        quick.append(
            post_form(
                frame,
                f"{base}/payment_email",
                t("action.payment_email"),
                testid="action-payment-email",
                button_class="sp-secondary",
            )
        )
    if not quick:
        return Markup("")
    return render(
        '<section class="sp-quick" id="manage" tabindex="-1" aria-labelledby="manage-h">'
        '<h3 id="manage-h" class="sp-visually-hidden">$h</h3>'
        '<div class="sp-actions">$q</div></section>',
        h=t("section.manage"),
        q=join(quick),
    )


def _schedule_form(frame: Frame, cid: int, panel_id: str, action: str, fields: Markup) -> Markup:
    """One schedule edit: a single-row form in its own focusable panel."""
    return render(
        '<div class="sp-panel" id="$id" tabindex="-1">$f</div>',
        id=panel_id,
        f=post_form(
            frame,
            f"/contracts/{cid}/{action}",
            frame.t.t(f"action.{action}"),
            testid=f"action-{action.replace('_', '-')}",
            fields=fields,
            button_class="sp-secondary",
            form_class="sp-row-form",
        ),
    )


def schedule_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Next order date and delivery frequency, side by side on a wide screen."""
    t = frame.t.t
    contract = detail.contract
    cid = contract.id
    parts: list[Markup] = []
    if can(shop, detail, "set_next_date"):
        current = (
            local_date(contract.next_billing_date, frame.timezone).isoformat()
            if contract.next_billing_date
            else ""
        )
        limits = Markup("")
        hint = Markup("")
        if frame.today is not None:
            # The same window the server accepts (status_actions.set_next_date).
            first, last = frame.today + timedelta(days=1), frame.today + NEXT_DATE_HORIZON
            limits = attrs(
                min=first.isoformat(),
                max=last.isoformat(),
                aria_describedby=f"sp-{cid}-date-hint",
            )
            hint = render(
                '<p class="sp-hint sp-muted" id="sp-$cid-date-hint">$h</p>',
                cid=cid,
                h=t("field.next_date_hint", last=formatting.day(frame.t, last)),
            )
        field = Markup(
            text_input(
                frame,
                cid,
                "date",
                t("field.next_date"),
                type_="date",
                value=current,
                required=True,
                extra=limits,
            ).removesuffix("</div>")
            + hint
            + "</div>"
        )
        parts.append(_schedule_form(frame, cid, "next-date", "set_next_date", field))
    if can(shop, detail, "change_frequency"):
        current_key = (
            f"{contract.delivery_interval or contract.billing_interval}:"
            f"{contract.delivery_count or contract.billing_count}"
        )
        offered = [
            (f.key, frequency_text(frame, f.interval, f.count))
            for f in policy.allowed_frequencies(shop)
        ]
        if current_key not in {key for key, _ in offered}:
            # A schedule the merchant no longer offers stays the customer's to keep: shown
            # first and selected, never silently swapped for the first allowed one.
            current_label = frequency_text(
                frame,
                contract.delivery_interval or contract.billing_interval,
                contract.delivery_count or contract.billing_count,
            )
            offered.insert(0, (current_key, t("field.frequency_current", label=current_label)))
        options = join(
            render(
                "<option$a>$l</option>",
                a=attrs(value=key, selected=key == current_key),
                l=label,
            )
            for key, label in offered
        )
        select = render(
            '<div class="sp-field"><label for="sp-$cid-frequency">$l</label>'
            '<select id="sp-$cid-frequency" name="frequency">$o</select></div>',
            cid=cid,
            l=t("field.frequency"),
            o=options,
        )
        parts.append(_schedule_form(frame, cid, "frequency", "change_frequency", select))
    if not parts:
        return Markup("")
    return section(
        "schedule",
        t("section.schedule"),
        render('<div class="sp-two">$p</div>', p=join(parts)),
    )


def cancel_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Cancelling, set apart behind a disclosure (no script needed): the customer picks a
    reason there, then the cancel flow's offer and confirmation pages follow."""
    if not can(shop, detail, "cancel"):
        return how_to_cancel(frame, shop, detail)
    t = frame.t.t
    cid = detail.contract.id
    form = post_form(
        frame,
        f"/contracts/{cid}/cancel_flow/reason",
        t("cancel_flow.continue"),
        testid="action-cancel",
        fields=reason_fields(frame, shop, detail),
        button_class="sp-danger",
        form_class="",
    )
    return render(
        '<section class="sp-danger-zone" id="cancel" tabindex="-1" aria-labelledby="cancel-h">'
        '<h2 id="cancel-h" class="sp-visually-hidden">$h</h2>'
        '<details class="sp-disclosure"$open><summary data-testid="cancel-disclosure">'
        '<span class="sp-summary-title">$s</span></summary>'
        '<div class="sp-disclosure-body">$f</div></details></section>',
        h=t("section.cancel"),
        open=attrs(open=frame.focus == "cancel"),
        s=t("cancel.summary"),
        f=form,
    )


def how_to_cancel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Cancel turned off by the merchant: the store's own instructions instead (cancelling
    must stay reachable online), for a contract that could otherwise be cancelled."""
    status = detail.contract.status
    if not shop.cancel_instructions.strip() or status not in policy.STATUSES["cancel"]:
        return Markup("")
    return render(
        '<section class="sp-danger-zone" id="cancel" tabindex="-1" aria-labelledby="cancel-h">'
        '<h2 id="cancel-h">$h</h2>'
        '<p data-testid="cancel-instructions" style="white-space:pre-line">$text</p></section>',
        h=frame.t.t("cancel.how"),
        text=shop.cancel_instructions,
    )
