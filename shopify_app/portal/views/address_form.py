"""The delivery address: shown as the country writes it, and edited in a form shaped by the
country (its fields, order, names, required ones and a list of its provinces).

Changing the country changes the form. Without script, "Show this country's fields" posts
the form as a navigation (nothing is saved, nothing spent) and the page comes back with that
country's fields and everything typed; with script the same happens as soon as the country
changes. A refused address comes back the same way, each problem said on its own field
(`aria-invalid`, `aria-describedby`).
"""

from __future__ import annotations

from collections.abc import Mapping

from shopify_app.errors import AppError
from shopify_app.locales.i18n import Catalogue
from shopify_app.merchant import policy
from shopify_app.portal import refusals
from shopify_app.portal.addresses import countries
from shopify_app.portal.addresses.display import address_lines
from shopify_app.portal.addresses.layout import AUTOCOMPLETE, Layout, layout
from shopify_app.portal.addresses.validation import country_of, field_of_user_error
from shopify_app.portal.views.layout import Frame, hidden
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.viewmodels import Address, ContractDetail
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import Shop

FIELDS = ("first_name", "last_name", "company", "address1", "address2", "city",
          "province_code", "zip", "country_code", "phone")
REFRESH = "address_refresh"  # the navigation that re-renders the form for another country
ALL_SUBSCRIPTIONS = "all_subscriptions"
ALL_SETTING = "change_address_all"  # the per-shop setting (merchant.policy.ACTIONS)


