"""The portal's pages: subscriptions, order history and one subscription with its actions.

Each page is built from small render functions over `markup.render`, which escapes every
dynamic value for HTML and Liquid. Strings come from the catalogue (`Frame.t`).
"""

from __future__ import annotations

from datetime import datetime

from shopify_app.models import Shop
from shopify_app.portal import policy
from shopify_app.portal.layout import Frame, Page, document, flash, nav, post_form
from shopify_app.portal.markup import Markup, attrs, join, render
from shopify_app.portal.page_actions import action_panel
from shopify_app.portal.viewmodels import Contract, ContractDetail, Cycle, Line, Overview


def date_text(moment: datetime | None) -> Markup:
    if moment is None:
        return Markup("&#8212;")
    return render(
        '<time datetime="$iso">$day</time>',
        iso=moment.date().isoformat(),
        day=moment.date().isoformat(),
    )


def status_text(frame: Frame, status: str) -> str:
    key = f"status.{status.lower()}"
    try:
        return frame.t.t(key)
    except KeyError:
        return status.title()


def frequency_text(frame: Frame, interval: str, count: int) -> str:
    if not interval or count <= 0:
        return ""
    unit = frame.t.t(f"interval.{interval.lower()}.{'one' if count == 1 else 'other'}")
    return frame.t.t("frequency.every", count=count, unit=unit)


def _line(line: Line) -> Markup:
    image = Markup("")
    if line.image_url:
        image = render(
            '<img src="$src" alt="$alt" loading="lazy" width="64" height="64">',
            src=line.image_url,
            alt=line.image_alt or line.title,
        )
    return render(
        '<li class="sp-line">$image<div class="sp-line-body"><strong>$title</strong>'
        '$variant<div class="sp-muted">$qty &#215; $price</div></div></li>',
        image=image,
        title=line.title,
        variant=render('<div class="sp-muted">$v</div>', v=line.variant_title)
        if line.variant_title
        else Markup(""),
        qty=line.quantity,
        price=str(line.price),
    )


def contract_facts(frame: Frame, contract: Contract) -> Markup:
    t = frame.t.t
    rows: list[Markup] = [
        render(
            "<dt>$k</dt><dd>$v</dd>",
            k=t("contract.next_order"),
            v=date_text(contract.next_billing_date),
        ),
        render(
            "<dt>$k</dt><dd>$v</dd>",
            k=t("contract.frequency"),
            v=frequency_text(
                frame,
                contract.delivery_interval or contract.billing_interval,
                contract.delivery_count or contract.billing_count,
            ),
        ),
    ]
    if contract.address is not None:
        address = join(render("$l<br>", l=part) for part in contract.address.lines())
        rows.append(
            render(
                '<dt>$k</dt><dd data-testid="address">$v</dd>', k=t("contract.address"), v=address
            )
        )
    if contract.payment is not None:
        card = t(
            "contract.card",
            brand=contract.payment.brand or t("contract.card_generic"),
            last=contract.payment.last_digits,
        )
        rows.append(
            render(
                '<dt>$k</dt><dd data-testid="payment-method">$v</dd>',
                k=t("contract.payment"),
                v=card,
            )
        )
    if contract.discounts:
        items = join(
            render("<li>$title $value</li>", title=d.title, value=d.value)
            for d in contract.discounts
        )
        rows.append(
            render(
                '<dt>$k</dt><dd><ul data-testid="discounts">$v</ul></dd>',
                k=t("contract.discounts"),
                v=items,
            )
        )
    return render('<dl class="sp-facts">$rows</dl>', rows=join(rows))


def contract_heading(frame: Frame, contract: Contract, level: int) -> Markup:
    title = (
        contract.lines[0].title
        if contract.lines
        else frame.t.t("contract.untitled", id=contract.id)
    )
    return render(
        '<h$n id="contract-title-$id">$title <span class="sp-badge" data-status="$status"'
        ' data-testid="contract-status">$label</span></h$n>',
        n=level,
        id=contract.id,
        title=title,
        status=contract.status,
        label=status_text(frame, contract.status),
    )


def _contract_card(frame: Frame, contract: Contract) -> Markup:
    manage = post_form(
        frame,
        f"/contracts/{contract.id}",
        frame.t.t("contract.manage"),
        testid=f"manage-{contract.id}",
    )
    return render(
        '<article class="sp-card" data-testid="contract-$id" aria-labelledby="contract-title-$id">'
        '$heading$facts<ul class="sp-lines">$lines</ul>'
        '<div class="sp-actions">$manage</div></article>',
        id=contract.id,
        heading=contract_heading(frame, contract, 3),
        facts=contract_facts(frame, contract),
        lines=join(_line(line) for line in contract.lines),
        manage=manage,
    )


def _header(frame: Frame, overview_name: str, active: str) -> Markup:
    greeting = frame.t.t("overview.greeting", name=overview_name) if overview_name else ""
    return render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$greeting$nav',
        h=frame.t.t("overview.title"),
        greeting=render('<p data-testid="greeting">$g</p>', g=greeting) if greeting else Markup(""),
        nav=nav(frame, active),
    )


