(() => {
  'use strict';
  const WORDS = JSON.parse(document.getElementById('admin-data').textContent);
  const $ = (id) => document.getElementById(id);
  const polaris = () => !!(window.customElements && customElements.get('s-button'));

  // Nodes from text only: nothing the API says is ever parsed as HTML.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  // A Polaris button when polaris.js is there, else a native one that looks alike.
  function button(text, props) {
    const p = Object.assign({type: 'button'}, props || {});
    if (polaris()) return el('s-button', Object.assign({text: text}, p));
    const classes = ['btn'];
    if (p.variant === 'primary') classes.push('btn-primary');
    if (p.tone === 'critical') classes.push('btn-critical');
    return el('button', Object.assign({text: text, class: classes.join(' ')}, p));
  }
  function nativeButtons() {
    if (polaris()) return;
    for (const s of Array.from(document.querySelectorAll('s-button'))) {
      const b = button('', {});
      for (const a of Array.from(s.attributes)) b.setAttribute(a.name, a.value);
      b.className = 'btn' + (s.getAttribute('variant') === 'primary' ? ' btn-primary' : '') +
        (s.getAttribute('tone') === 'critical' ? ' btn-critical' : '');
      b.type = s.getAttribute('type') || 'button';
      b.append(...Array.from(s.childNodes));
      s.replaceWith(b);
    }
  }
  nativeButtons();  // first: the listeners below go on the buttons that stay

  const say = (id, text, ok) => { const m = $(id); m.textContent = text || '';
    m.className = 'msg ' + (ok ? 'ok' : 'err'); };
  const when = (iso) => iso ? new Date(iso).toLocaleString(undefined,
    {dateStyle: 'medium', timeStyle: 'short'}) : 'Never';
  const day = (iso) => new Date(iso + 'T00:00:00Z').toLocaleDateString(undefined,
    {month: 'short', day: 'numeric', timeZone: 'UTC'});
  const frequencyLabel = (interval, count) => {
    const w = WORDS.intervals[interval] || [interval.toLowerCase(), interval.toLowerCase()];
    return count === 1 ? 'Every ' + w[0] : 'Every ' + count + ' ' + w[1];
  };

  async function api(path, options) {
    const init = Object.assign({headers: {'Accept': 'application/json'}}, options || {});
    if (init.body !== undefined) init.headers['Content-Type'] = 'application/json';
    const response = await fetch('/admin/api/' + path, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.detail || 'Something went wrong (HTTP ' + response.status + ').');
      error.field = body.field; throw error;
    }
    return body;
  }

  async function copy(input, messageId) {
    try { await navigator.clipboard.writeText(input.value); }
    catch (e) { input.select(); document.execCommand('copy'); }
    say(messageId, 'Copied.', true);
  }
  function linkBox(box, label, value, note) {
    const id = box.id + '-value'; const msg = box.id + '-msg';
    const input = el('input', {id: id, readonly: true, value: value});
    box.replaceChildren(el('label', {for: id, text: label}), input,
      el('div', {class: 'inline'}, button('Copy', {onclick: () => copy(input, msg)}),
        el('span', {text: note || ''})),
      el('p', {id: msg, class: 'msg', role: 'status'}));
    box.hidden = false; return input;
  }

  // Setup status
  async function loadSetup() {
    const s = await api('status'); const list = $('setup-list'); list.replaceChildren();
    const fact = (term, ...value) => list.append(el('dt', {text: term}), el('dd', {}, ...value));
    const badge = (tone, text) => el('s-badge', {tone: tone, text: text});
    fact('Installed', s.installed ? badge('success', 'Installed') : badge('critical', 'Not installed'),
      s.installed_at ? ' since ' + when(s.installed_at) : '');
    fact('Access granted', s.scopes.map((x) => WORDS.scopes[x] || x).join(', ') || 'None',
      s.missing_scopes.length ? el('div', {}, badge('warning', 'Missing'), ' ' +
        s.missing_scopes.map((x) => WORDS.scopes[x] || x).join(', ')) : '');
    fact('Portal address', s.portal.url ? el('span', {text: s.portal.path}) :
      badge('critical', s.portal.problem || 'Not reachable'));
    const imported = s.contracts + ' subscriptions of ' + s.customers + ' customers';
    let progress = '';
    if (s.import && s.import.state === 'running') progress = ' (importing: ' +
      s.import.contracts + ' so far)';
    else if (s.import && s.import.state === 'failed') progress = ' (the import stopped; ' +
      'it starts again when you reopen the app)';
    else if (s.import && s.import.state === 'done') progress = ' (import finished)';
    fact('Subscriptions imported', imported + progress);
    fact('Last update from Shopify', s.last_webhook ? when(s.last_webhook.received_at) :
      'None received yet');
    if (s.test_customer) {
      const open = button('Open the portal as ' + s.test_customer.name, {id: 'open-portal',
        onclick: async () => {
          try { const link = await api('customers/' + s.test_customer.customer_id + '/link',
            {method: 'POST'});
            window.open(link.url, '_blank', 'noopener');
            say('setup-msg', 'The portal opened in a new tab.', true);
          } catch (e) { say('setup-msg', e.message, false); } }});
      fact('Try the portal', open);
    } else {
      fact('Try the portal', 'Once a customer subscribes, you can open the portal as them here.');
    }
    if (s.import && s.import.state === 'running') setTimeout(() => loadSetup().catch(() => {}), 3000);
  }

  // Send a link to a customer
  $('search-form').addEventListener('submit', async (event) => {
    event.preventDefault(); const results = $('search-results'); results.replaceChildren();
    say('search-msg', 'Searching…', true);
    try {
      const body = await api('customers?q=' + encodeURIComponent($('search').value));
      say('search-msg', body.customers.length ? body.customers.length + ' found.' :
        'No subscriber matches. Try part of the email address.', body.customers.length > 0);
      for (const c of body.customers) {
        const subs = c.active_subscriptions === 1 ? '1 active subscription' :
          c.active_subscriptions + ' active subscriptions';
        results.append(el('li', {}, el('span', {},
          el('strong', {text: c.name || c.email || 'Customer'}), ' ',
          el('span', {text: (c.email || '') + ' · ' + subs})),
          button('Get a link for ' + (c.name || c.email || 'this customer'), {
            onclick: () => getLink(c) })));
      }
    } catch (e) { say('search-msg', e.message, false); }
  });
  async function getLink(customer) {
    try {
      const link = await api('customers/' + customer.customer_id + '/link', {method: 'POST'});
      const input = linkBox($('link-box'), 'Portal link for ' + (customer.name || customer.email),
        link.url, 'Expires ' + when(link.expires_at));
      input.focus(); input.select();
    } catch (e) { say('search-msg', e.message, false); }
  }

  // API keys
  async function loadKeys() {
    const body = await api('api-keys'); const rows = $('keys-rows'); rows.replaceChildren();
    if (!body.api_keys.length) rows.append(el('tr', {}, el('td', {colspan: 5,
      text: 'No API keys yet.'})));
    for (const k of body.api_keys) {
      const status = el('td');
      if (k.revoked_at) status.append(el('s-badge', {text: 'Revoked ' + when(k.revoked_at)}));
      else status.append(button('Revoke', {'aria-label': 'Revoke ' + k.name,
        onclick: () => confirmRevoke(k, status)}));
      status.setAttribute('data-label', 'Status');
      rows.append(el('tr', {'data-key': k.id}, el('td', {text: k.name, 'data-label': 'Name'}),
        el('td', {'data-label': 'Key starts with'}, el('code', {text: k.prefix})),
        el('td', {text: when(k.created_at), 'data-label': 'Created'}),
        el('td', {text: k.last_used_at ? when(k.last_used_at) : 'Never', 'data-label': 'Last used'}),
        status));
    }
  }
  function confirmRevoke(key, cell) {
    const keep = button('Keep key', {onclick: () => loadKeys()});
    cell.replaceChildren(el('div', {}, el('p', {text: 'Revoke "' + key.name +
        '"? Anything using it stops working at once.'}),
      el('div', {class: 'inline'}, button('Revoke key', {tone: 'critical', onclick: async () => {
        try { await api('api-keys/' + key.id, {method: 'DELETE'});
          say('keys-msg', 'Revoked "' + key.name + '".', true); await loadKeys();
        } catch (e) { say('keys-msg', e.message, false); } }}), keep)));
    keep.focus();
  }
  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault(); const name = $('key-name');
    if (!name.value.trim()) { say('keys-msg', 'Give the key a name.', false); name.focus(); return; }
    try {
      const key = await api('api-keys', {method: 'POST', body: JSON.stringify({name: name.value})});
      linkBox($('new-key'), 'Your new key "' + key.name + '". Copy it now: it is not shown again.',
        key.key).focus();
      name.value = ''; say('keys-msg', '', true); await loadKeys();
    } catch (e) { say('keys-msg', e.message, false); }
  });

  // Portal settings
  const form = $('settings-form'); let loaded = null;
  function frequencyBox(interval, count) {
    const value = interval + ':' + count;
    let box = form.querySelector('input[name=frequency][value="' + value + '"]');
    if (!box) {
      const id = 'frequency-' + interval.toLowerCase() + '-' + count;
      box = el('input', {type: 'checkbox', id: id, name: 'frequency', value: value});
      $('frequency-list').append(el('label', {class: 'check', for: id}, box, ' ' +
        frequencyLabel(interval, count)));
    }
    return box;
  }
  function fill(s) {
    loaded = s;
    for (const box of form.querySelectorAll('input[name=action]')) box.checked = !!s.portal_actions[box.value];
    for (const box of form.querySelectorAll('input[name=frequency]')) box.checked = false;
    for (const f of s.allowed_frequencies) frequencyBox(f.interval, f.count).checked = true;
    form.querySelector('input[name=link_policy][value=' + s.link_policy + ']').checked = true;
    form.querySelector('input[name=portal_format][value=' + s.portal_format + ']').checked = true;
    form.querySelector('input[name=button_style][value=' + s.button_style + ']').checked = true;
    const lifetime = form.link_lifetime_minutes;
    if (!Array.from(lifetime.options).some((o) => Number(o.value) === s.link_lifetime_minutes)) {
      lifetime.append(el('option', {value: s.link_lifetime_minutes,
        text: s.link_lifetime_minutes + ' minutes'}));
    }
    lifetime.value = String(s.link_lifetime_minutes);
    form.default_locale.value = s.default_locale; form.accent_color.value = s.accent_color;
    form.mint_rate_limit.value = s.mint_rate_limit;
    form.bulk_link_rate_limit.value = s.bulk_link_rate_limit;
    form.cancel_instructions.value = s.cancel_instructions; preview();
  }
  function read() {
    const actions = {}; const frequencies = [];
    for (const box of form.querySelectorAll('input[name=action]')) actions[box.value] = box.checked;
    for (const box of form.querySelectorAll('input[name=frequency]:checked')) {
      const [interval, count] = box.value.split(':');
      frequencies.push({interval: interval, count: Number(count)});
    }
    const radio = (name) => (form.querySelector('input[name=' + name + ']:checked') || {}).value;
    return {portal_actions: actions, allowed_frequencies: frequencies,
      link_policy: radio('link_policy'), portal_format: radio('portal_format'),
      button_style: radio('button_style'), link_lifetime_minutes: Number(form.link_lifetime_minutes.value),
      default_locale: form.default_locale.value, accent_color: form.accent_color.value,
      mint_rate_limit: Number(form.mint_rate_limit.value),
      bulk_link_rate_limit: Number(form.bulk_link_rate_limit.value),
      cancel_instructions: form.cancel_instructions.value};
  }
  // Only what changed is sent: a shop on the app's default frequencies keeps following them.
  function changed() {
    const now = read(); const out = {};
    for (const [key, value] of Object.entries(now)) {
      const before = key === 'cancel_instructions' ? (loaded[key] || '').trim() : loaded[key];
      const after = key === 'cancel_instructions' ? value.trim() : value;
      if (JSON.stringify(after) !== JSON.stringify(before)) out[key] = value;
    }
    return out;
  }
  function cancelRule() {
    const cancelOn = form.querySelector('input[name=action][value=cancel]').checked;
    form.cancel_instructions.required = !cancelOn;
    form.cancel_instructions.setAttribute('aria-required', String(!cancelOn));
  }
  function onAccent(hex) {
    const n = parseInt(hex.slice(1), 16); const r = n >> 16, g = (n >> 8) & 255, b = n & 255;
    const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) > 0.179 ? '#000000' : '#ffffff';
  }
  function preview() {
    const s = read(); const box = $('preview'); cancelRule();
    const radius = {rounded: '.5rem', square: '0', pill: '999px'}[s.button_style] || '.5rem';
    box.style.setProperty('--pv-accent', s.accent_color);
    box.style.setProperty('--pv-on-accent', onAccent(s.accent_color));
    box.style.setProperty('--pv-radius', radius);
    const names = {pause: 'Pause subscription', skip: 'Skip next order', change_frequency: 'Change frequency'};
    const buttons = el('div', {class: 'pv-buttons'});
    for (const [action, label] of Object.entries(names)) {
      if (s.portal_actions[action]) buttons.append(el('span', {class: 'pv-btn pv-primary', text: label}));
    }
    const card = el('div', {class: 'pv-card'}, el('strong', {text: 'House coffee blend'}),
      el('div', {text: s.allowed_frequencies.length ? frequencyLabel(s.allowed_frequencies[0].interval,
        s.allowed_frequencies[0].count) + ' · next order in 5 days' : 'Next order in 5 days'}), buttons);
    if (s.portal_actions.cancel) {
      card.append(el('div', {class: 'pv-buttons'}, el('span', {class: 'pv-btn pv-secondary',
        text: 'Cancel subscription'})));
    } else {
      card.append(el('div', {class: 'pv-how'}, el('strong', {text: 'How to cancel'}),
        el('div', {text: s.cancel_instructions.trim() || '(Write how customers cancel.)'})));
    }
    box.setAttribute('aria-label', 'Portal preview: ' + card.textContent);
    box.replaceChildren(el('div', {text: 'Your subscriptions', class: 'pv-title'}), card);
  }
  form.addEventListener('input', preview); form.addEventListener('change', preview);
  $('add-frequency').addEventListener('click', () => {
    const count = Number($('custom-count').value); const interval = $('custom-unit').value;
    if (!Number.isInteger(count) || count < 1 || count > 365) {
      say('settings-msg', 'A frequency is every 1 to 365 days, weeks, months or years.', false); return; }
    const box = frequencyBox(interval, count); box.checked = true; box.focus(); preview();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault(); const s = read();
    if (!s.portal_actions.cancel && !s.cancel_instructions.trim()) {
      say('settings-msg', 'Tell customers how to cancel when the portal cannot cancel for them.', false);
      form.cancel_instructions.focus(); return;
    }
    if (!s.allowed_frequencies.length) {
      say('settings-msg', 'Choose at least one delivery frequency.', false); return; }
    say('settings-msg', 'Saving…', true);
    try { fill(await api('settings', {method: 'PUT', body: JSON.stringify(changed())}));
      say('settings-msg', 'Saved.', true);
    } catch (e) { say('settings-msg', e.message, false); }
  });

  // Usage
  function chart(daily) {
    const NS = 'http://www.w3.org/2000/svg'; const W = 600, H = 180, P = 24;
    const svg = (tag, attrs) => { const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v)); return n; };
    const max = Math.max(1, ...daily.map((d) => Math.max(d.mints, d.redemptions)));
    const made = daily.reduce((a, d) => a + d.mints, 0);
    const opened = daily.reduce((a, d) => a + d.redemptions, 0);
    const root = svg('svg', {viewBox: '0 0 ' + W + ' ' + (H + 2 * P), role: 'img',
      'aria-labelledby': 'chart-title'});
    const title = svg('title', {id: 'chart-title'});
    title.textContent = 'Links made and opened per day: ' + made + ' made, ' + opened +
      ' opened in ' + daily.length + ' days';
    root.append(title);
    const step = (W - P) / daily.length; const bar = Math.max(2, step / 2 - 1);
    root.append(svg('line', {x1: P, y1: H, x2: W, y2: H, stroke: '#8a8a8a'}));
    // Labels stay about 11px on screen however narrow the chart is drawn.
    const size = Math.min(26, Math.max(11, 11 * W / ($('chart').clientWidth || W)));
    const label = (x, y, text, anchor) => { const t = svg('text', {x: x, y: y, 'font-size': size,
      fill: '#616161', 'text-anchor': anchor || 'start'}); t.textContent = text; root.append(t); };
    label(0, size, String(max)); label(0, H, '0');
    daily.forEach((d, i) => {
      const x = P + i * step; const h1 = (H - 14) * d.mints / max; const h2 = (H - 14) * d.redemptions / max;
      root.append(svg('rect', {x: x, y: H - h1, width: bar, height: h1, fill: '#005bd3',
        'data-day': d.day, 'data-mints': d.mints}));
      root.append(svg('rect', {x: x + bar, y: H - h2, width: bar, height: h2, fill: '#29845a',
        'data-day': d.day, 'data-redemptions': d.redemptions}));
    });
    label(P, H + size + 4, day(daily[0].day));
    label(W, H + size + 4, day(daily[daily.length - 1].day), 'end');
    const legend = el('div', {class: 'legend'},
      el('span', {}, el('span', {class: 'swatch', style: 'background:#005bd3'}), 'Links made'),
      el('span', {}, el('span', {class: 'swatch', style: 'background:#29845a'}), 'Links opened'));
    $('chart').replaceChildren(root, legend);
    $('usage-summary').textContent = made + (made === 1 ? ' link' : ' links') + ' made and ' +
      opened + ' opened in the last ' + daily.length + ' days.';
    const rows = $('daily-rows'); rows.replaceChildren();
    for (const d of daily.slice().reverse()) rows.append(el('tr', {}, el('td', {text: day(d.day)}),
      el('td', {class: 'num', text: d.mints}), el('td', {class: 'num', text: d.redemptions})));
  }
  async function loadUsage() {
    const body = await api('stats?days=30'); chart(body.daily);
    const rows = $('stats-rows'); rows.replaceChildren();
    if (!body.sources.length) rows.append(el('tr', {}, el('td', {colspan: 5, text: 'No links yet.'})));
    for (const s of body.sources) {
      const rate = s.redemption_rate === null ? '–' : Math.round(s.redemption_rate * 100) + '%';
      const source = s.source === 'admin' ? 'Sent from this page' : (s.source || 'Not named');
      rows.append(el('tr', {}, el('td', {text: source}), el('td', {text: s.api_key_name || '–'}),
        el('td', {class: 'num', text: s.mints}), el('td', {class: 'num', text: s.redemptions}),
        el('td', {class: 'num', text: rate})));
    }
  }
  async function loadReasons() {
    const body = await api('cancellations?limit=1'); const rows = $('reason-rows');
    rows.replaceChildren();
    if (!body.reasons.length) rows.append(el('tr', {}, el('td', {colspan: 2, text: 'No cancellations yet.'})));
    for (const r of body.reasons) rows.append(el('tr', {}, el('td', {text: r.reason || 'No reason given'}),
      el('td', {class: 'num', text: r.count})));
  }

  loadSetup().catch((e) => say('setup-msg', e.message, false));
  api('settings').then(fill).catch((e) => say('settings-msg', e.message, false));
  loadKeys().catch((e) => say('keys-msg', e.message, false));
  loadUsage().catch((e) => say('stats-msg', e.message, false));
  loadReasons().catch((e) => say('cancel-msg', e.message, false));
})();
