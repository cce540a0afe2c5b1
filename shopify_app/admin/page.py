"""The embedded admin page: settings, API keys, link statistics and cancellation reasons.

Plain HTML with one small inline script. App Bridge (Shopify's CDN script, which must come
first and load synchronously) wraps `fetch` inside the admin so every call to `/admin/api/…`
carries the session token. The script builds the page with `textContent` and DOM nodes only:
nothing from the API is ever parsed as HTML.
"""

from __future__ import annotations

import html

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;padding:16px;color:#202223;background:#f6f6f7}
section{background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;max-width:960px}
h1{font-size:20px}h2{font-size:16px;margin-top:0}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e1e3e5}
label{display:block;margin:4px 0}fieldset{border:1px solid #e1e3e5;margin:8px 0}
.msg{min-height:1.4em}.err{color:#8e1f0b}.ok{color:#0c5132}code{word-break:break-all}
"""

_SCRIPT = r"""
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => { const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text); return n; };
  const say = (id, text, ok) => { const m = $(id); m.textContent = text;
    m.className = 'msg ' + (ok ? 'ok' : 'err'); };
  async function api(path, options) {
    const init = Object.assign({headers: {'Accept': 'application/json'}}, options || {});
    if (init.body !== undefined) init.headers['Content-Type'] = 'application/json';
    const response = await fetch('/admin/api/' + path, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || ('HTTP ' + response.status));
    return body;
  }
  function fillSettings(s) {
    loaded = s; const form = $('settings-form');
    form.link_policy.value = s.link_policy; form.portal_format.value = s.portal_format;
    form.mint_rate_limit.value = s.mint_rate_limit;
    const locale = form.default_locale; locale.replaceChildren();
    for (const name of s.choices.locales) { const o = el('option', name); o.value = name;
      locale.append(o); }
    locale.value = s.default_locale;
    const actions = $('actions'); actions.replaceChildren(el('legend', 'Customer actions'));
    for (const name of s.choices.actions) {
      const label = el('label'); const box = el('input'); box.type = 'checkbox';
      box.name = 'action'; box.value = name; box.checked = !!s.portal_actions[name];
      label.append(box, ' ' + name.replace(/_/g, ' ')); actions.append(label); }
    form.frequencies.value = s.allowed_frequencies.map((f) => f.interval + ':' + f.count)
      .join(', ');
  }
  // Only what the merchant changed is sent: a shop on the app's default frequencies keeps
  // following them (saving the form must not pin today's defaults as the shop's own list).
  let loaded = null;
  function changedSettings() {
    const now = readSettings(); if (!loaded) return now; const changed = {};
    for (const [key, value] of Object.entries(now)) {
      if (JSON.stringify(value) !== JSON.stringify(loaded[key])) changed[key] = value; }
    return changed;
  }
  function readSettings() {
    const form = $('settings-form'); const actions = {};
    for (const box of form.querySelectorAll('input[name=action]')) actions[box.value] = box.checked;
    const frequencies = form.frequencies.value.split(',').map((x) => x.trim()).filter(Boolean)
      .map((x) => { const [interval, count] = x.split(':');
        return {interval: (interval || '').toUpperCase(), count: Number(count)}; });
    return {link_policy: form.link_policy.value, portal_format: form.portal_format.value,
      // An empty field is null: back to the app's defaults (an empty list is refused).
      portal_actions: actions, allowed_frequencies: frequencies.length ? frequencies : null,
      mint_rate_limit: Number(form.mint_rate_limit.value),
      default_locale: form.default_locale.value};
  }
  function row(cells) { const tr = el('tr'); for (const c of cells) {
    tr.append(c instanceof Node ? (() => { const td = el('td'); td.append(c); return td; })()
      : el('td', c)); } return tr; }
  async function loadKeys() {
    const body = await api('api-keys'); const rows = $('keys-rows'); rows.replaceChildren();
    for (const k of body.api_keys) {
      let action = k.revoked_at ? 'revoked' : el('button', 'Revoke');
      if (action instanceof Node) action.addEventListener('click', async () => {
        try { await api('api-keys/' + k.id, {method: 'DELETE'}); say('keys-msg', 'Revoked.', true);
          await loadKeys(); } catch (e) { say('keys-msg', e.message, false); } });
      rows.append(row([k.name, k.prefix, k.created_at, k.last_used_at || '-', action])); }
  }
  async function loadStats() {
    const body = await api('stats?days=30'); const rows = $('stats-rows'); rows.replaceChildren();
    for (const s of body.sources) {
      const rate = s.redemption_rate === null ? '-' : (s.redemption_rate * 100).toFixed(1) + '%';
      rows.append(row([s.source || '(none)', s.api_key_name || '-', s.mints, s.redemptions, rate]));
    }
  }
  async function loadCancellations() {
    const body = await api('cancellations?limit=50'); const rows = $('cancel-rows');
    rows.replaceChildren();
    for (const c of body.cancellations) rows.append(row([c.created_at, c.contract_id,
      c.customer_id, c.reason || '-']));
  }
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // A fresh status for each save: two saves in a row must not look like one.
    say('settings-msg', 'Saving…', true); const body = JSON.stringify(changedSettings());
    try { fillSettings(await api('settings', {method: 'PUT', body: body}));
      say('settings-msg', 'Saved.', true); } catch (e) { say('settings-msg', e.message, false); }
  });
  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try { const key = await api('api-keys', {method: 'POST',
        body: JSON.stringify({name: $('key-name').value})});
      $('new-key').replaceChildren('Copy this key now, it is not shown again: ',
        el('code', key.key)); $('key-name').value = ''; await loadKeys();
    } catch (e) { say('keys-msg', e.message, false); }
  });
  api('settings').then(fillSettings).catch((e) => say('settings-msg', e.message, false));
  loadKeys().catch((e) => say('keys-msg', e.message, false));
  loadStats().catch((e) => say('stats-msg', e.message, false));
  loadCancellations().catch((e) => say('cancel-msg', e.message, false));
})();
"""


def _table(body_id: str, headings: tuple[str, ...]) -> str:
    head = "".join(f"<th scope=col>{html.escape(h)}</th>" for h in headings)
    return f"<table><thead><tr>{head}</tr></thead><tbody id={body_id}></tbody></table>"


def bounce(*, api_key: str, app_bridge_url: str) -> str:
    """The bounce page: App Bridge reads `shopify-reload` and reloads it with a fresh token."""
    key = html.escape(api_key, quote=True)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name="shopify-api-key" content="{key}">'
        f'<script src="{html.escape(app_bridge_url, quote=True)}"></script>'
        "<title>Subscription portal</title></head><body>"
        "<p>Loading your subscription portal settings…</p></body></html>"
    )


def render(*, shop_name: str, api_key: str, app_bridge_url: str) -> str:
    """The page for an installed shop; every value passed in is escaped here."""
    name = html.escape(shop_name)
    key = html.escape(api_key, quote=True)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f'<meta name="shopify-api-key" content="{key}">'
        f'<script src="{html.escape(app_bridge_url, quote=True)}"></script>'
        f"<title>Subscription portal</title><style>{_STYLE}</style></head><body>"
        f"<h1>Subscription portal</h1><p>Installed on {name}.</p>"
        "<section aria-labelledby=h-settings><h2 id=h-settings>Portal settings</h2>"
        "<form id=settings-form><fieldset id=actions></fieldset>"
        "<label>Links <select name=link_policy><option value=single_use>single use</option>"
        "<option value=reusable>reusable until expiry</option></select></label>"
        "<label>Portal pages <select name=portal_format><option value=liquid>in the theme"
        " (Liquid)</option><option value=html>standalone HTML</option></select></label>"
        "<label>Delivery frequencies (e.g. WEEK:2, MONTH:1; empty for the defaults)"
        " <input name=frequencies size=50>"
        "</label><label>Links per minute per API key <input name=mint_rate_limit type=number"
        " min=1 max=10000></label><label>Default language <select name=default_locale>"
        "</select></label><button type=submit>Save settings</button>"
        "<p id=settings-msg class=msg role=status></p></form></section>"
        "<section aria-labelledby=h-keys><h2 id=h-keys>API keys</h2>"
        "<form id=key-form><label>New key name <input id=key-name maxlength=100 required>"
        "</label><button type=submit>Create key</button></form><p id=new-key role=status></p>"
        f"<p id=keys-msg class=msg role=status></p>"
        f"{_table('keys-rows', ('Name', 'Prefix', 'Created', 'Last used', ''))}</section>"
        "<section aria-labelledby=h-stats><h2 id=h-stats>Links, last 30 days</h2>"
        "<p id=stats-msg class=msg role=status></p>"
        f"{_table('stats-rows', ('Source', 'API key', 'Links', 'Visits', 'Visit rate'))}"
        "</section><section aria-labelledby=h-cancel><h2 id=h-cancel>Recent cancellations"
        "</h2><p id=cancel-msg class=msg role=status></p>"
        f"{_table('cancel-rows', ('When', 'Contract', 'Customer', 'Reason'))}</section>"
        f"<script>{_SCRIPT}</script></body></html>"
    )