def overview_page(
    frame: Frame,
    overview: Overview,
    message: str | None = None,
    *,
    error: bool = False,
    status: int = 200,
) -> Page:
    cards = [_contract_card(frame, c) for c in overview.contracts]
    if not cards:
        cards = [render('<p data-testid="no-subscriptions">$m</p>', m=frame.t.t("overview.empty"))]
    body = render(
        '$header$flash<section id="subscriptions" tabindex="-1" aria-labelledby="subs-h">'
        '<h2 id="subs-h">$h</h2>$cards</section>',
        header=_header(frame, overview.first_name, "subscriptions"),
        flash=flash(message, error=error),
        h=frame.t.t("overview.subscriptions"),
        cards=join(cards),
    )
    return document(frame, frame.t.t("overview.title"), body, status=status)


def orders_page(frame: Frame, overview: Overview) -> Page:
    t = frame.t.t
    heads = join(
        render('<th scope="col">$h</th>', h=t(k))
        for k in ("orders.number", "orders.date", "orders.total", "orders.status")
    )
    rows = [
        render(
            '<tr data-testid="order"><td data-label="$ln">$name</td><td data-label="$ld">$date</td>'
            '<td data-label="$lt">$total</td><td data-label="$ls">$status</td></tr>',
            ln=t("orders.number"),
            ld=t("orders.date"),
            lt=t("orders.total"),
            ls=t("orders.status"),
            name=o.name,
            date=date_text(o.processed_at),
            total=str(o.total),
            status=", ".join(
                s.replace("_", " ").lower() for s in (o.financial_status, o.fulfillment_status) if s
            ),
        )
        for o in overview.orders
    ]
    table = (
        render(
            '<table class="sp-table"><caption class="sp-muted">$c</caption>'
            "<thead><tr>$heads</tr></thead><tbody>$rows</tbody></table>",
            c=t("orders.caption"),
            heads=heads,
            rows=join(rows),
        )
        if rows
        else render('<p data-testid="no-orders">$m</p>', m=t("orders.empty"))
    )
    body = render(
        '$header<section id="orders" tabindex="-1" aria-labelledby="orders-h">'
        '<h2 id="orders-h">$h</h2>$table</section>',
        header=_header(frame, overview.first_name, "orders"),
        h=t("orders.title"),
        table=table,
    )
    return document(frame, t("orders.title"), body)


def _cycle(frame: Frame, shop: Shop, detail: ContractDetail, cycle: Cycle) -> Markup:
    contract = detail.contract
    action = "unskip" if cycle.skipped else "skip"
    button = Markup("")
    if policy.action_available(shop, action, contract.status):
        button = post_form(
            frame,
            f"/contracts/{contract.id}/{action}",
            frame.t.t(f"action.{action}"),
            testid=f"action-{action}-{cycle.index}",
            button_class="sp-secondary",
            hidden_fields={"cycle_index": str(cycle.index)},
        )
    marker = (
        render(
            ' <span class="sp-badge" data-testid="skipped">$s</span>',
            s=frame.t.t("upcoming.skipped"),
        )
        if cycle.skipped
        else Markup("")
    )
    return render(
        "<li$a><span$cls>$date</span>$marker $button</li>",
        a=attrs(
            data_testid=f"cycle-{cycle.index}", data_skipped="true" if cycle.skipped else "false"
        ),
        cls=attrs(class_="sp-skipped" if cycle.skipped else None),
        date=date_text(cycle.expected_at),
        marker=marker,
        button=button,
    )


def contract_page(
    frame: Frame,
    shop: Shop,
    detail: ContractDetail,
    message: str | None = None,
    *,
    error: bool = False,
    status: int = 200,
) -> Page:
    t = frame.t.t
    contract = detail.contract
    cycles = [_cycle(frame, shop, detail, c) for c in detail.cycles]
    upcoming = (
        render('<ol class="sp-lines" data-testid="upcoming">$c</ol>', c=join(cycles))
        if cycles
        else render("<p>$m</p>", m=t("upcoming.empty"))
    )
    body = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav$flash'
        '<article class="sp-card" data-testid="contract-$id" aria-labelledby="contract-title-$id">'
        '$heading$facts<ul class="sp-lines">$lines</ul></article>'
        '<section id="upcoming" tabindex="-1" aria-labelledby="upcoming-h" class="sp-card">'
        '<h2 id="upcoming-h">$uh</h2>$upcoming</section>$panel',
        h=t("contract.title"),
        nav=nav(frame, ""),
        flash=flash(message, error=error),
        id=contract.id,
        heading=contract_heading(frame, contract, 2),
        facts=contract_facts(frame, contract),
        lines=join(_line(line) for line in contract.lines),
        uh=t("upcoming.title"),
        upcoming=upcoming,
        panel=action_panel(frame, shop, detail),
    )
    return document(frame, t("contract.title"), body, status=status)
