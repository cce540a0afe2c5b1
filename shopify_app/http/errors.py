"""The one handler: an `AppError` becomes problem+json for the API, a friendly page elsewhere.

A stack trace never reaches a user: unexpected exceptions are logged and rendered as a 500
with the same shapes.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from shopify_app.errors import AppError
from shopify_app.http.security_headers import harden
from shopify_app.settings import Settings

logger = logging.getLogger("shopify_app.errors")
PROBLEM_JSON = "application/problem+json"

# The portal renders its own friendly pages; it registers a renderer here (see portal package).
PageRenderer = Callable[[Request, AppError], Response]
_page_renderers: dict[str, PageRenderer] = {}


def register_page_renderer(path_prefix: str, renderer: PageRenderer) -> None:
    _page_renderers[path_prefix] = renderer


def problem(error: AppError) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
        **error.extra,
    }
    return JSONResponse(
        body, status_code=error.status, headers=error.headers, media_type=PROBLEM_JSON
    )


def render(request: Request, error: AppError) -> Response:
    for prefix, renderer in _page_renderers.items():
        if request.url.path.startswith(prefix):
            return renderer(request, error)
    if request.url.path.startswith("/api/") or "json" in request.headers.get("accept", ""):
        return problem(error)
    page = (
        "<!doctype html><meta charset=utf-8><title>{t}</title><h1>{t}</h1><p>{d}</p>".format(
            t=html.escape(error.title), d=html.escape(error.detail)
        )
    )
    return HTMLResponse(page, status_code=error.status, headers=error.headers)


def exception_handlers(settings: Settings) -> Mapping[Any, Callable[..., Any]]:
    async def on_app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        if exc.status >= 500:
            logger.warning("%s %s -> %s", request.method, request.url.path, exc)
        return render(request, exc)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        # exc.headers keeps what the status needs, e.g. 405's `Allow`.
        error = AppError(str(exc.detail), status=exc.status_code, code=code,
                         title=str(exc.detail), headers=exc.headers)
        return render(request, error)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return harden(render(request, AppError("Something went wrong on our side. Please try "
                                               "again.")))

    return {AppError: on_app_error, HTTPException: on_http_error, Exception: on_unexpected}
