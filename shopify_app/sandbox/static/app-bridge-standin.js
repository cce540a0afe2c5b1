// The sandbox's stand-in for App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
// loaded inside the app's frame. Session tokens come from the sandbox admin page around the
// frame (postMessage), never from the app itself.
(() => {
  'use strict';
  const adminOrigin = new URL(document.currentScript.src).origin;
  const inFrame = window.parent !== window;
  const pending = new Map();
  let sequence = 0;
  let cached = null;

  window.addEventListener('message', (event) => {
    if (event.origin !== adminOrigin || event.source !== window.parent) return;
    const data = event.data || {};
    if (data.type === 'sandbox-app-bridge:token' && pending.has(data.id)) {
      pending.get(data.id)(data.token);
      pending.delete(data.id);
    } else if (data.type === 'sandbox-app-bridge:navigate' && typeof data.href === 'string') {
      if (data.href.startsWith('#')) location.hash = data.href;
      else window.scrollTo(0, 0);
    }
  });

  function requestToken() {
    return new Promise((resolve, reject) => {
      if (!inFrame) { reject(new Error('Open the app from the sandbox admin.')); return; }
      const id = ++sequence;
      pending.set(id, resolve);
      window.parent.postMessage({type: 'sandbox-app-bridge:token', id: id}, adminOrigin);
      setTimeout(() => { if (pending.delete(id)) reject(new Error('No session token.')); }, 5000);
    });
  }

  async function idToken() {
    if (cached && cached.exp - 10 > Date.now() / 1000) return cached.token;
    const token = await requestToken();
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    cached = {token: token, exp: payload.exp};
    return token;
  }

  const meta = document.querySelector('meta[name="shopify-api-key"]');
  window.shopify = {idToken: idToken, config: {apiKey: meta ? meta.content : ''},
    environment: {embedded: inFrame}};

  // Like App Bridge: the app's own fetch calls carry `Authorization: Bearer <session token>`,
  // and a 401 asking for a retry is retried once with a fresh token.
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input.url, location.href);
    if (url.origin !== location.origin || !inFrame) return originalFetch(input, init);
    const send = async () => {
      const options = Object.assign({}, init || {});
      const headers = new Headers(options.headers || {});
      headers.set('Authorization', 'Bearer ' + await idToken());
      options.headers = headers;
      return originalFetch(input, options);
    };
    let response = await send();
    if (response.status === 401 &&
        response.headers.get('X-Shopify-Retry-Invalid-Session-Request') === '1') {
      cached = null;
      response = await send();
    }
    return response;
  };

  // The bounce page: reload `shopify-reload` (a path of this app) with a fresh id_token.
  const reload = new URLSearchParams(location.search).get('shopify-reload');
  if (reload && inFrame) {
    const target = new URL(reload, location.origin);
    if (target.origin === location.origin) {
      idToken().then((token) => {
        target.searchParams.set('id_token', token);
        location.replace(target.toString());
      });
    }
  }

  // `<ui-nav-menu>` belongs in the admin's sidebar, as App Bridge puts it.
  document.addEventListener('DOMContentLoaded', () => {
    const menu = document.querySelector('ui-nav-menu');
    if (!menu || !inFrame) return;
    const items = Array.from(menu.querySelectorAll('a')).map(
      (a) => ({label: a.textContent, href: a.getAttribute('href')}));
    window.parent.postMessage({type: 'sandbox-app-bridge:nav', items: items}, adminOrigin);
    menu.hidden = true;
  });
})();
