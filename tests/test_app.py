"""The one error handler: problem+json for the API, a page elsewhere, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopify_app import errors
from shopify_app.app import create_app
from shopify_app.http import errors as web_errors
from shopify_app.http.access_log import AccessLog
from shopify_app.settings import Settings

PROBLEM = "application/problem+json"
INTERNAL_DETAIL = "db password is hunter2 at /srv/app/secret.py line 12"


async def raise_app_error(request: Request) -> JSONResponse:
    kind = request.path_params["kind"]
    raise {
        "bad": errors.BadRequest("customerId must be positive", code="invalid_customer_id"),
        "unauthorized": errors.Unauthorized(code="missing_api_key"),
        "missing": errors.NotFound("no such customer", code="customer_not_found"),
        "limited": errors.RateLimited("slow down", retry_after=7),
        "unavailable": errors.ServiceUnavailable("Shopify is down", code="shopify_unavailable",
                                                 retry_after=3),
        "markup": errors.BadRequest("<script>alert(1)</script>", title="<b>Bad</b>"),
        "extra": errors.Unprocessable("nope", extra={"field": "quantity"}),
    }[kind]


async def explode(request: Request) -> JSONResponse:
    raise RuntimeError(INTERNAL_DETAIL)


async def fine(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def build_app(settings: Settings) -> Starlette:
    """The smallest app with the real handlers: one route per kind of failure."""
    routes = [
        Route("/api/fail/{kind}", raise_app_error),
        Route("/page/fail/{kind}", raise_app_error),
        Route("/api/explode", explode),
        Route("/page/explode", explode),
        Route("/api/only-get", fine, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers=web_errors.exception_handlers(settings))


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # Starlette re-raises unexpected exceptions after answering (for the server to log): the
    # transport must hand us the response the client would see instead.
    transport = httpx.ASGITransport(app=build_app(settings), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
        yield http


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("bad", 400, "invalid_customer_id"),
        ("unauthorized", 401, "missing_api_key"),
        ("missing", 404, "customer_not_found"),
        ("limited", 429, "rate_limited"),
        ("unavailable", 503, "shopify_unavailable"),
        ("extra", 422, "unprocessable"),
    ],
)
async def test_api_errors_are_problem_json(
    client: httpx.AsyncClient, kind: str, status: int, code: str
) -> None:
    response = await client.get(f"/api/fail/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["title"] and body["detail"]


@pytest.mark.parametrize(("kind", "retry_after"), [("limited", "7"), ("unavailable", "3")])
async def test_retry_after_is_sent(client: httpx.AsyncClient, kind: str, retry_after: str) -> None:
    response = await client.get(f"/api/fail/{kind}")
    assert response.headers["retry-after"] == retry_after


async def test_extra_members_join_the_problem(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/fail/extra")).json()["field"] == "quantity"


async def test_pages_get_an_html_page_with_escaped_text(client: httpx.AsyncClient) -> None:
    response = await client.get("/page/fail/markup", headers={"accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text and "<b>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


async def test_a_json_client_gets_problem_json_outside_the_api(client: httpx.AsyncClient) -> None:
    response = await client.get("/page/fail/missing", headers={"accept": "application/json"})
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "customer_not_found"


@pytest.mark.parametrize(
    ("method", "path", "accept", "status", "code"),
    [
        ("GET", "/api/unknown", "*/*", 404, "not_found"),
        ("GET", "/unknown", "application/json", 404, "not_found"),
        ("POST", "/api/only-get", "*/*", 405, "method_not_allowed"),
        ("DELETE", "/api/only-get", "application/json", 405, "method_not_allowed"),
    ],
)
async def test_routing_errors_use_the_same_shapes(
    client: httpx.AsyncClient, method: str, path: str, accept: str, status: int, code: str
) -> None:
    response = await client.request(method, path, headers={"accept": accept})
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == code
    if status == 405:
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


async def test_not_found_page_for_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/unknown", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not Found" in response.text


@pytest.mark.parametrize(
    ("path", "accept", "content_type"),
    [("/api/explode", "*/*", PROBLEM), ("/page/explode", "text/html", "text/html")],
)
async def test_unexpected_exceptions_are_a_500_without_internals(
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    path: str,
    accept: str,
    content_type: str,
) -> None:
    with caplog.at_level(logging.ERROR, logger="shopify_app.errors"):
        response = await client.get(path, headers={"accept": accept})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(content_type)
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret.py", 'File "'):
        assert leak not in response.text
    if content_type == PROBLEM:
        assert response.json()["code"] == "internal_error"
    else:
        assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    # ...but the operator sees what happened
    assert any(record.exc_info for record in caplog.records)
    assert INTERNAL_DETAIL in caplog.text


async def test_the_real_app_answers_health_and_unknown_paths(settings: Settings) -> None:
    app = create_app(settings, manage_database=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            health = await http.get("/healthz")
            missing = await http.get("/api/external/v2/nothing-here")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_access_log_has_method_path_status_duration_and_no_query(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()

    async def slow(request: Request) -> JSONResponse:
        clock.now += 0.0125  # the request "takes" 12.5 ms
        return JSONResponse({})

    inner = Starlette(routes=[Route("/proxy/customer_portal", slow)],
                      exception_handlers=web_errors.exception_handlers(settings))
    app = AccessLog(inner, clock=clock)
    transport = httpx.ASGITransport(app=app)
    with caplog.at_level(logging.INFO, logger="shopify_app.access"):
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            await http.get("/proxy/customer_portal?token=secret&api_key=secret2")
            await http.post("/proxy/customer_portal?token=secret")
    lines = [r.getMessage() for r in caplog.records if r.name == "shopify_app.access"]
    assert lines == [
        "GET /proxy/customer_portal 200 12.5ms",
        "POST /proxy/customer_portal 405 0.0ms",
    ]
    assert "secret" not in caplog.text


async def test_access_log_records_a_crash_as_500(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = AccessLog(build_app(settings), clock=ManualClock())
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    with caplog.at_level(logging.INFO, logger="shopify_app.access"):
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            await http.get("/api/explode?token=secret")
    assert "GET /api/explode 500 0.0ms" in caplog.text
    assert "token=secret" not in caplog.text
