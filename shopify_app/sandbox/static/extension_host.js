// The sandbox's stand-in for Shopify's customer account runtime, for one UI extension bundle:
// the `shopify` global (extend, sessionToken, i18n, navigation, toast, settings) and, when
// Polaris' own elements are not there (no internet, or no such script outside Shopify),
// plain fallbacks for the `s-*` elements the extensions use: real buttons, labelled inputs,
// landmarks and live regions, so the page works by mouse, keyboard and screen reader.
(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('extension-config').textContent);

  // ---- i18n: the extension's own locale files, `{{name}}` and `.one/.other` as Shopify does.
  const plurals = new Intl.PluralRules(config.locale);
  const lookup = (key) =>
    key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined),
      config.translations);
  function translate(key, options = {}) {
    let value = lookup(key);
    if (value && typeof value === 'object' && 'count' in options) {
      value = value[plurals.select(Number(options.count))] ?? value.other;
    }
    if (typeof value !== 'string') return key;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name) =>
      name in options ? String(options[name]) : match);
  }
  const i18n = {
    translate,
    formatNumber: (n, o = {}) => new Intl.NumberFormat(config.locale, o).format(n),
    formatCurrency: (n, o = {}) =>
      new Intl.NumberFormat(config.locale, {style: 'currency', currency: 'USD', ...o}).format(n),
    formatDate: (d, o = {}) => new Intl.DateTimeFormat(config.locale, o).format(d),
  };

  // ---- Session token: minted by the sandbox storefront (standing in for Shopify) for the
  // signed-in customer, cached until shortly before it expires, as Shopify's runtime does.
  let cached = null;
  const sessionToken = {
    async get() {
      const now = Date.now() / 1000;
      if (cached && cached.expiresAt - 30 > now) return cached.token;
      const response = await fetch(config.tokenUrl, {method: 'POST', credentials: 'same-origin'});
      if (!response.ok) throw new Error('The customer is not signed in.');
      cached = await response.json();
      return cached.token;
    },
  };

  // ---- Navigation: `extension:{handle}/…` opens another extension's page of this app.
  function resolve(url) {
    const match = /^extension:([\w-]+)\/?(.*)$/.exec(url);
    if (match) return (config.pages[match[1]] || '/account') + (match[2] ? `#${match[2]}` : '');
    return url;
  }
  const navigation = {
    currentEntry: {url: location.href, key: 'current', getState: () => undefined},
    navigate: (url) => location.assign(resolve(url)),
    updateCurrentEntry: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
  };

  const ready = (run) =>
    document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', run) : run();

  window.shopify = {
    extension: {target: config.target},
    extend(target, render) {
      if (target !== config.target) return;
      ready(() => Promise.resolve(render()).catch((error) => console.error(error)));
    },
    i18n,
    localization: {language: {value: {isoCode: config.locale}}},
    sessionToken,
    navigation,
    settings: {value: {}, subscribe: () => () => {}},
    toast: {show: (message) => console.info(message)},
  };

  // ---- Polaris fallbacks. Preact sets a prop as a property when the element has one, so
  // each fallback declares the props it understands; content stays in light DOM (Preact's).
  const GAP = {none: '0', 'small-500': '2px', 'small-400': '4px', 'small-300': '6px',
    'small-200': '8px', 'small-100': '10px', small: '12px', base: '16px', large: '24px'};

  function define(tag, props, setup, update = () => {}) {
    if (customElements.get(tag)) return; // the real component wins
    class Fallback extends HTMLElement {
      constructor() {
        super();
        this._p = {};
        this.attachShadow({mode: 'open'});
        setup.call(this, this.shadowRoot);
      }
      connectedCallback() {
        // Attributes only once connected: a constructor may not add any (custom elements spec).
        if (this._connect) this._connect();
        update.call(this, this._p);
      }
    }
    for (const name of props) {
      Object.defineProperty(Fallback.prototype, name, {
        get() { return this._p[name]; },
        set(value) { this._p[name] = value; update.call(this, this._p); },
        configurable: true,
      });
    }
    customElements.define(tag, Fallback);
  }

  const css = (text) => Object.assign(document.createElement('style'), {textContent: text});
  const el = (tag, attrs = {}, text = '') => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  };

  define('s-page', ['heading', 'subheading'], function (root) {
    root.append(css(':host{display:block;max-width:64rem;margin:0 auto;padding:24px 16px}' +
      'header{display:flex;flex-direction:column;gap:8px;margin-bottom:20px}' +
      'h1{font-size:1.6rem;margin:0}'),
    el('header'), el('main'));
    root.querySelector('header').append(el('div', {part: 'breadcrumbs'}), el('h1'), el('p'));
    root.querySelector('[part=breadcrumbs]').append(el('slot', {name: 'breadcrumb-actions'}));
    root.querySelector('main').append(el('slot'));
  }, function (p) {
    this.shadowRoot.querySelector('h1').textContent = p.heading || '';
    const sub = this.shadowRoot.querySelector('p');
    sub.textContent = p.subheading || '';
    sub.hidden = !p.subheading;
  });

  define('s-section', ['heading'], function (root) {
    root.append(css(':host{display:block;background:#fff;border:1px solid #e3e3e3;' +
      'border-radius:12px;padding:20px}h2{font-size:1.15rem;margin:0 0 14px}'),
    el('section'));
    root.querySelector('section').append(el('h2'), el('slot'));
  }, function (p) {
    const h2 = this.shadowRoot.querySelector('h2');
    h2.textContent = p.heading || '';
    h2.hidden = !p.heading;
    if (p.heading) this.shadowRoot.querySelector('section').setAttribute('aria-label', p.heading);
  });

  define('s-stack', ['direction', 'gap', 'alignItems', 'justifyContent'], function (root) {
    root.append(el('slot'));
  }, function (p) {
    const inline = p.direction === 'inline';
    this.dataset.direction = inline ? 'inline' : 'block';
    Object.assign(this.style, {
      display: 'flex', flexDirection: inline ? 'row' : 'column', flexWrap: inline ? 'wrap' : '',
      gap: GAP[p.gap] || (p.gap ? '16px' : '0'),
      alignItems: p.alignItems || (inline ? 'center' : 'stretch'),
      justifyContent: p.justifyContent || '',
    });
  });

  define('s-grid', ['gridTemplateColumns', 'gap'], function (root) {
    root.append(el('slot'));
  }, function (p) {
    Object.assign(this.style, {display: 'grid', gap: GAP[p.gap] || '16px',
      gridTemplateColumns: p.gridTemplateColumns || 'auto'});
  });

  define('s-text', ['type', 'color', 'tone'], function (root) { root.append(el('slot')); },
    function (p) {
      this.style.fontWeight = p.type === 'strong' ? '600' : '';
      this.style.color = p.color === 'subdued' ? '#616161' : '';
    });
  define('s-paragraph', [], function (root) {
    root.append(css(':host{display:block;margin:0}'), el('slot'));
  });
  define('s-heading', [], function (root) {
    this._connect = () => {
      this.setAttribute('role', 'heading');
      this.setAttribute('aria-level', '3');
    };
    root.append(css(':host{display:block;font-weight:600}'), el('slot'));
  });

  define('s-badge', ['tone'], function (root) {
    root.append(css(':host{display:inline-block;align-self:flex-start;border-radius:8px;' +
      'padding:2px 10px;font-size:.85rem;background:#e3f1df;color:#0c5132}' +
      ':host([data-tone=neutral]){background:#ebebeb;color:#303030}'), el('slot'));
  }, function (p) { this.dataset.tone = p.tone || 'auto'; });

  define('s-banner', ['tone', 'heading'], function (root) {
    root.append(css(':host{display:block;border-radius:12px;padding:14px 16px;' +
      'background:#eaf4ff;border:1px solid #a4cdf5}' +
      ':host([data-tone=success]){background:#e3f1df;border-color:#95c9a0}' +
      ':host([data-tone=critical]){background:#fee9e8;border-color:#f4a9a4}' +
      'strong{display:block}'), el('strong'), el('slot'));
  }, function (p) {
    this.dataset.tone = p.tone || 'info';
    this.setAttribute('role', p.tone === 'critical' ? 'alert' : 'status');
    p.heading ? this.setAttribute('aria-label', p.heading) : this.removeAttribute('aria-label');
    this.shadowRoot.querySelector('strong').textContent = p.heading || '';
  });

  define('s-spinner', ['accessibilityLabel'], function (root) {
    this._connect = () => this.setAttribute('role', 'status');
    root.append(css(':host{display:block;color:#616161}'), el('span'));
  }, function (p) {
    this.shadowRoot.querySelector('span').textContent = `${p.accessibilityLabel || 'Loading'}…`;
  });

  define('s-divider', [], function (root) { root.append(el('hr')); });
  for (const tag of ['s-image', 's-product-thumbnail']) {
    define(tag, ['src', 'alt'], function (root) {
      root.append(css('img{width:64px;height:64px;object-fit:cover;border-radius:8px;' +
        'border:1px solid #e3e3e3}'), el('img'));
    }, function (p) {
      const img = this.shadowRoot.querySelector('img');
      img.src = p.src || '';
      img.alt = p.alt || '';
    });
  }

  // Buttons and links: focusable, Enter/Space activate, disabled/loading swallow the click
  // (registered first, so it runs before the extension's own listener).
  function clickable(tag, role) {
    define(tag, ['accessibilityLabel', 'disabled', 'loading', 'tone', 'variant', 'href',
      'inlineSize'],
      function (root) {
        this._connect = () => {
          this.setAttribute('role', role);
          if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
        };
        root.append(css(':host{display:inline-flex;align-items:center;justify-content:center;' +
          'min-height:44px;padding:0 16px;border-radius:10px;border:1px solid #c9c9c9;' +
          'background:#fff;color:#303030;cursor:pointer;font-weight:550;user-select:none;' +
          'box-sizing:border-box;align-self:flex-start}' +
          ':host-context(s-stack[data-direction=inline]){align-self:auto}' +
          ':host([data-inline-size=fill]){align-self:stretch}' +
          ':host(:focus-visible){outline:2px solid #005bd3;outline-offset:2px}' +
          ':host([data-variant=primary]){background:#303030;color:#fff;border-color:#303030}' +
          ':host([data-tone=critical]){color:#8e1f0b;border-color:#e0b3ab}' +
          ':host([data-tone=critical][data-variant=primary]){background:#c70a24;color:#fff;' +
          'border-color:#c70a24}' +
          ':host([aria-disabled=true]){opacity:.55;cursor:default}' +
          ':host([role=link]){border:none;min-height:0;padding:0;color:#005bd3;' +
          'text-decoration:underline}'), el('slot'));
        this.addEventListener('click', (event) => {
          if (this._p.disabled || this._p.loading) {
            event.stopImmediatePropagation();
            event.preventDefault();
          } else if (this._p.href || this.getAttribute('href')) {
            // Preact sets `href` as an attribute, never as a property.
            navigation.navigate(this._p.href || this.getAttribute('href'));
          }
        });
        this.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || (role === 'button' && event.key === ' ')) {
            event.preventDefault();
            this.click();
          }
        });
      }, function (p) {
        const label = p.accessibilityLabel;
        label ? this.setAttribute('aria-label', label) : this.removeAttribute('aria-label');
        this.setAttribute('aria-disabled', String(Boolean(p.disabled || p.loading)));
        p.loading ? this.setAttribute('aria-busy', 'true') : this.removeAttribute('aria-busy');
        this.dataset.tone = p.tone || 'auto';
        this.dataset.variant = p.variant || 'secondary';
        this.dataset.inlineSize = p.inlineSize || 'auto';
      });
  }
  clickable('s-button', 'button');
  clickable('s-link', 'link');

  define('s-option', ['value', 'disabled'], function (root) { root.append(el('slot')); });

  // Fields: a label, the native control, the error as text tied to it. `input` and `change`
  // from the control are re-sent from the element, whose `value` reads the control's.
  let ids = 0;
  function field(tag, control, type) {
    const props = ['label', 'value', 'error', 'required', 'disabled', 'name', 'min', 'max',
      'step', 'placeholder'];
    define(tag, props, function (root) {
      const id = `f${++ids}`;
      root.append(css(':host{display:flex;flex-direction:column;gap:4px;min-width:10rem}' +
        'label{font-size:.9rem;color:#303030}' +
        'input,select,textarea{font:inherit;min-height:44px;padding:8px 10px;border-radius:8px;' +
        'border:1px solid #8a8a8a;box-sizing:border-box;background:#fff;width:100%}' +
        'textarea{min-height:5rem}' +
        '[aria-invalid=true]{border-color:#c70a24}p{margin:0;color:#8e1f0b;font-size:.9rem}' +
        'p:empty{display:none}' +
        '.options{display:none}'),
      el('label', {for: id}), el(control, {id, 'aria-describedby': `${id}-e`}),
      el('p', {id: `${id}-e`}));
      const input = root.getElementById(id);
      if (type) input.type = type;
      for (const kind of ['input', 'change']) {
        input.addEventListener(kind, (event) => {
          event.stopPropagation();
          this.dispatchEvent(new Event(kind, {bubbles: true}));
        });
      }
      if (control === 'select') {
        const rebuild = () => {
          input.replaceChildren(...[...this.querySelectorAll('s-option')].map((option) =>
            el('option', {value: option.value ?? ''}, option.textContent || '')));
          input.value = this._p.value ?? '';
        };
        new MutationObserver(rebuild).observe(this,
          {childList: true, subtree: true, characterData: true});
        root.append(Object.assign(el('div', {class: 'options'}), {}));
        root.querySelector('.options').append(el('slot'));
        queueMicrotask(rebuild);
      }
      Object.defineProperty(this, 'value', {
        get: () => input.value,
        set: (value) => {
          this._p.value = value;
          if (input.value !== String(value ?? '')) input.value = String(value ?? '');
        },
      });
      this._input = input;
    }, function (p) {
      const root = this.shadowRoot;
      const input = this._input;
      root.querySelector('label').textContent = (p.label || '') + (p.required ? ' *' : '');
      for (const name of ['min', 'max', 'step', 'placeholder', 'name']) {
        p[name] == null ? input.removeAttribute(name) : input.setAttribute(name, p[name]);
      }
      input.required = Boolean(p.required);
      input.disabled = Boolean(p.disabled);
      input.setAttribute('aria-invalid', String(Boolean(p.error)));
      root.querySelector('p').textContent = p.error || '';
    });
  }
  field('s-text-field', 'input', 'text');
  field('s-number-field', 'input', 'number');
  field('s-date-field', 'input', 'date');
  field('s-text-area', 'textarea');
  field('s-select', 'select');

  // A checkbox: the native one and its label; `change` re-sent from the element, `checked`
  // read from the native box.
  define('s-checkbox', ['label', 'checked', 'disabled', 'error'], function (root) {
    const id = `f${++ids}`;
    root.append(css(':host{display:flex}label{display:flex;gap:8px;align-items:flex-start}' +
      'input{width:20px;height:20px;margin:2px 0 0;flex:none}'),
    el('label', {for: id}));
    const box = el('input', {id, type: 'checkbox'});
    root.querySelector('label').prepend(box, el('span'));
    box.addEventListener('change', (event) => {
      event.stopPropagation();
      this._p.checked = box.checked;
      this.dispatchEvent(new Event('change', {bubbles: true}));
    });
    this._box = box;
  }, function (p) {
    this.shadowRoot.querySelector('span').textContent = p.label || '';
    this._box.checked = Boolean(p.checked);
    this._box.disabled = Boolean(p.disabled);
  });
})();
