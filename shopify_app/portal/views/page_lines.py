"""The contract page's product changes: "change product" per line (to the swap page, whose
list is the confirmation step) and one-time add-ons (the offer form, and each upcoming
order's add-ons with their remove buttons). No script needed for any of them."""

from __future__ import annotations

from decimal import Decimal

from shopify_app.portal.views import formatting
from shopify_app.portal.views.layout import Frame, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.page_actions import can, section
from shopify_app.portal.views.texts import money_text
from shopify_app.portal.views.viewmodels import MAX_QUANTITY, ContractDetail, Cycle, Money
from shopify_app.storage.models import Shop


def _swap_buttons(frame: Frame, shop: Shop, detail: ContractDetail) -> list[Markup]:
    if not can(shop, detail, "swap"):
        return []
    cid = detail.contract.id
    return [
        post_form(
            frame,
            f"/swap/{cid}",
            frame.t.t("action.swap_line", title=line.title),
            testid=f"swap-{index}",
            hidden_fields={"line_id": line.gid},
            button_class="sp-secondary",
        )
        for index, line in enumerate(detail.contract.lines, start=1)
        if line.variant_gid
    ]


def _day(frame: Frame, cycle: Cycle) -> str:
    """The order's day as words inside a sentence (`date_text` is markup of its own)."""
    if cycle.expected_at is None:
        return ""
    return formatting.day(frame.t, formatting.local_date(cycle.expected_at, frame.timezone))


def _addon_form(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    t = frame.t.t
    cycle = detail.next_unskipped
    offered = [o for o in detail.offered_addons if o.available]
    if not can(shop, detail, "add_on") or cycle is None or not offered:
        return Markup("")
    cid = detail.contract.id
    options = join(
        render(
            "<option$a>$l</option>",
            a=attrs(value=o.variant_gid),
            l=f"{o.label} — {money_text(frame, o.price)}",
        )
        for o in offered
    )
    fields = render(
        '<div class="sp-field"><label for="sp-$cid-addon">$lp</label>'
        '<select id="sp-$cid-addon" name="variant_id" aria-describedby="sp-$cid-addon-hint">'
        "$o</select></div>"
        '<div class="sp-field sp-qty sp-addon-qty"><label for="sp-$cid-addon-qty">$lq</label>'
        '<input id="sp-$cid-addon-qty" name="quantity" type="number" value="1" min="1"'
        ' max="$max" required inputmode="numeric"></div>',
        cid=cid,
        lp=t("addons.product"),
        o=options,
        lq=t("field.quantity"),
        max=MAX_QUANTITY,
    )
    return render(
        '<div class="sp-panel" id="addons" tabindex="-1"><h4 class="sp-subhead">$h</h4>'
        '<p class="sp-hint sp-muted" id="sp-$cid-addon-hint">$hint</p>$f</div>',
        h=t("addons.title"),
        cid=cid,
        hint=t("addons.hint", date=_day(frame, cycle)),
        f=post_form(
            frame,
            f"/contracts/{cid}/add_on",
            t("action.add_on"),
            testid="action-add-on",
            fields=fields,
            form_class="sp-row-form",
        ),
    )


def products_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Change a product, add something to the next order: empty when neither is offered."""
    swaps = _swap_buttons(frame, shop, detail)
    addon = _addon_form(frame, shop, detail)
    if not swaps and not addon:
        return Markup("")
    swap_row = (
        render('<div class="sp-actions" data-testid="swap-buttons">$b</div>', b=join(swaps))
        if swaps
        else Markup("")
    )
    return section("products", frame.t.t("section.products"), Markup(swap_row + addon))


def addons_subtotal(detail: ContractDetail, cycle: Cycle) -> Decimal:
    return sum((a.subtotal for a in detail.addons.get(cycle.index, [])), Decimal(0))


def with_addons(total: Money | None, detail: ContractDetail, cycle: Cycle) -> Money | None:
    """An upcoming order's estimate including its one-time add-ons."""
    if total is None:
        return None
    return Money(total.amount + addons_subtotal(detail, cycle), total.currency)


def cycle_addons(frame: Frame, shop: Shop, detail: ContractDetail, cycle: Cycle) -> Markup:
    """The add-ons on one upcoming order, each removable until it bills."""
    found = detail.addons.get(cycle.index, [])
    if not found or cycle.skipped:
        return Markup("")
    t = frame.t.t
    removable = can(shop, detail, "remove_add_on") and cycle.status != "BILLED"
    items = []
    for position, addon in enumerate(found, start=1):
        name = f"{addon.title} \u2013 {addon.variant_title}" if addon.variant_title else addon.title
        button = (
            post_form(
                frame,
                f"/contracts/{detail.contract.id}/remove_add_on",
                t("action.remove_add_on", title=addon.title),
                testid=f"remove-add-on-{cycle.index}-{position}",
                hidden_fields={"cycle_index": str(cycle.index), "line_id": addon.gid},
                button_class="sp-secondary sp-small",
            )
            if removable
            else Markup("")
        )
        items.append(
            render(
                '<li data-testid="add-on"><span>$text</span>$button</li>',
                text=t(
                    "addons.item",
                    title=name,
                    quantity=addon.quantity,
                    price=money_text(frame, Money(addon.subtotal, addon.price.currency)),
                ),
                button=button,
            )
        )
    return render(
        '<div class="sp-addons"><p class="sp-muted">$h</p><ul>$items</ul></div>',
        h=t("addons.on_order"),
        items=join(items),
    )
