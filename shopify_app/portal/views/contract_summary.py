"""A subscription contract at a glance: heading with status, facts (next order, frequency,
estimated total, address, card, discounts) and its lines, shared by the overview's cards and
the contract page.
"""

from __future__ import annotations

from shopify_app.portal.views import formatting
from shopify_app.portal.views.address_form import address_text
from shopify_app.portal.views.formatting import plural
from shopify_app.portal.views.layout import Frame
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.payment_notice import payment_text
from shopify_app.portal.views.texts import (
    date_text,
    discount_text,
    frequency_text,
    line_total,
    money_text,
    status_text,
)
from shopify_app.portal.views.viewmodels import Contract, Line


def _line(frame: Frame, line: Line) -> Markup:
    image = Markup('<span class="sp-thumb sp-thumb-empty" aria-hidden="true"></span>')
    if line.image_url:
        image = render(
            '<img class="sp-thumb" src="$src" alt="$alt" loading="lazy" width="64" height="64">',
            src=line.image_url,
            alt=line.image_alt or line.title,
        )
    return render(
        '<li class="sp-line">$image<div class="sp-line-body"><strong>$title</strong>'
        '$variant<div class="sp-muted">$qty &#215; $price</div></div>'
        '<div class="sp-line-total">$total</div></li>',
        image=image,
        title=line.title,
        variant=render('<div class="sp-muted">$v</div>', v=line.variant_title)
        if line.variant_title
        else Markup(""),
        qty=line.quantity,
        price=money_text(frame, line.price),
        total=line_total(frame, line.price, line.quantity),
    )


def _fact(key: str, value: object, testid: str | None = None) -> Markup:
    return render(
        '<div class="sp-fact"><dt>$k</dt><dd$a>$v</dd></div>',
        k=key,
        v=value,
        a=attrs(data_testid=testid),
    )


def contract_facts(frame: Frame, contract: Contract) -> Markup:
    t = frame.t.t
    # Only an active contract bills: a paused one says so instead of a date that won't happen.
    live = contract.status == "ACTIVE"
    rows: list[Markup] = []
    if live:
        rows.append(
            _fact(
                t("contract.next_order"),
                date_text(frame, contract.next_billing_date),
                "next-order",
            )
        )
    elif contract.status == "PAUSED" and contract.resume_on is not None:
        until = t("contract.paused_until", date=formatting.day(frame.t, contract.resume_on))
        rows.append(_fact(t("contract.next_order"), until, "paused-until"))
    elif contract.status == "PAUSED":
        rows.append(_fact(t("contract.next_order"), t("contract.paused_note"), "paused-note"))
    rows.append(
        _fact(
            t("contract.frequency"),
            frequency_text(
                frame,
                contract.delivery_interval or contract.billing_interval,
                contract.delivery_count or contract.billing_count,
            ),
        )
    )
    total = contract.estimated_total()
    if live and total is not None:
        rows.append(_fact(t("contract.total"), money_text(frame, total), "estimated-total"))
    if contract.address is not None:
        address = join(render("$l<br>", l=part) for part in address_text(frame, contract.address))
        rows.append(_fact(t("contract.address"), address, "address"))
    if contract.payment is not None:
        rows.append(_fact(t("contract.payment"), payment_text(frame, contract), "payment-method"))
    if contract.discounts:
        items = join(
            render("<li>$title <span class=\"sp-muted\">$value</span></li>",
                   title=d.title, value=discount_text(frame, d))
            for d in contract.discounts
        )
        if contract.more_discounts:  # read the first few only: say so rather than hide them
            items = join([items, render('<li class="sp-muted" data-testid="more-discounts">$m</li>',
                                        m=t("contract.more_discounts"))])
        rows.append(
            _fact(t("contract.discounts"), render('<ul data-testid="discounts">$v</ul>', v=items))
        )
    return render('<dl class="sp-facts">$rows</dl>', rows=join(rows))


def contract_heading(frame: Frame, contract: Contract, level: int) -> Markup:
    if not contract.lines:
        title = frame.t.t("contract.untitled", id=contract.id)
    elif contract.more_lines and contract.lines_count > len(contract.lines):
        title = plural(frame.t, "contract.more", contract.lines_count - 1,
                       title=contract.lines[0].title)
    elif contract.more_lines:
        title = frame.t.t("contract.and_more", title=contract.lines[0].title)
    elif len(contract.lines) == 1:
        title = contract.lines[0].title
    else:
        title = plural(frame.t, "contract.more", len(contract.lines) - 1,
                       title=contract.lines[0].title)
    return render(
        '<h$n class="sp-title" id="contract-title-$id"><span>$title</span> <span class="sp-badge"'
        ' data-status="$status" data-testid="contract-status">$label</span></h$n>',
        n=level,
        id=contract.id,
        title=title,
        status=contract.status,
        label=status_text(frame, contract.status),
    )


def contract_summary(frame: Frame, contract: Contract, level: int) -> Markup:
    """A contract's heading (at `level`), its facts and its lines: the card on the overview and
    the top of the contract page."""
    return render(
        '$heading<div class="sp-split">$facts<ul class="sp-lines">$lines</ul></div>',
        heading=contract_heading(frame, contract, level),
        facts=contract_facts(frame, contract),
        lines=join([*(_line(frame, line) for line in contract.lines),
                    _more_lines(frame, contract)]),
    )


def _more_lines(frame: Frame, contract: Contract) -> Markup:
    """The lines not read (a card reads 3, the page 10): how many when Shopify said."""
    if not contract.more_lines:
        return Markup("")
    hidden = contract.lines_count - len(contract.lines)
    text = (plural(frame.t, "contract.more_lines", hidden) if hidden > 0
            else frame.t.t("contract.more_lines_unknown"))
    return render('<li class="sp-line sp-muted" data-testid="more-lines">$t</li>', t=text)
