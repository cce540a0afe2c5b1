"""The frame every portal page shares: document or Liquid fragment, styles, script, forms.

With `application/liquid` (the default) Shopify renders the fragment inside the shop's theme;
a shop with `portal_format = "html"` gets a standalone document. Styles and script are inlined
from `static/`: the portal loads no external asset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from shopify_app.locales.i18n import Catalogue
from shopify_app.portal.views.markup import Markup, attrs, join, render

STATIC_DIR = Path(__file__).parent / "static"
LIQUID = "application/liquid"
HTML = "text/html; charset=utf-8"


@cache
def asset(name: str) -> Markup:
    """Our own CSS/JS, trusted and checked in a test to hold no Liquid delimiters."""
    return Markup((STATIC_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Frame:
    """What a page needs to know about its surroundings."""

    t: Catalogue
    path_prefix: str  # storefront path of the portal root, e.g. /tools/recurring/customer_portal
    liquid: bool
    session_value: str | None = None
    focus: str | None = None
    extra_head: list[str] = field(default_factory=list)
    timezone: str = "UTC"  # the shop's, for the calendar days pages show
    appearance_css: str = ""  # the merchant's accent and buttons (merchant.appearance)
    # The portal sub-path this page shows ("", "/orders", "/contracts/1"): the script puts it
    # in the address bar, so Reload, Back and a copied URL name this page (never the session).
    view_path: str | None = None
    today: date | None = None  # the server's day (UTC), which date checks count from
    retained: Mapping[str, str] = field(default_factory=dict)  # a refused form's typed values
    field_errors: Mapping[str, str] = field(default_factory=dict)  # field → reason, on the field

    def path(self, suffix: str = "") -> str:
        return f"{self.path_prefix}{suffix}"


@dataclass(frozen=True)
class Page:
    body: str
    media_type: str
    status: int = 200


def hidden(name: str, value: str) -> Markup:
    return render('<input type="hidden" name="$name" value="$value">', name=name, value=value)


def post_form(
    frame: Frame,
    suffix: str,
    label: str,
    *,
    testid: str,
    fields: Markup | str = "",
    hidden_fields: dict[str, str] | None = None,
    button_class: str = "",
    form_class: str = "sp-inline",
    current: bool = False,
) -> Markup:
    """A form posting to a portal path, carrying the session (our CSRF token) in its body."""
    hidden_markup = [hidden(k, v) for k, v in (hidden_fields or {}).items()]
    if frame.session_value:
        hidden_markup.insert(0, hidden("session", frame.session_value))
    button = render(
        '<button type="submit"$attrs>$label</button>',
        attrs=attrs(
            class_=button_class or None,
            data_testid=testid,
            aria_current="page" if current else None,
        ),
        label=label,
    )
    return render(
        '<form method="post" action="$action"$form_attrs>$hidden$fields$button</form>',
        action=frame.path(suffix),
        form_attrs=attrs(class_=form_class or None),
        hidden=join(hidden_markup),
        fields=Markup(fields) if isinstance(fields, Markup) else fields,
        button=button,
    )


def flash(message: str | None, *, error: bool = False) -> Markup:
    if not message:
        return Markup("")
    # `sp-outcome` takes the focus after an action (portal.js), so it is read out at once.
    if error:
        return render(
            '<div class="sp-flash sp-flash-error" id="sp-outcome" tabindex="-1" role="alert"'
            ' data-testid="flash-error">$m</div>',
            m=message,
        )
    return render(
        '<div class="sp-flash sp-flash-ok" id="sp-outcome" tabindex="-1" role="status"'
        ' data-testid="flash-success">$m</div>',
        m=message,
    )


def nav(frame: Frame, active: str) -> Markup:
    """Section tabs; `active` names the current one ("contract" is within subscriptions)."""
    items = [
        ("", frame.t.t("nav.subscriptions"), "nav-subscriptions", active == "subscriptions"),
        ("/orders", frame.t.t("nav.orders"), "nav-orders", active == "orders"),
    ]
    forms = [
        render(
            "<li>$f</li>",
            f=post_form(frame, s, label, testid=tid, current=cur, button_class="sp-secondary"),
        )
        for s, label, tid, cur in items
    ]
    if active == "contract":
        # A subscription's page sits within "My subscriptions": marked, but not as the page.
        forms[0] = Markup(forms[0].replace('aria-current="page"', "").replace(
            'data-testid="nav-subscriptions"',
            'data-testid="nav-subscriptions" aria-current="true"',
        ))
    return render(
        '<nav aria-label="$label"><ul class="sp-nav">$items</ul></nav>',
        label=frame.t.t("nav.label"),
        items=join(forms),
    )


def document(frame: Frame, title: str, body: Markup, *, status: int = 200) -> Page:
    root = render(
        '<div id="sp-portal" class="sp-portal"$a><style>$css$look</style>$body'
        "<script>$js</script></div>",
        a=attrs(
            lang=frame.t.locale,
            data_focus=frame.focus,
            data_view_path=frame.path(frame.view_path) if frame.view_path is not None else None,
            data_busy=frame.t.t("busy.action"),
            data_loading=frame.t.t("busy.nav"),
        ),
        css=asset("portal.css"),
        # Built only from checked values (#rrggbb, a known style): nothing to escape.
        look=Markup(frame.appearance_css),
        body=body,
        js=asset("portal.js"),
    )
    if frame.liquid:
        return Page(root, LIQUID, status)
    page = render(
        '<!doctype html><html lang="$lang"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">'
        '<title>$title</title></head><body class="sp-standalone"><main>$root</main></body>'
        "</html>",
        lang=frame.t.locale,
        title=title,
        root=root,
    )
    return Page(page, HTML, status)
