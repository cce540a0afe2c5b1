(() => {
  'use strict';
  // "Products customers can choose": swap source and one-time add-ons, picked by search.
  const $ = (id) => document.getElementById(id);
  const form = $('products-form');
  if (!form) return;
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
  const btn = (text, onclick, label) => el('button', {type: 'button', class: 'btn', text: text,
    onclick: onclick, 'aria-label': label});
  const say = (text, ok) => { const m = $('products-msg'); m.textContent = text || '';
    m.className = 'msg ' + (ok ? 'ok' : 'err'); };
  async function api(path, options) {
    const init = Object.assign({headers: {'Accept': 'application/json'}}, options || {});
    if (init.body !== undefined) init.headers['Content-Type'] = 'application/json';
    const response = await fetch('/admin/api/' + path, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || 'Something went wrong (HTTP ' + response.status + ').');
    return body;
  }
  let collection = null;  // {id, title}
  let addons = [];  // [{id, title}]

  function showCollection() {
    const useCollection = form.querySelector('input[name=swap_source][value=collection]').checked;
    $('swap-collection-chosen').textContent = !useCollection ? 'Customers choose among the other variants of their product.'
      : collection ? 'Collection: ' + collection.title : 'No collection chosen: search for one below.';
  }
  function showAddons() {
    const list = $('addon-chosen');
    list.replaceChildren(...addons.map((a, i) => el('li', {'data-testid': 'addon-chosen'},
      el('span', {text: a.title}), btn('Remove', () => { addons.splice(i, 1); showAddons(); },
        'Remove ' + a.title))));
    if (!addons.length) list.append(el('li', {class: 'hint', text: 'None yet.'}));
  }
  function fill(s) {
    collection = s.swap_collection_id ? {id: s.swap_collection_id,
      title: (collection && collection.id === s.swap_collection_id) ? collection.title : s.swap_collection_id} : null;
    form.querySelector('input[name=swap_source][value=' + (collection ? 'collection' : 'product') + ']').checked = true;
    addons = (s.addon_variants || []).map((a) => ({id: a.id, title: a.title || a.id}));
    showCollection(); showAddons();
  }
  async function searchCollections() {
    const q = $('collection-q').value.trim(); const list = $('collection-results');
    try {
      const found = (await api('collections?q=' + encodeURIComponent(q))).collections;
      list.replaceChildren(...found.map((c) => el('li', {}, el('span', {text: c.title}),
        btn('Use', () => { collection = c;
          form.querySelector('input[name=swap_source][value=collection]').checked = true;
          showCollection(); list.replaceChildren(); $('collection-q').focus(); }, 'Use ' + c.title))));
      if (!found.length) list.append(el('li', {class: 'hint', text: 'No collection matches.'}));
    } catch (e) { say(e.message, false); }
  }
  async function searchProducts() {
    const q = $('product-q').value.trim(); const list = $('product-results');
    try {
      const found = (await api('products?q=' + encodeURIComponent(q))).products;
      const items = [];
      for (const p of found) for (const v of p.variants) {
        const title = v.title && v.title !== 'Default Title' ? p.title + ' - ' + v.title : p.title;
        const taken = addons.some((a) => a.id === v.id);
        items.push(el('li', {}, el('span', {text: title + ' (' + v.price + ')'}),
          taken ? el('span', {class: 'hint', text: 'Offered'}) : btn('Offer', () => {
            addons.push({id: v.id, title: title}); showAddons(); searchProducts(); }, 'Offer ' + title)));
      }
      list.replaceChildren(...items);
      if (!items.length) list.append(el('li', {class: 'hint', text: 'No product matches.'}));
    } catch (e) { say(e.message, false); }
  }
  for (const [input, run] of [['collection-q', searchCollections], ['product-q', searchProducts]]) {
    $(input).addEventListener('keydown', (event) => {
      if (event.key === 'Enter') { event.preventDefault(); run(); } });
  }
  $('collection-search').addEventListener('click', searchCollections);
  $('product-search').addEventListener('click', searchProducts);
  form.addEventListener('change', showCollection);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const useCollection = form.querySelector('input[name=swap_source][value=collection]').checked;
    if (useCollection && !collection) { say('Choose a collection, or let customers swap among variants.', false);
      $('collection-q').focus(); return; }
    say('Saving…', true);
    try {
      fill(await api('settings', {method: 'PUT', body: JSON.stringify({
        swap_collection_id: useCollection ? collection.id : null, addon_variants: addons})}));
      say('Saved.', true);
    } catch (e) { say(e.message, false); }
  });
  api('settings').then(fill).catch((e) => say(e.message, false));
})();
