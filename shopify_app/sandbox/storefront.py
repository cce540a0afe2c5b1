"""A storefront for one simulated shop, with Shopify's app proxy in front of the app.

`/{prefix}/{subpath}/{rest}` is forwarded to `{app_url}/proxy/{rest}` as Shopify does it: the
query gains `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature`;
method, body and content type are forwarded; `Cookie` is stripped from the request and
`Set-Cookie` from the response; `application/liquid` answers are rendered in the theme.
`/account/login` simulates a storefront customer login with the storefront's own cookie,
which, like every cookie, never reaches the app.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from shopify_app.sandbox import account_host, liquid
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.shopify.signatures import parse_query, sign_proxy_query

LOGIN_COOKIE = "sandbox_storefront_customer"
# Added by the proxy; a visitor's own copies are dropped so the signed values are the only ones.
PROXY_PARAMS = frozenset({"shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"})
_FORWARDED_REQUEST_HEADERS = ("accept", "accept-language", "user-agent", "content-type")
_DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "set-cookie",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "connection",
        "date",
        "server",
    }
)


@dataclass(frozen=True)
class StorefrontConfig:
    store: SimulatedStore
    shop: str  # myshopify domain of the shop this storefront shows
    app_url: str  # the app's base URL; the proxy target is `{app_url}/proxy`
    secret: str  # the app's client secret, which signs proxied requests
    prefix: str = "tools"
    subpath: str = "recurring"
    now: Callable[[], float] | None = None  # seconds since the epoch; default the store clock
    app_transport: httpx.AsyncBaseTransport | None = None  # tests: the app in-process
    client_id: str = ""  # the app's client id: the customer account pages' session tokens


def build_storefront_app(config: StorefrontConfig) -> Starlette:
    store = config.store
    shop = store.shops[config.shop]
    proxy_root = f"/{config.prefix}/{config.subpath}"

    def timestamp() -> int:
        return int(config.now() if config.now else store.now().timestamp())

    def login_value(customer_id: int) -> str:
        mac = hmac.new(config.secret.encode(), f"login:{customer_id}".encode(), hashlib.sha256)
        return f"{customer_id}.{mac.hexdigest()[:32]}"

    def logged_in(request: Request) -> int | None:
        value = request.cookies.get(LOGIN_COOKIE, "")
        customer_id = value.split(".", 1)[0]
        if not customer_id.isdigit() or not hmac.compare_digest(
            value, login_value(int(customer_id))
        ):
            return None
        found = store.customer(config.shop, int(customer_id))
        return found.id if found is not None else None

    def page(request: Request, content: str, *, title: str = "", status: int = 200) -> HTMLResponse:
        customer_id = logged_in(request)
        if customer_id is None:
            account = '<a href="/account/login">Log in</a>'
        else:
            customer = store.customers[customer_id]
            account = (
                f"{html.escape(customer.email or '')} · "
                '<form method="post" action="/account/logout" style="display:inline">'
                '<button type="submit">Log out</button></form>'
            )
        body = liquid.theme_page(content, shop_name=shop.name, account_html=account, title=title)
        return HTMLResponse(body, status_code=status)

    async def home(request: Request) -> Response:
        portal = f"{proxy_root}/customer_portal"
        return page(
            request,
            f'<h1>{html.escape(shop.name)}</h1><p><a href="{portal}">Manage subscriptions</a></p>'
            '<p><a href="/account/subscriptions">Subscriptions in your customer account</a></p>',
        )

    async def proxy(request: Request) -> Response:
        rest = request.path_params["rest"]
        kept = [(k, v) for k, v in parse_query(request.url.query) if k not in PROXY_PARAMS]
        customer_id = logged_in(request)
        pairs = [
            *kept,
            ("shop", config.shop),
            ("logged_in_customer_id", str(customer_id) if customer_id else ""),
            ("path_prefix", proxy_root),
            ("timestamp", str(timestamp())),
        ]
        pairs.append(("signature", sign_proxy_query(pairs, config.secret)))
        headers = {k: v for k in _FORWARDED_REQUEST_HEADERS if (v := request.headers.get(k))}
        if request.client is not None:
            headers["x-forwarded-for"] = request.client.host
        target = f"{config.app_url}/proxy/{rest}?{urlencode(pairs)}"
        async with httpx.AsyncClient(transport=config.app_transport, timeout=30.0) as client:
            try:
                answer = await client.request(
                    request.method, target, content=await request.body(), headers=headers
                )
            except httpx.HTTPError:
                return page(request, "<h1>The app did not answer</h1>", status=502)
        return relay(request, answer)

    def relay(request: Request, answer: httpx.Response) -> Response:
        headers = {
            k: v for k, v in answer.headers.items() if k.lower() not in _DROPPED_RESPONSE_HEADERS
        }
        if answer.headers.get("content-type", "").startswith("application/liquid"):
            headers.pop("content-type", None)
            content = liquid.render(answer.text, {"shop": {"name": shop.name}})
            response = page(request, content, status=answer.status_code)
            response.headers.update(headers)
            return response
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    async def login_form(request: Request) -> Response:
        return_url = safe_return_url(request.query_params.get("return_url"))
        options = "".join(
            f'<option value="{c.id}">{html.escape(c.email or str(c.id))}</option>'
            for c in sorted(store.customers.values(), key=lambda c: c.id)
            if c.shop == config.shop and c.email
        )
        form = (
            "<h1>Customer login</h1>"
            '<form method="post" action="/account/login">'
            f'<input type="hidden" name="return_url" value="{html.escape(return_url)}">'
            f'<label for="customer">Log in as</label> <select id="customer" name="customer_id">'
            f"{options}</select> "
            '<button type="submit">Log in</button></form>'
            "<p>Sandbox only: no password, pick a demo customer.</p>"
        )
        return page(request, form, title="Customer login")

    async def login(request: Request) -> Response:
        form = await request.form()
        raw_id = str(form.get("customer_id", ""))
        customer = store.customer(config.shop, int(raw_id)) if raw_id.isdigit() else None
        if customer is None:
            return page(request, "<h1>Unknown customer</h1>", status=400)
        response = RedirectResponse(safe_return_url(str(form.get("return_url", ""))), 303)
        response.set_cookie(LOGIN_COOKIE, login_value(customer.id), httponly=True, samesite="lax")
        return response

    async def logout(request: Request) -> Response:
        response = RedirectResponse("/", 303)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    account = account_host.AccountHostConfig(
        shop=config.shop,
        client_id=config.client_id,
        secret=config.secret,
        app_url=config.app_url,
        logged_in=logged_in,
        now=lambda: float(timestamp()),
    )
    return Starlette(
        routes=[
            *account_host.build_routes(account),
            Route("/", home),
            Route("/account/login", login_form, methods=["GET"]),
            Route("/account/login", login, methods=["POST"]),
            Route("/account/logout", logout, methods=["POST"]),
            Route(
                proxy_root + "/{rest:path}",
                proxy,
                methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            ),
        ]
    )


def safe_return_url(value: str | None) -> str:
    """Only paths on this storefront: never an open redirect. Browsers drop tabs and newlines
    from URLs (a tab between two slashes still makes `//evil.com`) and read a backslash as a
    slash, so control characters, spaces and backslashes are refused too."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and all(" " < ch != "\x7f" for ch in value)
    ):
        return value
    return "/"
