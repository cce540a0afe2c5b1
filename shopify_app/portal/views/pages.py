"""The portal's pages: subscriptions, order history and one subscription with its actions.

Each page is built from small render functions over `markup.render`, which escapes every
dynamic value for HTML and Liquid. Strings come from the catalogue (`Frame.t`).
"""

from __future__ import annotations

from shopify_app.merchant import policy
from shopify_app.portal.views import page_lines
from shopify_app.portal.views.contract_summary import contract_summary
from shopify_app.portal.views.layout import Frame, Page, document, flash, nav, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.order_page import order_link
from shopify_app.portal.views.page_actions import cancel_panel, quick_actions, schedule_panel
from shopify_app.portal.views.page_changes import changes_panel
from shopify_app.portal.views.schedule_extras import schedule_extras
from shopify_app.portal.views.texts import date_text, money_text, order_status_text
from shopify_app.portal.views.viewmodels import Contract, ContractDetail, Cycle, Overview
from shopify_app.storage.models import Shop


def _contract_card(frame: Frame, contract: Contract) -> Markup:
    manage = post_form(
        frame,
        f"/contracts/{contract.id}",
        frame.t.t("contract.manage"),
        testid=f"manage-{contract.id}",
    )
    return render(
        '<article class="sp-card" id="contract-$id" tabindex="-1" data-testid="contract-$id"'
        ' aria-labelledby="contract-title-$id">'
        '$summary<div class="sp-actions sp-actions-end">$manage</div></article>',
        id=contract.id,
        summary=contract_summary(frame, contract, 3),
        manage=manage,
    )


def _header(frame: Frame, overview_name: str, active: str) -> Markup:
    greeting = frame.t.t("overview.greeting", name=overview_name) if overview_name else ""
    return render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$greeting$nav',
        h=frame.t.t("overview.title"),
        greeting=render('<p class="sp-lead" data-testid="greeting">$g</p>', g=greeting)
        if greeting
        else Markup(""),
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
        cards = [
            render(
                '<p class="sp-card sp-empty" data-testid="no-subscriptions">$m</p>',
                m=frame.t.t("overview.empty"),
            )
        ]
    if overview.more_after:
        # The next page is a second request, made only when the customer asks for it.
        cards.append(
            render(
                '<div class="sp-actions sp-actions-end">$f</div>',
                f=post_form(
                    frame,
                    "",
                    frame.t.t("overview.more"),
                    testid="more-subscriptions",
                    button_class="sp-secondary",
                    hidden_fields={"after": overview.more_after},
                ),
            )
        )
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
        [render('<th scope="col">$h</th>', h=t(k))
         for k in ("orders.number", "orders.date", "orders.total", "orders.status")]
        + [render('<th scope="col"><span class="sp-visually-hidden">$h</span></th>',
                  h=t("order.details"))]
    )
    rows = [
        render(
            '<tr data-testid="order"><td data-label="$ln">$name</td><td data-label="$ld">$date</td>'
            '<td data-label="$lt" class="sp-num">$total</td><td data-label="$ls">$status</td>'
            '<td class="sp-row-action">$view</td></tr>',
            ln=t("orders.number"),
            ld=t("orders.date"),
            lt=t("orders.total"),
            ls=t("orders.status"),
            name=o.name,
            view=order_link(frame, o.id, o.name),
            date=date_text(frame, o.processed_at),
            total=money_text(frame, o.total),
            status=", ".join(
                order_status_text(frame, s)
                for s in (o.financial_status, o.fulfillment_status)
                if s
            ),
        )
        for o in overview.orders
    ]
    table = (
        render(
            '<div class="sp-card sp-flush"><table class="sp-table">'
            '<caption class="sp-muted">$c</caption>'
            "<thead><tr>$heads</tr></thead><tbody>$rows</tbody></table></div>",
            c=t("orders.caption"),
            heads=heads,
            rows=join(rows),
        )
        if rows
        else render(
            '<p class="sp-card sp-empty" data-testid="no-orders">$m</p>', m=t("orders.empty")
        )
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
    t = frame.t.t
    contract = detail.contract
    action = "unskip" if cycle.skipped else "skip"
    button = Markup("")
    if policy.action_available(shop, action, contract.status):
        button = post_form(
            frame,
            f"/contracts/{contract.id}/{action}",
            t(f"action.{action}"),
            testid=f"action-{action}-{cycle.index}",
            button_class="" if cycle.skipped else "sp-secondary",
            hidden_fields={"cycle_index": str(cycle.index)},
        )
    total = page_lines.with_addons(contract.estimated_total(), detail, cycle)
    amount = (
        render('<span class="sp-muted sp-amount">$a</span>',
               a=t("upcoming.total", amount=money_text(frame, total)))
        if total is not None
        else Markup("")
    )
    marker = (
        render(
            '<span class="sp-badge" data-status="SKIPPED" data-testid="skipped">$s</span>'
            '<span class="sp-muted sp-note">$n</span>',
            s=t("upcoming.skipped"),
            n=t("upcoming.skipped_note"),
        )
        if cycle.skipped
        else Markup("")
    )
    return render(
        '<li$a><div class="sp-cycle-body"><strong$cls>$date</strong>$amount$marker$addons</div>'
        "$button</li>",
        a=attrs(
            class_="sp-cycle",
            data_testid=f"cycle-{cycle.index}",
            data_skipped="true" if cycle.skipped else "false",
        ),
        cls=attrs(class_="sp-skipped" if cycle.skipped else None),
        date=date_text(frame, cycle.expected_at),
        amount=amount,
        marker=marker,
        addons=page_lines.cycle_addons(frame, shop, detail, cycle),
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
    """Summary and quick actions first, then upcoming orders and the schedule; rarer edits in
    disclosures; cancelling last, set apart, behind its own confirmation step."""
    t = frame.t.t
    contract = detail.contract
    cycles = [_cycle(frame, shop, detail, c) for c in detail.upcoming]
    empty_key = {"ACTIVE": "upcoming.empty", "PAUSED": "upcoming.paused"}.get(
        contract.status, "upcoming.ended"
    )
    upcoming = (
        render('<ol class="sp-cycles" data-testid="upcoming">$c</ol>', c=join(cycles))
        if cycles
        else render('<p class="sp-muted" data-testid="no-upcoming">$m</p>', m=t(empty_key))
    )
    body = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav$flash'
        '<article class="sp-card" data-testid="contract-$id" aria-labelledby="contract-title-$id">'
        '$summary$quick</article>'
        '<section id="upcoming" tabindex="-1" aria-labelledby="upcoming-h" class="sp-card">'
        '<h2 id="upcoming-h">$uh</h2>$upcoming</section>$products$schedule$extras$changes$cancel',
        h=t("contract.title"),
        nav=nav(frame, "contract"),
        flash=flash(message, error=error),
        id=contract.id,
        summary=contract_summary(frame, contract, 2),
        quick=quick_actions(frame, shop, detail),
        uh=t("upcoming.title"),
        upcoming=upcoming,
        products=page_lines.products_panel(frame, shop, detail),
        schedule=schedule_panel(frame, shop, detail),
        extras=schedule_extras(frame, shop, detail),
        changes=changes_panel(frame, shop, detail),
        cancel=cancel_panel(frame, shop, detail),
    )
    return document(frame, t("contract.title"), body, status=status)
