"""The rarer edits of a subscription (quantities, delivery address, discount codes), each in
a native `<details>` disclosure: keyboard and screen-reader friendly without script."""

from __future__ import annotations

from shopify_app.portal.views.address_form import address_form
from shopify_app.portal.views.layout import Frame, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.page_actions import can, section, text_input
from shopify_app.portal.views.texts import address_one_line, items_text
from shopify_app.portal.views.viewmodels import MAX_QUANTITY, ContractDetail
from shopify_app.storage.models import Shop


def _reshaped(frame: Frame) -> bool:
    return (frame.focus or "").endswith("-country_code")


def _disclosure(frame: Frame, key: str, title: str, current: str, content: Markup) -> Markup:
    """A native `<details>`: keyboard and screen-reader friendly without script; open when a
    deep link or a refused change points at it."""
    return render(
        '<details class="sp-disclosure" id="$id"$open>'
        '<summary><span class="sp-summary-title">$t</span>$current</summary>'
        '<div class="sp-disclosure-body">$c</div></details>',
        id=key,
        # A re-shaped address form focuses its country select, inside this disclosure.
        open=attrs(open=frame.focus == key or (key == "address" and _reshaped(frame))),
        t=title,
        current=render('<span class="sp-muted sp-summary-value">$v</span>', v=current)
        if current
        else Markup(""),
        c=content,
    )


def _stepper(frame: Frame, cid: int, index: int, title: str, quantity: int) -> Markup:
    """A compact quantity stepper: a narrow number field between minus and plus buttons. The
    buttons need script (portal.js reveals them); the field alone works without."""
    t = frame.t.t
    return render(
        '<div class="sp-field sp-qty"><label for="$id">$label</label><div class="sp-stepper">'
        '<button type="button" class="sp-step sp-secondary" data-step="-1" aria-label="$less"'
        ' aria-controls="$id" hidden>&#8722;</button>'
        '<input id="$id" name="quantity" type="number" value="$q" required min="1"'
        ' max="$max" inputmode="numeric">'
        '<button type="button" class="sp-step sp-secondary" data-step="1" aria-label="$more"'
        ' aria-controls="$id" hidden>+</button></div></div>',
        id=f"sp-{cid}-quantity-{index}",
        label=t("field.quantity_of", title=title),
        less=t("field.decrease", title=title),
        more=t("field.increase", title=title),
        q=quantity,
        max=MAX_QUANTITY,
    )


def changes_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """Quantities, address and discount codes: rarer edits, each behind a disclosure."""
    t = frame.t.t
    contract = detail.contract
    cid = contract.id
    base = f"/contracts/{cid}"
    parts: list[Markup] = []
    if can(shop, detail, "change_quantity") and contract.lines:
        forms = [
            post_form(
                frame,
                f"{base}/change_quantity",
                t("action.change_quantity"),
                testid=f"action-change-quantity-{i}",
                form_class="sp-row-form",
                button_class="sp-secondary",
                hidden_fields={"line_id": line.gid},
                fields=_stepper(frame, cid, i, line.title, line.quantity),
            )
            for i, line in enumerate(contract.lines)
        ]
        items = sum(line.quantity for line in contract.lines)
        parts.append(
            _disclosure(
                frame, "quantity", t("section.quantity"), items_text(frame, items), join(forms)
            )
        )
    if can(shop, detail, "change_address"):
        parts.append(
            _disclosure(
                frame,
                "address",
                t("section.address"),
                address_one_line(contract.address),
                address_form(frame, shop, detail),
            )
        )
    discount_parts: list[Markup] = []
    if can(shop, detail, "remove_discount"):
        discount_parts.extend(
            post_form(
                frame,
                f"{base}/remove_discount",
                t("action.remove_discount", title=d.title),
                testid=f"action-remove-discount-{i}",
                button_class="sp-secondary",
                hidden_fields={"discount_id": d.gid},
            )
            for i, d in enumerate(contract.discounts)
        )
    if can(shop, detail, "apply_discount"):
        discount_parts.append(
            post_form(
                frame,
                f"{base}/apply_discount",
                t("action.apply_discount"),
                testid="action-apply-discount",
                fields=text_input(
                    frame,
                    cid,
                    "code",
                    t("field.code"),
                    value=frame.retained.get("code", ""),
                    required=True,
                    autocomplete="off",
                ),
                button_class="sp-secondary",
                form_class="sp-row-form",
            )
        )
    if discount_parts:
        titles = ", ".join(d.title for d in contract.discounts)
        parts.append(
            _disclosure(
                frame,
                "discounts",
                t("section.discounts"),
                titles,
                render('<div class="sp-stack">$p</div>', p=join(discount_parts)),
            )
        )
    if not parts:
        return Markup("")
    return section("changes", t("section.changes"), join(parts))
