"""The storefront portal, through Shopify's app proxy: `/proxy/customer_portal` and below.

Every endpoint: guard (`verify_proxy`: signature, fresh timestamp, installed shop) → one
portal flow → the page. Navigation and changes are POST forms carrying the session in their
body, never in a URL: Shopify, the theme and analytics log URLs, and cookies do not exist here.
Any `AppError` under `/proxy` renders as the portal's friendly page with its status kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shopify_app.errors import AppError
from shopify_app.http.bodies import refuse_declared_excess
from shopify_app.http.client_address import client_address
from shopify_app.http.errors import register_page_renderer
from shopify_app.locales import i18n
from shopify_app.portal import cancel_steps, flows
from shopify_app.portal.entry import sessions
from shopify_app.portal.entry.guard import ProxyContext, Visitor, verify_proxy
from shopify_app.portal.entry.guesses import GuessLimiter
from shopify_app.portal.entry.pages import friendly_page
from shopify_app.portal.entry.redemption import ClientInfo, LoginVisits
from shopify_app.portal.views.layout import Frame, Page
from shopify_app.portal.views.read_cache import ReadCache, app_read_cache
from shopify_app.state import app_state

PREFIX = "/proxy/customer_portal"
SHORT_PREFIX = "/proxy/l"  # https://{shop}/{prefix}/{subpath}/l/{code}, through the app proxy
MAX_FORM_FIELDS = 40
# The largest honest value is the session or a link token (~1 KB); 16 KB per field and 40
# fields bound what a hostile POST can make us hold.
MAX_FIELD_BYTES = 16 * 1024
MAX_BODY_BYTES = MAX_FORM_FIELDS * MAX_FIELD_BYTES


def _seen(request: Request) -> list[Visitor]:
    """Visitors identified while handling this request, for the friendly page's way back."""
    seen: list[Visitor] = []
    request.state.portal_visitors = seen
    return seen


def _visits(request: Request) -> LoginVisits:
    """The app's memory of recorded logged-in visits (made by the lifespan)."""
    visits: LoginVisits = request.app.state.portal_login_visits
    return visits


def _read_cache(request: Request) -> ReadCache:
    """This process's portal read cache, made at first use (one per app instance)."""
    return app_read_cache(request.app.state)


def _guesses(request: Request) -> GuessLimiter:
    """The app's short-link guess counter (made on first use, one per app)."""
    guesses: GuessLimiter | None = getattr(request.app.state, "short_link_guesses", None)
    if guesses is None:
        guesses = request.app.state.short_link_guesses = GuessLimiter()
    return guesses


def _now() -> datetime:
    return datetime.now(UTC)


def _respond(page: Page, request: Request) -> Response:
    headers = {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
    }
    body = "" if request.method == "HEAD" else page.body
    return Response(body, status_code=page.status, media_type=page.media_type, headers=headers)


def _client(request: Request) -> ClientInfo:
    # X-Forwarded-For only from our own proxies (FORWARDED_ALLOW_IPS), else the peer.
    address = client_address(request.scope, app_state(request).settings.forwarded_allow_ips)
    return ClientInfo(address=address, user_agent=request.headers.get("user-agent", ""))


async def _context(request: Request) -> ProxyContext:
    state = app_state(request)
    context = await verify_proxy(request.url.query, state.settings.secrets, _now())
    request.state.portal_context = context
    return context


async def _form(request: Request) -> dict[str, str]:
    refuse_declared_excess(request, MAX_BODY_BYTES, "form")
    # Starlette refuses more fields, or a longer field, with a 400 (a friendly page here).
    form = await request.form(
        max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
    )
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _session_value(request: Request, form: dict[str, str]) -> str | None:
    return form.get(sessions.FORM_FIELD) or request.headers.get(sessions.HEADER)


async def portal_get(request: Request) -> Response:
    context = await _context(request)
    request.state.portal_token = request.query_params.get("token")
    page = await flows.open_by_get(
        app_state(request),
        context,
        request.path_params.get("path", ""),
        request.query_params.get("token"),
        _client(request),
        _now(),
        _seen(request),
        _visits(request),
        _read_cache(request),
    )
    return _respond(page, request)


async def short_link_get(request: Request) -> Response:
    context = await _context(request)
    page = await flows.open_short_link(
        app_state(request),
        context,
        request.path_params["code"],
        _client(request),
        _now(),
        _seen(request),
        _guesses(request),
    )
    return _respond(page, request)


async def portal_post(request: Request) -> Response:
    context = await _context(request)
    form = await _form(request)
    request.state.portal_token = form.get("token")
    page = await flows.open_by_post(
        app_state(request),
        context,
        request.path_params.get("path", ""),
        form,
        _session_value(request, form),
        _client(request),
        _now(),
        _seen(request),
        _read_cache(request),
    )
    return _respond(page, request)


async def portal_action(request: Request) -> Response:
    context = await _context(request)
    form = await _form(request)
    page = await flows.act(
        app_state(request),
        context,
        flows.parse_contract_id(request.path_params["contract_id"]),
        request.path_params["action"],
        form,
        _session_value(request, form),
        _now(),
        _seen(request),
        _read_cache(request),
    )
    return _respond(page, request)


async def cancel_step(request: Request) -> Response:
    context = await _context(request)
    form = await _form(request)
    page = await cancel_steps.run_step(
        app_state(request),
        context,
        flows.parse_contract_id(request.path_params["contract_id"]),
        request.path_params["step"],
        form,
        _session_value(request, form),
        _now(),
        _seen(request),
        _read_cache(request),
    )
    return _respond(page, request)


def render_friendly(request: Request, error: AppError) -> Response:
    """The page for any portal error. Only verified facts (the signed context, a checked
    session) shape its way forward; an unsigned request gets a plain standalone page."""
    context: ProxyContext | None = getattr(request.state, "portal_context", None)
    visitors: list[Visitor] = getattr(request.state, "portal_visitors", None) or []
    visitor = visitors[0] if visitors else None
    if context is None:
        frame = Frame(t=i18n.catalogue(None), path_prefix="", liquid=False)
        page = friendly_page(frame, error, login_url=None)
    else:
        token = getattr(request.state, "portal_token", None)
        locale = flows.link_locale(context, app_state(request).keyring, token)
        frame = flows.frame_for(context, visitor, locale)
        page = friendly_page(frame, error, login_url=context.login_url)
    response = _respond(page, request)
    response.headers.update(error.headers)
    return response


register_page_renderer("/proxy", render_friendly)

routes: list[BaseRoute] = [
    Route(PREFIX, portal_get, methods=["GET"]),
    Route(PREFIX, portal_post, methods=["POST"]),
    # `str`, not `int`: Starlette's int convertor turns a 5000-digit id into a ValueError (500).
    Route(PREFIX + "/contracts/{contract_id:str}/{action:str}", portal_action, methods=["POST"]),
    Route(PREFIX + "/contracts/{contract_id:str}/cancel_flow/{step:str}", cancel_step,
          methods=["POST"]),
    Route(PREFIX + "/{path:path}", portal_get, methods=["GET"]),
    Route(PREFIX + "/{path:path}", portal_post, methods=["POST"]),
    Route(SHORT_PREFIX + "/{code:str}", short_link_get, methods=["GET"]),
]