def values_of(address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {name: str(getattr(address, name)) for name in FIELDS}


def address_text(frame: Frame, address: Address | None) -> list[str]:
    return address_lines(values_of(address), frame.t.locale)


def _label(frame: Frame, shape: Layout, name: str) -> str:
    text = frame.t.t(shape.labels[name])
    return text if name in shape.required else frame.t.t("address.optional", label=text)


def _error_text(frame: Frame, shape: Layout, name: str, reason: str) -> str:
    t = frame.t.t
    if reason.startswith("="):  # Shopify's own reason, already in the customer's language
        return reason[1:]
    if reason == "invalid" and name == "zip" and shape.zip_examples:
        country = countries.country_name(shape.country, frame.t.locale)
        return t("address.error.invalid_zip", country=country, example=shape.zip_examples[0])
    key = f"address.error.{reason}_{name}"
    try:
        return t(key)
    except KeyError:
        known = reason in ("required", "too_long")
        return t(f"address.error.{reason}" if known else "address.error.invalid")


def _options(choices: list[tuple[str, str]], chosen: str) -> Markup:
    return join(
        render("<option$a>$name</option>", a=attrs(value=code, selected=code == chosen), name=name)
        for code, name in choices
    )


def _control(
    frame: Frame, shape: Layout, cid: int, name: str, value: str, described: str
) -> Markup:
    field_id = f"sp-{cid}-{name}"
    common = attrs(
        id=field_id,
        name=name,
        required=name in shape.required,
        autocomplete=AUTOCOMPLETE[name],
        aria_invalid="true" if name in frame.field_errors else None,
        aria_describedby=described or None,
        # Back from "Show this country's fields" without script: where the customer was.
        autofocus=frame.focus == field_id,
    )
    if name == "country_code":
        choices = list(countries.country_choices(frame.t.locale))
        return render("<select$a data-address-country>$o</select>", a=common,
                      o=_options(choices, shape.country))
    if name == "province_code":
        areas = countries.subdivisions(shape.country, frame.t.locale)
        found = countries.subdivision(shape.country, value, frame.t.locale)
        choices = [("", frame.t.t("address.choose")), *((s.code, s.name) for s in areas)]
        chosen = found.code if found else ""
        return render("<select$a>$o</select>", a=common, o=_options(choices, chosen))
    kind = "tel" if name == "phone" else "text"
    return render("<input$a$b>", a=common, b=attrs(type=kind, value=value, maxlength=255))


def _field(frame: Frame, shape: Layout, cid: int, name: str, value: str) -> Markup:
    field_id = f"sp-{cid}-{name}"
    notes: list[Markup] = []
    described: list[str] = []
    reason = frame.field_errors.get(name)
    if reason:
        described.append(f"{field_id}-error")
        notes.append(render('<p class="sp-field-error" id="$id">$m</p>', id=f"{field_id}-error",
                            m=_error_text(frame, shape, name, reason)))
    if name == "zip" and shape.zip_examples and not reason:  # an error gives the example
        described.append(f"{field_id}-hint")
        notes.append(render('<p class="sp-hint sp-muted" id="$id">$m</p>', id=f"{field_id}-hint",
                            m=frame.t.t("address.example", example=shape.zip_examples[0])))
    return render(
        '<div class="sp-field$cls"><label for="$id">$label</label>$control$notes</div>',
        cls=" sp-field-invalid" if reason else "",
        id=field_id,
        label=_label(frame, shape, name),
        control=_control(frame, shape, cid, name, value, " ".join(described)),
        notes=join(notes),
    )


def form_values(frame: Frame, detail: ContractDetail) -> dict[str, str]:
    """What the form shows: what the customer typed (a refused or re-shaped form), else the
    subscription's address."""
    if frame.retained.get("country_code") is not None and any(
        name in frame.retained for name in FIELDS
    ):
        return {name: frame.retained.get(name, "") for name in FIELDS}
    return values_of(detail.contract.address)


def address_form(frame: Frame, shop: Shop, detail: ContractDetail) -> Markup:
    """The form's body: the country's fields row by row, the "all my subscriptions" box,
    the save button and (for browsers without script) the re-shape button."""
    t = frame.t.t
    cid = detail.contract.id
    values = form_values(frame, detail)
    shape = layout(country_of(values) or (detail.contract.address.country_code.upper()
                                          if detail.contract.address else ""))
    rows = join(
        render('<div class="sp-address-row" data-fields="$n">$f</div>', n=len(row),
               f=join(_field(frame, shape, cid, name, values.get(name, "")) for name in row))
        for row in shape.rows
    )
    others = [i for i in detail.live_ids if i != cid]
    every = Markup("")
    if others and policy.action_enabled(shop, ALL_SETTING):
        checked = frame.retained.get(ALL_SUBSCRIPTIONS) == "1"
        every = render(
            '<div class="sp-check"><input type="checkbox" id="$id" name="$n" value="1"$c>'
            '<label for="$id">$l</label></div>',
            id=f"sp-{cid}-{ALL_SUBSCRIPTIONS}",
            n=ALL_SUBSCRIPTIONS,
            c=attrs(checked=checked),
            l=t("address.all_subscriptions", count=len(others) + 1),
        )
    session = hidden("session", frame.session_value) if frame.session_value else Markup("")
    return render(
        '<form method="post" action="$action" class="sp-address-form">$session$rows$every'
        '<div class="sp-actions">'
        '<button type="submit" data-testid="action-change-address">$save</button>'
        '<button type="submit" class="sp-secondary" data-address-refresh formaction="$view"'
        ' formnovalidate name="$refresh" value="1" data-testid="address-refresh">$again</button>'
        "</div></form>",
        action=frame.path(f"/contracts/{cid}/change_address"),
        view=frame.path(f"/contracts/{cid}"),
        session=session,
        rows=rows,
        every=every,
        save=t("action.change_address"),
        refresh=REFRESH,
        again=t("address.refresh"),
    )


def retained_of(form: Mapping[str, str], limit: int) -> dict[str, str]:
    """The address a form carried, to show again (bounded; never the session)."""
    kept = {k: v[:limit] for k, v in form.items() if k in FIELDS or k == ALL_SUBSCRIPTIONS}
    kept.setdefault("country_code", "")
    return kept


def field_errors(catalogue: Catalogue, exc: AppError) -> dict[str, str]:
    """Each refused field with its reason: ours (`AddressInvalid`), or Shopify's `userErrors`
    on an address field, whose text (translated when its code is known) is the reason, marked
    with a leading "=" (see `_error_text`)."""
    if isinstance(exc, ShopifyUserErrors):
        found: dict[str, str] = {}
        for error in exc.user_errors:
            name = field_of_user_error(error) if isinstance(error, dict) else None
            if name and name not in found:
                found[name] = "=" + (refusals.user_error_text(catalogue, error) or exc.detail)
        return found
    errors = exc.extra.get("errors")
    if isinstance(errors, dict):
        return {str(k): str(v) for k, v in errors.items() if k in FIELDS}
    return {}


def partly_text(catalogue: Catalogue, exc: AppError) -> str:
    """"Changed: A, B. Not changed: C (reason)." for an all-subscriptions change."""
    t = catalogue.t

    def name(item: object) -> str:
        entry = item if isinstance(item, dict) else {}
        return str(entry.get("title") or t("address.subscription", id=entry.get("id", "")))

    changed = exc.extra.get("changed")
    failed = exc.extra.get("failed")
    done = ", ".join(name(i) for i in changed) if isinstance(changed, list) else ""
    left = []
    for item in failed if isinstance(failed, list) else []:
        reason = refusals.user_error_text(catalogue, item) if isinstance(item, dict) else ""
        left.append(t("address.failed_one", name=name(item), reason=reason or t("flash.invalid")))
    return t("address.partly", changed=done, failed="; ".join(left))
