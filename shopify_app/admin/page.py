"""The embedded admin page and the session-token bounce page, as Shopify's app templates build
app home: App Bridge (`<meta name="shopify-api-key">` + `app-bridge.js`, first and synchronous),
`<ui-nav-menu>` and Polaris web components (`polaris.js`, `<s-page>`, `<s-section>`,
`<s-button>`, `<s-badge>`).

Neither CDN script loads in tests or the sandbox, and a merchant's network may block one: the
page must stay readable and usable then. So the server renders everything a person reads,
forms use native, labelled fields, `static/admin.css` lays out the Polaris elements while they
are undefined, and `static/admin.js` turns an undefined `<s-button>` into a native `<button>`.
The script builds every dynamic part with DOM nodes and `textContent`: no API value is ever
parsed as HTML.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from shopify_app.admin import cancel_flow_page, catalog_page, wording
from shopify_app.locales import i18n
from shopify_app.merchant import policy

POLARIS_URL = "https://cdn.shopify.com/shopifycloud/polaris.js"
STATIC = Path(__file__).parent / "static"


@cache
def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _head(api_key: str, app_bridge_url: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f'<meta name="shopify-api-key" content="{_e(api_key)}">'
        f'<script src="{_e(app_bridge_url)}"></script>'
    )


def bounce(*, api_key: str, app_bridge_url: str) -> str:
    """The bounce page: App Bridge reads `shopify-reload` and reloads it with a fresh token."""
    return (
        _head(api_key, app_bridge_url)
        + "<title>Subscription portal</title></head><body>"
        "<p>Loading your subscription portal settings…</p></body></html>"
    )


def _data() -> str:
    """Words the script needs, as JSON inside the page (`<` escaped: it cannot end the tag)."""
    data = {
        "actions": wording.ACTION_LABELS,
        "scopes": wording.SCOPE_LABELS,
        "intervals": wording.INTERVAL_WORDS,
        "languages": wording.LANGUAGES,
    }
    return json.dumps(data).replace("<", "\\u003c")


def _checkbox(name: str, value: str, label: str, *, extra: str = "") -> str:
    ident = f"{name}-{value}".replace(":", "-").lower()
    return (f'<label class=check for="{_e(ident)}"><input type=checkbox id="{_e(ident)}" '
            f'name="{_e(name)}" value="{_e(value)}"{extra}> {_e(label)}</label>')


def _radios(name: str, legend: str, options: dict[str, str]) -> str:
    items = "".join(
        f'<label class=check><input type=radio name="{_e(name)}" value="{_e(v)}"> '
        f"{_e(label)}</label>" for v, label in options.items())
    return f"<fieldset><legend>{_e(legend)}</legend>{items}</fieldset>"


def _settings_form() -> str:
    actions = "".join(_checkbox("action", a, wording.ACTION_LABELS[a]) for a in policy.ACTIONS)
    frequencies = "".join(
        _checkbox("frequency", f"{i}:{c}", wording.frequency_label(i, c))
        for i, c in wording.COMMON_FREQUENCIES)
    lifetimes = "".join(f'<option value="{m}">{_e(label)}</option>'
                        for m, label in wording.LIFETIMES)
    languages = "".join(f'<option value="{_e(code)}">{_e(wording.language_label(code))}</option>'
                        for code in sorted(i18n.available()))
    units = "".join(f'<option value="{i}">{_e(many)}</option>'
                    for i, (_one, many) in wording.INTERVAL_WORDS.items())
    return (
        "<form id=settings-form novalidate><div class=grid-2><div>"
        f"<fieldset id=actions><legend>What customers can do in the portal</legend>{actions}"
        "</fieldset>"
        "<div class=field><label for=cancel-instructions>How customers cancel when they cannot "
        "cancel in the portal</label><p class=hint id=cancel-hint>Required when cancelling is "
        "off: many places require that customers can cancel online.</p>"
        "<textarea id=cancel-instructions name=cancel_instructions rows=3 maxlength=2000 "
        "aria-describedby=cancel-hint></textarea></div>"
        f"<fieldset id=frequencies><legend>Delivery frequencies customers can choose</legend>"
        f"<div id=frequency-list class=columns>{frequencies}</div>"
        "<div class=inline><label for=custom-count>Add: every</label>"
        "<input id=custom-count type=number min=1 max=365 value=5 inputmode=numeric>"
        f"<label class=visually-hidden for=custom-unit>Unit</label><select id=custom-unit>"
        f"{units}</select>"
        "<s-button id=add-frequency type=button>Add frequency</s-button></div></fieldset>"
        "</div><div>"
        f"{_radios('link_policy', 'Portal links', wording.LINK_POLICIES)}"
        "<div class=field><label for=link-lifetime>Links last, unless the sender asks "
        f"otherwise</label><select id=link-lifetime name=link_lifetime_minutes>{lifetimes}"
        "</select></div>"
        f"{_radios('portal_format', 'Portal pages', wording.PORTAL_FORMATS)}"
        "<div class=field><label for=default-locale>Portal language when the customer's is "
        f"unknown</label><select id=default-locale name=default_locale>{languages}</select>"
        "</div>"
        "<div class=field><label for=accent-color>Accent colour</label>"
        "<input id=accent-color name=accent_color type=color value='#1f5f8b'></div>"
        f"{_radios('button_style', 'Button corners', wording.BUTTON_STYLES)}"
        "<div class=field><label for=rate-limit>Links per minute per API key</label>"
        "<input id=rate-limit name=mint_rate_limit type=number min=1 max=10000 "
        "inputmode=numeric></div>"
        "<div class=field><label for=bulk-rate-limit>Links per minute per API key in bulk "
        "(campaigns)</label><input id=bulk-rate-limit name=bulk_link_rate_limit type=number "
        "min=1 max=1000000 inputmode=numeric></div>"
        "<h3>Preview</h3><p class=hint>What a customer sees, with these settings.</p>"
        "<div id=preview class=preview aria-label='Portal preview' role=img></div>"
        "</div></div>"
        "<div class=actions><s-button id=save-settings type=submit variant=primary>"
        "Save settings</s-button>"
        "<p id=settings-msg class=msg role=status></p></div></form>"
    )


def _section(ident: str, heading: str, body: str) -> str:
    return (f'<s-section id="{ident}" aria-labelledby="h-{ident}">'
            f'<h2 id="h-{ident}">{_e(heading)}</h2>{body}</s-section>')


def render(*, shop_name: str, api_key: str, app_bridge_url: str,
           polaris_url: str = POLARIS_URL) -> str:
    """The page for an installed shop; every value passed in is escaped here."""
    setup = ("<dl id=setup-list class=facts><dt>Status</dt><dd>Loading…</dd></dl>"
             "<p id=setup-msg class=msg role=status></p>")
    send = (
        "<form id=search-form class=inline role=search><label for=search>Customer email or "
        "name</label><input id=search name=q type=search maxlength=200 autocomplete=off>"
        "<s-button id=search-button type=submit>Find customer</s-button></form>"
        "<p id=search-msg class=msg role=status></p><ul id=search-results class=results></ul>"
        "<div id=link-box class=linkbox hidden></div>"
    )
    keys = (
        "<form id=key-form class=inline novalidate><label for=key-name>New key name</label>"
        "<input id=key-name name=name maxlength=100 required autocomplete=off>"
        "<s-button id=create-key type=submit variant=primary>Create key</s-button></form>"
        "<div id=new-key class=linkbox hidden></div><p id=keys-msg class=msg role=status></p>"
        "<div class=scroll tabindex=0 role=region aria-label='API keys table'>"
        "<table class=stack>"
        "<thead><tr><th scope=col>Name</th><th scope=col>Key starts with</th>"
        "<th scope=col>Created</th><th scope=col>Last used</th><th scope=col>Status</th>"
        "</tr></thead><tbody id=keys-rows></tbody></table></div>"
    )
    usage = (
        "<p id=usage-summary></p><div id=chart class=chart></div>"
        "<details><summary>Numbers per day</summary><div class=scroll tabindex=0 role=region "
        "aria-label='Links per day'><table><thead><tr><th scope=col>Day</th>"
        "<th scope=col class=num>Links made</th><th scope=col class=num>Links opened</th>"
        "</tr></thead>"
        "<tbody id=daily-rows></tbody></table></div></details>"
        "<h3>By source and API key</h3><p id=stats-msg class=msg role=status></p>"
        "<div class=scroll tabindex=0 role=region aria-label='Links by source'><table><thead>"
        "<tr><th scope=col>Source</th><th scope=col>API key</th>"
        "<th scope=col class=num>Links made</th>"
        "<th scope=col class=num>Opened</th><th scope=col class=num>Open rate</th></tr></thead>"
        "<tbody id=stats-rows></tbody></table></div>"
        "<h3>Why customers cancelled</h3><p id=cancel-msg class=msg role=status></p>"
        "<div class=scroll tabindex=0 role=region aria-label='Cancellation reasons'><table>"
        "<thead><tr><th scope=col>Reason</th><th scope=col class=num>Cancellations</th>"
        "</tr></thead>"
        "<tbody id=reason-rows></tbody></table></div>"
    )
    return (
        _head(api_key, app_bridge_url)
        + (f'<script src="{_e(polaris_url)}"></script>' if polaris_url else "")
        + f"<title>Subscription portal</title><style>{_asset('admin.css')}</style></head><body>"
        "<nav aria-label='App sections'><ui-nav-menu><a href='/' rel=home>Setup</a>"
        "<a href='#send-link'>Send a link</a>"
        "<a href='#api-keys'>API keys</a><a href='#settings'>Portal settings</a>"
        "<a href='#usage'>Usage</a></ui-nav-menu></nav>"
        "<s-page heading='Subscription portal'><main><header class=page-head>"
        f"<h1>Subscription portal</h1><p>Installed on {_e(shop_name)}.</p></header>"
        + _section("setup", "Setup", setup)
        + _section("send-link", "Send a link to a customer", send)
        + _section("api-keys", "API keys", keys)
        + _section("settings", "Portal settings", _settings_form())
        + _section("products", "Products customers can choose", catalog_page.products_form())
        + _section("usage", "Usage, last 30 days", usage)
        + _section("cancel-flow", "Cancellation reasons and offers", cancel_flow_page.editor())
        + _section("saves", "Saves and cancellations, last 30 days", cancel_flow_page.report())
        + "</main></s-page>"
        f"<script type=application/json id=admin-data>{_data()}</script>"
        f"<script>{_asset('admin.js')}</script>"
        f"<script>{_asset('cancel_flow.js')}</script>"
        f"<script>{_asset('admin_products.js')}</script></body></html>"
    )
