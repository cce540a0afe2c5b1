"""The swap pages: choose what a line becomes (each choice with its new price), then confirm.

Two plain forms, no script: the choice page posts back to itself with the chosen variant and
answers the confirmation page, whose button posts the `swap` action. Both come from the same
list the server accepts (`swap_choices`), read once per page.
"""

from __future__ import annotations

from shopify_app.portal.views.layout import Frame, Page, document, flash, nav, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.swap_choices import SwapChoice
from shopify_app.portal.views.texts import money_text
from shopify_app.portal.views.viewmodels import ContractDetail, Line


def _line_name(line: Line) -> str:
    return f"{line.title} \u2013 {line.variant_title}" if line.variant_title else line.title


def _current(frame: Frame, line: Line) -> Markup:
    return render(
        '<p data-testid="swap-current">$c</p>',
        c=frame.t.t(
            "swap.current", title=_line_name(line), price=money_text(frame, line.price)
        ),
    )


def _back(frame: Frame, cid: int) -> Markup:
    return post_form(
        frame, f"/contracts/{cid}", frame.t.t("swap.back"), testid="swap-back",
        button_class="sp-secondary",
    )


def _page(frame: Frame, heading: str, content: Markup, message: str | None = None) -> Page:
    body = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav$flash'
        '<section class="sp-card" id="swap" tabindex="-1" aria-labelledby="sp-heading">'
        "$c</section>",
        h=heading,
        nav=nav(frame, "contract"),
        flash=flash(message, error=True),
        c=content,
    )
    return document(frame, heading, body, status=422 if message else 200)


def choices_page(
    frame: Frame,
    detail: ContractDetail,
    line: Line,
    choices: list[SwapChoice],
    message: str | None = None,
) -> Page:
    t = frame.t.t
    cid = detail.contract.id
    if not choices:
        content = render(
            '$current<p class="sp-muted" data-testid="swap-none">$n</p>'
            '<div class="sp-actions">$back</div>',
            current=_current(frame, line),
            n=t("swap.none"),
            back=_back(frame, cid),
        )
        return _page(frame, t("swap.title"), content, message)
    first_available = next((c.variant_gid for c in choices if c.available), None)
    radios = join(
        render(
            '<div class="sp-choice"><input$a><label for="$id"><span>$label</span>'
            '<span class="sp-muted">$price</span></label></div>',
            a=attrs(
                type="radio",
                name="variant_id",
                id=f"sp-swap-{index}",
                value=choice.variant_gid,
                required=True,
                checked=choice.variant_gid == first_available,
                disabled=not choice.available,
            ),
            id=f"sp-swap-{index}",
            label=choice.label,
            price=(
                t("swap.per_delivery", price=money_text(frame, choice.price))
                if choice.available
                else t("swap.unavailable")
            ),
        )
        for index, choice in enumerate(choices, start=1)
    )
    fieldset = render(
        '<fieldset class="sp-choices"><legend>$l</legend>$r</fieldset>',
        l=t("swap.choose"),
        r=radios,
    )
    form = post_form(
        frame,
        f"/swap/{cid}",
        t("action.swap_review"),
        testid="swap-review",
        fields=fieldset,
        hidden_fields={"line_id": line.gid},
        form_class="",
    )
    content = render(
        '$current$form<div class="sp-actions">$back</div>',
        current=_current(frame, line),
        form=form,
        back=_back(frame, cid),
    )
    return _page(frame, t("swap.title"), content, message)


def confirm_page(frame: Frame, detail: ContractDetail, line: Line, choice: SwapChoice) -> Page:
    t = frame.t.t
    cid = detail.contract.id
    facts = render(
        '<p>$body</p><dl class="sp-facts">'
        '<div class="sp-fact"><dt>$lo</dt><dd data-testid="swap-old-price">$old</dd></div>'
        '<div class="sp-fact"><dt>$ln</dt><dd data-testid="swap-new-price">$new</dd></div>'
        "</dl>",
        body=t("swap.confirm_body", old=_line_name(line), new=choice.label),
        lo=t("swap.old_price"),
        old=t("swap.per_delivery", price=money_text(frame, line.price)),
        ln=t("swap.new_price"),
        new=t("swap.per_delivery", price=money_text(frame, choice.price)),
    )
    confirm = post_form(
        frame,
        f"/contracts/{cid}/swap",
        t("action.swap_confirm"),
        testid="swap-confirm",
        hidden_fields={"line_id": line.gid, "variant_id": choice.variant_gid},
    )
    other = post_form(
        frame,
        f"/swap/{cid}",
        t("swap.choose_other"),
        testid="swap-other",
        hidden_fields={"line_id": line.gid},
        button_class="sp-secondary",
    )
    content = render(
        '$facts<div class="sp-actions">$confirm$other$back</div>',
        facts=facts,
        confirm=confirm,
        other=other,
        back=_back(frame, cid),
    )
    return _page(frame, t("swap.confirm_title"), content)
