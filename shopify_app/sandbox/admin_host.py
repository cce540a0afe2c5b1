"""The sandbox's stand-in for the Shopify admin around an embedded app, served by the simulated
store (no Shopify account, no CDN):

- `GET /shops/{shop}/admin/apps/{client_id}`: the admin page. It frames app home the way
  Shopify does (`?embedded=1&host=…&shop=…`, no `id_token`: app home bounces, App Bridge
  reloads with one) and shows the app's `<ui-nav-menu>` links in its own sidebar.
- `POST /shops/{shop}/admin/apps/{client_id}/session-token`: a session token as Shopify issues
  them: HS256 with the app's client secret, one minute, `iss`/`dest` the shop, `aud` the app.
- `GET /admin/app-bridge.js`: a local stand-in for App Bridge inside the app's frame. It asks the
  admin page for session tokens (postMessage), adds them to the app's own `fetch` calls (and
  retries once on `X-Shopify-Retry-Invalid-Session-Request`), answers the bounce page's
  `shopify-reload`, and hands the nav menu to the admin page.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import warnings
from pathlib import Path
from urllib.parse import urlencode

import jwt
from jwt.warnings import InsecureKeyLengthWarning
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.sandbox.store import SimulatedStore

SESSION_TOKEN_SECONDS = 60
_SCRIPT = Path(__file__).parent / "static" / "app-bridge-standin.js"


def session_token(store: SimulatedStore, shop: str, client_id: str, user_id: str = "1") -> str:
    secret = store.tokens.apps[client_id]
    moment = int(store.now().timestamp())
    claims = {
        "iss": f"https://{shop}/admin", "dest": f"https://{shop}", "aud": client_id,
        "sub": user_id, "exp": moment + SESSION_TOKEN_SECONDS, "nbf": moment, "iat": moment,
        "jti": secrets.token_hex(16), "sid": secrets.token_hex(16),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, secret, algorithm="HS256")


def _js(value: str) -> str:
    return json.dumps(value).replace("<", "\\u003c")


def host_parameter(shop: str) -> str:
    """Shopify's `host`: base64url of `admin.shopify.com/store/<name>`."""
    raw = f"admin.shopify.com/store/{shop.removesuffix('.myshopify.com')}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def admin_routes(store: SimulatedStore, app_url: str) -> list[BaseRoute]:
    def known(request: Request) -> tuple[str, str] | None:
        shop, client_id = request.path_params["shop"], request.path_params["client_id"]
        if shop not in store.shops or client_id not in store.tokens.apps:
            return None
        return shop, client_id

    async def admin_page(request: Request) -> Response:
        found = known(request)
        if found is None:
            return PlainTextResponse("Unknown shop or app", status_code=404)
        shop, client_id = found
        query = urlencode({"embedded": "1", "host": host_parameter(shop), "shop": shop})
        name = html.escape(store.shops[shop].name or shop)
        return HTMLResponse(_ADMIN_PAGE.format(
            name=name, shop=html.escape(shop), src=html.escape(f"{app_url}/?{query}"),
            # Inside <script>: JSON with `<` escaped, not HTML escapes.
            token_url=_js(f"/shops/{shop}/admin/apps/{client_id}/session-token"),
            app_origin=_js(app_url),
        ))

    async def mint(request: Request) -> Response:
        found = known(request)
        if found is None:
            return JSONResponse({"error": "unknown shop or app"}, status_code=404)
        shop, client_id = found
        return JSONResponse({"token": session_token(store, shop, client_id)},
                            headers={"Cache-Control": "no-store"})

    async def script(request: Request) -> Response:
        return Response(_SCRIPT.read_text(encoding="utf-8"), media_type="text/javascript")

    return [
        Route("/shops/{shop}/admin/apps/{client_id}", admin_page, methods=["GET"]),
        Route("/shops/{shop}/admin/apps/{client_id}/session-token", mint, methods=["POST"]),
        Route("/admin/app-bridge.js", script, methods=["GET"]),
    ]


_ADMIN_PAGE = """<!doctype html><html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1">
<title>{name} · Shopify admin (sandbox)</title><style>
body{{margin:0;font:14px/1.4 system-ui,sans-serif;background:#1a1a1a;color:#303030;
display:grid;grid-template-rows:auto 1fr;height:100vh}}
header{{color:#e3e3e3;padding:8px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}}
header strong{{color:#fff}}.wrap{{display:grid;grid-template-columns:200px 1fr;min-height:0}}
nav{{background:#ebebeb;padding:12px 8px;overflow:auto}}nav a{{display:block;padding:6px 8px;
border-radius:8px;color:#303030;text-decoration:none}}nav a:hover,nav a:focus{{background:#fff}}
nav .app{{font-weight:600;margin-top:8px}}iframe{{border:0;width:100%;height:100%;
background:#f1f1f1}}@media(max-width:640px){{.wrap{{grid-template-columns:1fr;
grid-template-rows:auto 1fr}}nav{{display:flex;flex-wrap:wrap;gap:4px;padding:4px}}
nav a{{padding:4px 8px}}#app-nav{{display:flex;flex-wrap:wrap;gap:4px}}}}</style></head><body>
<header><strong>{name}</strong><span>Shopify admin · local sandbox ({shop})</span></header>
<div class=wrap><nav aria-label="App navigation"><span class=app>Subscription portal</span>
<div id=app-nav></div></nav>
<main><iframe id=app title="Subscription portal" src="{src}"></iframe></main></div>
<script>
(() => {{
  const frame = document.getElementById('app');
  const appOrigin = new URL({app_origin}).origin;
  window.addEventListener('message', async (event) => {{
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    const data = event.data || {{}};
    if (data.type === 'sandbox-app-bridge:token') {{
      const response = await fetch({token_url}, {{method: 'POST'}});
      const body = await response.json();
      frame.contentWindow.postMessage({{type: data.type, id: data.id, token: body.token}},
                                      appOrigin);
    }} else if (data.type === 'sandbox-app-bridge:nav') {{
      const nav = document.getElementById('app-nav'); nav.replaceChildren();
      for (const item of data.items || []) {{
        const a = document.createElement('a'); a.href = '#'; a.textContent = item.label;
        a.addEventListener('click', (e) => {{ e.preventDefault();
          frame.contentWindow.postMessage({{type: 'sandbox-app-bridge:navigate',
                                           href: item.href}}, appOrigin); }});
        nav.append(a);
      }}
    }}
  }});
}})();
</script></body></html>"""
