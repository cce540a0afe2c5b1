(() => {
  'use strict';
  // The cancel flow's reasons editor and its report. Runs after admin.js (which has turned the
  // server's <s-button>s into native buttons when Polaris is absent); every node from text.
  const WORDS = JSON.parse(document.getElementById('cancel-flow-data').textContent);
  const $ = (id) => document.getElementById(id);
  const polaris = () => !!(window.customElements && customElements.get('s-button'));
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  function button(text, props) {
    const p = Object.assign({type: 'button'}, props || {});
    if (polaris()) return el('s-button', Object.assign({text: text}, p));
    return el('button', Object.assign({text: text, class: 'btn'}, p));
  }
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
  const say = (text, ok) => { const m = $('reasons-msg'); m.textContent = text || '';
    m.className = 'msg ' + (ok ? 'ok' : 'err'); };

  let reasons = []; let kinds = []; let actions = {}; let maxMonths = 12; let maxReasons = 12;
  let uid = 0;

  // `which` names the reason for a screen reader, where several rows share a field's label.
  function field(id, label, control, path, which) {
    control.id = id; control.setAttribute('data-field', path);
    control.setAttribute('aria-describedby', id + '-err');
    const text = el('label', {for: id, text: label});
    if (which) text.append(el('span', {class: 'visually-hidden', text: ' (' + which + ')'}));
    return el('div', {class: 'field'}, text, control,
      el('p', {class: 'field-error', id: id + '-err'}));
  }
  function row(reason, index) {
    const id = 'reason-' + (reason.uid = reason.uid || ++uid);
    const path = 'cancel_flow.reasons[' + index + ']';
    const name = reason.label || 'new reason';
    const which = 'reason ' + (index + 1);
    const label = el('input', {type: 'text', maxlength: 80, value: reason.label || '',
      oninput: (e) => { reason.label = e.target.value; }});
    const offer = el('select', {onchange: (e) => {
      const kind = e.target.value;
      reason.offer = kind ? {kind: kind, months: kind === 'pause' ? 2 : undefined,
        code: kind === 'discount' ? '' : undefined} : null;
      render(id + '-offer');
    }});
    const current = reason.offer ? reason.offer.kind : '';
    for (const kind of [''].concat(kinds)) {
      offer.append(el('option', {value: kind, text: WORDS.offers[kind] || kind,
        selected: kind === current}));
    }
    const extra = [];
    if (current === 'pause') {
      const months = el('select', {onchange: (e) => {
        reason.offer.months = e.target.value ? Number(e.target.value) : null; }});
      months.append(el('option', {value: '', text: 'Until they resume',
        selected: reason.offer.months === null}));
      for (let m = 1; m <= maxMonths; m += 1) {
        months.append(el('option', {value: m, text: m === 1 ? '1 month' : m + ' months',
          selected: reason.offer.months === m}));
      }
      extra.push(field(id + '-months', 'Pause for', months, path + '.offer.months', which));
    } else if (current === 'discount') {
      const code = el('input', {type: 'text', maxlength: 255, value: reason.offer.code || '',
        autocomplete: 'off', oninput: (e) => { reason.offer.code = e.target.value; }});
      extra.push(field(id + '-code', 'Discount code', code, path + '.offer.code', which));
    }
    const off = current && actions[current] === false;
    const note = off ? el('p', {class: 'hint', text: '"' + WORDS.actions[current] +
      '" is off in what customers can do: this offer is not shown until you turn it on.'}) : null;
    const free = el('input', {type: 'checkbox', id: id + '-free', checked: !!reason.free_text,
      onchange: (e) => { reason.free_text = e.target.checked; }});
    const tools = el('div', {class: 'reason-tools'},
      el('label', {class: 'check', for: id + '-free'}, free, ' Customers can add their own words'),
      button('Move up', {id: id + '-up', 'aria-label': 'Move up: ' + name,
        disabled: index === 0, onclick: () => move(index, -1)}),
      button('Move down', {id: id + '-down', 'aria-label': 'Move down: ' + name,
        disabled: index === reasons.length - 1, onclick: () => move(index, 1)}),
      button('Remove', {'aria-label': 'Remove: ' + name, disabled: reasons.length === 1,
        onclick: () => { reasons.splice(index, 1); render(null);
          say('Removed "' + name + '". Save to keep the change.', true); }}));
    return el('li', {'data-reason': reason.key || ''},
      el('div', {class: 'reason-row'},
        field(id + '-label', 'Reason ' + (index + 1), label, path + '.label'),
        field(id + '-offer', 'Offer before cancelling', offer, path + '.offer.kind', which),
        el('div', {}, ...extra)), note, tools);
  }
  function render(focusId) {
    const list = $('reason-list'); list.replaceChildren(...reasons.map(row));
    const add = $('add-reason'); if (add) add.disabled = reasons.length >= maxReasons;
    if (focusId && $(focusId)) {
      const target = $(focusId);
      (target.disabled ? list.querySelector('input') : target).focus();
    }
  }
  function move(index, by) {
    const [item] = reasons.splice(index, 1); reasons.splice(index + by, 0, item);
    render(null);
    const moved = 'reason-' + item.uid + (by < 0 ? '-up' : '-down');
    const target = $(moved);
    (target && !target.disabled ? target : $('reason-' + item.uid + (by < 0 ? '-down' : '-up'))).focus();
    say('Moved "' + (item.label || 'new reason') + '" to position ' + (index + by + 1) +
      '. Save to keep the order.', true);
  }
  function payload() {
    return {reasons: reasons.map((r) => {
      const out = {label: r.label || '', free_text: !!r.free_text, offer: null};
      if (r.key) out.key = r.key;
      if (r.offer) {
        out.offer = {kind: r.offer.kind};
        if (r.offer.kind === 'pause') out.offer.months = r.offer.months === undefined ? null : r.offer.months;
        if (r.offer.kind === 'discount') out.offer.code = r.offer.code || '';
      }
      return out;
    })};
  }
  function showError(error) {
    for (const node of document.querySelectorAll('#reason-list [aria-invalid]')) {
      node.removeAttribute('aria-invalid');
    }
    for (const node of document.querySelectorAll('#reason-list .field-error')) node.textContent = '';
    let target = error.field ? document.querySelector('[data-field="' + CSS.escape(error.field) + '"]') : null;
    if (!target && error.field) {
      // A whole reason named: its name field.
      target = document.querySelector('[data-field="' + CSS.escape(error.field + '.label') + '"]');
    }
    say(error.message, false);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      $(target.id + '-err').textContent = error.message; target.focus();
    }
  }
  function fill(settings) {
    const flow = settings.cancel_flow; kinds = flow.offer_kinds; maxMonths = flow.max_months;
    maxReasons = flow.max_reasons;
    actions = {};
    for (const kind of kinds) {
      const action = kind === 'discount' ? 'apply_discount' : kind;
      actions[kind] = settings.portal_actions[action] !== false;
    }
    reasons = flow.reasons.map((r) => ({key: r.key, label: r.label, free_text: r.free_text,
      offer: r.offer ? Object.assign({}, r.offer) : null}));
    render(null);
  }
  $('add-reason').addEventListener('click', () => {
    if (reasons.length >= maxReasons) return;
    reasons.push({key: null, label: '', free_text: false, offer: null});
    render(null); $('reason-' + reasons[reasons.length - 1].uid + '-label').focus();
  });
  $('reasons-form').addEventListener('submit', async (event) => {
    event.preventDefault(); say('Saving…', true);
    try {
      fill(await api('settings', {method: 'PUT', body: JSON.stringify({cancel_flow: payload()})}));
      say('Saved.', true);
    } catch (e) { showError(e); }
  });

  // Report: saves against cancellations, drawn like the links chart.
  function chart(daily) {
    const NS = 'http://www.w3.org/2000/svg'; const W = 600, H = 180, P = 24;
    const svg = (tag, attrs) => { const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v)); return n; };
    const max = Math.max(1, ...daily.map((d) => Math.max(d.saved, d.cancelled)));
    const saved = daily.reduce((a, d) => a + d.saved, 0);
    const cancelled = daily.reduce((a, d) => a + d.cancelled, 0);
    const root = svg('svg', {viewBox: '0 0 ' + W + ' ' + (H + 2 * P), role: 'img',
      'aria-labelledby': 'saves-chart-title'});
    const title = svg('title', {id: 'saves-chart-title'});
    title.textContent = 'Saves and cancellations per day: ' + saved + ' saved, ' + cancelled +
      ' cancelled in ' + daily.length + ' days';
    root.append(title);
    const step = (W - P) / daily.length; const bar = Math.max(2, step / 2 - 1);
    root.append(svg('line', {x1: P, y1: H, x2: W, y2: H, stroke: '#8a8a8a'}));
    const size = Math.min(26, Math.max(11, 11 * W / ($('saves-chart').clientWidth || W)));
    const label = (x, y, text, anchor) => { const t = svg('text', {x: x, y: y, 'font-size': size,
      fill: '#616161', 'text-anchor': anchor || 'start'}); t.textContent = text; root.append(t); };
    const day = (iso) => new Date(iso + 'T00:00:00Z').toLocaleDateString(undefined,
      {month: 'short', day: 'numeric', timeZone: 'UTC'});
    label(0, size, String(max)); label(0, H, '0');
    daily.forEach((d, i) => {
      const x = P + i * step; const h1 = (H - 14) * d.saved / max; const h2 = (H - 14) * d.cancelled / max;
      root.append(svg('rect', {x: x, y: H - h1, width: bar, height: h1, fill: '#29845a',
        'data-day': d.day, 'data-saved': d.saved}));
      root.append(svg('rect', {x: x + bar, y: H - h2, width: bar, height: h2, fill: '#c70a24',
        'data-day': d.day, 'data-cancelled': d.cancelled}));
    });
    label(P, H + size + 4, day(daily[0].day));
    label(W, H + size + 4, day(daily[daily.length - 1].day), 'end');
    const legend = el('div', {class: 'legend'},
      el('span', {}, el('span', {class: 'swatch', style: 'background:#29845a'}), 'Saved by an offer'),
      el('span', {}, el('span', {class: 'swatch', style: 'background:#c70a24'}), 'Cancelled'));
    $('saves-chart').replaceChildren(root, legend);
  }
  const percent = (rate) => rate === null ? '–' : Math.round(rate * 100) + '%';
  async function loadReport() {
    const body = await api('cancel-flow/report?days=30'); const t = body.totals;
    chart(body.daily);
    $('saves-summary').textContent = t.attempts === 0
      ? 'No customer has started to cancel in the last ' + body.days + ' days.'
      : t.attempts + (t.attempts === 1 ? ' customer' : ' customers') + ' started to cancel in the last ' +
        body.days + ' days: ' + t.saved + ' saved by an offer, ' + t.cancelled + ' cancelled, ' +
        t.open + ' stopped before the end. Save rate ' + percent(t.save_rate) + '.';
    const rows = $('saves-rows'); rows.replaceChildren();
    if (!body.reasons.length) rows.append(el('tr', {}, el('td', {colspan: 6, text: 'Nothing yet.'})));
    for (const r of body.reasons) {
      rows.append(el('tr', {'data-reason': r.key}, el('td', {text: r.label}),
        el('td', {class: 'num', text: r.attempts}), el('td', {class: 'num', text: r.offers_shown}),
        el('td', {class: 'num', text: r.saved}), el('td', {class: 'num', text: r.cancelled}),
        el('td', {class: 'num', text: percent(r.save_rate)})));
    }
  }

  api('settings').then(fill).catch((e) => say(e.message, false));
  loadReport().catch((e) => { $('saves-msg').textContent = e.message; });
})();
