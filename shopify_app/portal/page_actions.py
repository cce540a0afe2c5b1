"""The forms of a subscription's self-service actions: only those the shop enables and the
contract's status allows (the server checks the same rule again)."""

from __future__ import annotations

from shopify_app.models import Shop
from shopify_app.portal import policy
from shopify_app.portal.layout import Frame, post_form
from shopify_app.portal.markup import Markup, attrs, join, render
from shopify_app.portal.viewmodels import Address, ContractDetail

_ADDRESS_INPUTS = (
    ("first_name", "given-name", True),
    ("last_name", "family-name", True),
    ("company", "organization", False),
    ("address1", "address-line1", True),
    ("address2", "address-line2", False),
    ("city", "address-level2", True),
    ("province_code", "address-level1", False),
    ("zip", "postal-code", True),
    ("country_code", "country", True),
    ("phone", "tel", False),
)


def _input(
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


def _section(key: str, title: str, content: Markup) -> Markup:
    return render(
        '<section class="sp-card" id="$id" tabindex="-1" aria-labelledby="$id-h">'
        '<h3 id="$id-h">$t</h3>$c</section>',
        id=key,
        t=title,
        c=content,
    )


def _address_values(address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province_code": address.province_code,
        "zip": address.zip,
        "country_code": address.country_code,
        "phone": address.phone,
    }


def action_panel(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    t = frame.t.t
    contract = detail.contract
    cid = contract.id
    base = f"/contracts/{cid}"

    def can(action: str) -> bool:
        return policy.action_available(shop, action, contract.status)

    parts: list[Markup] = []
    quick: list[Markup] = []
    if can("pause"):
        quick.append(
            post_form(
                frame,
                f"{base}/pause",
                t("action.pause"),
                testid="action-pause",
                button_class="sp-secondary",
            )
        )
    if can("resume"):
        quick.append(post_form(frame, f"{base}/resume", t("action.resume"), testid="action-resume"))
    if can("skip") and detail.next_unskipped is not None:
        quick.append(
            post_form(
                frame,
                f"{base}/skip",
                t("action.skip_next"),
                testid="action-skip",
                button_class="sp-secondary",
            )
        )
    if can("payment_email") and contract.payment is not None:
        quick.append(
            post_form(
                frame,
                f"{base}/payment_email",
                t("action.payment_email"),
                testid="action-payment-email",
                button_class="sp-secondary",
            )
        )
    if quick:
        parts.append(
            _section(
                "manage",
                t("section.manage"),
                render('<div class="sp-actions">$q</div>', q=join(quick)),
            )
        )
    if can("set_next_date"):
        current = (
            contract.next_billing_date.date().isoformat() if contract.next_billing_date else ""
        )
        field = _input(
            frame, cid, "date", t("field.next_date"), type_="date", value=current, required=True
        )
        parts.append(
            _section(
                "next-date",
                t("section.next_date"),
                post_form(
                    frame,
                    f"{base}/set_next_date",
                    t("action.set_next_date"),
                    testid="action-set-next-date",
                    fields=field,
                    form_class="",
                ),
            )
        )
    if can("change_frequency"):
        current_key = (
            f"{contract.delivery_interval or contract.billing_interval}:"
            f"{contract.delivery_count or contract.billing_count}"
        )
        options = join(
            render(
                "<option$a>$l</option>",
                a=attrs(value=f.key, selected=f.key == current_key),
                l=t(
                    "frequency.every",
                    count=f.count,
                    unit=t(f"interval.{f.interval.lower()}.{'one' if f.count == 1 else 'other'}"),
                ),
            )
            for f in policy.allowed_frequencies(shop)
        )
        select = render(
            '<div class="sp-field"><label for="sp-$cid-frequency">$l</label>'
            '<select id="sp-$cid-frequency" name="frequency">$o</select></div>',
            cid=cid,
            l=t("field.frequency"),
            o=options,
        )
        parts.append(
            _section(
                "frequency",
                t("section.frequency"),
                post_form(
                    frame,
                    f"{base}/change_frequency",
                    t("action.change_frequency"),
                    testid="action-change-frequency",
                    fields=select,
                    form_class="",
                ),
            )
        )
    if can("change_quantity") and contract.lines:
        forms = [
            post_form(
                frame,
                f"{base}/change_quantity",
                t("action.change_quantity"),
                testid=f"action-change-quantity-{i}",
                form_class="sp-actions",
                hidden_fields={"line_id": line.gid},
                fields=_input(
                    frame,
                    cid,
                    "quantity",
                    t("field.quantity_of", title=line.title),
                    type_="number",
                    value=str(line.quantity),
                    required=True,
                    extra=Markup(' min="1" max="100" inputmode="numeric"'),
                    id_suffix=f"quantity-{i}",
                ),
            )
            for i, line in enumerate(contract.lines)
        ]
        parts.append(_section("quantity", t("section.quantity"), join(forms)))
    if can("change_address"):
        values = _address_values(contract.address)
        fields = join(
            _input(
                frame,
                cid,
                name,
                t(f"field.{name}"),
                value=values.get(name, ""),
                required=required,
                autocomplete=auto,
            )
            for name, auto, required in _ADDRESS_INPUTS
        )
        parts.append(
            _section(
                "address",
                t("section.address"),
                post_form(
                    frame,
                    f"{base}/change_address",
                    t("action.change_address"),
                    testid="action-change-address",
                    fields=render('<div class="sp-grid">$f</div>', f=fields),
                    form_class="",
                ),
            )
        )
    discount_parts: list[Markup] = []
    if can("remove_discount"):
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
    if can("apply_discount"):
        discount_parts.append(
            post_form(
                frame,
                f"{base}/apply_discount",
                t("action.apply_discount"),
                testid="action-apply-discount",
                fields=_input(
                    frame, cid, "code", t("field.code"), required=True, autocomplete="off"
                ),
                form_class="",
            )
        )
    if discount_parts:
        parts.append(_section("discounts", t("section.discounts"), join(discount_parts)))
    if can("cancel"):
        reason = render(
            '<div class="sp-field"><label for="sp-$cid-reason">$l</label>'
            '<textarea id="sp-$cid-reason" name="reason" rows="3" maxlength="500">'
            "</textarea></div>",
            cid=cid,
            l=t("field.reason"),
        )
        parts.append(
            _section(
                "cancel",
                t("section.cancel"),
                post_form(
                    frame,
                    f"{base}/cancel",
                    t("action.cancel"),
                    testid="action-cancel",
                    fields=reason,
                    button_class="sp-danger",
                    form_class="",
                ),
            )
        )
    return join(parts)
