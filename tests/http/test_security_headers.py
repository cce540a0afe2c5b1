"""Every answer says `nosniff`; a standalone HTML page (the html portal, error pages) may not be
framed; the embedded admin's shop-specific `frame-ancestors` is kept."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from shopify_app.http.security_headers import SecurityHeaders


@pytest.mark.parametrize(
    ("answer", "csp"),
    [
        (HTMLResponse("<p>x</p>"), "frame-ancestors 'none'"),
        (HTMLResponse("<p>admin</p>", headers={
            "Content-Security-Policy": "frame-ancestors https://a.myshopify.com"}),
         "frame-ancestors https://a.myshopify.com"),
        (JSONResponse({}), None),
        (Response("{% liquid %}", media_type="application/liquid"), None),
    ],
    ids=["html", "admin-keeps-its-own", "json", "liquid"],
)
async def test_the_middleware(answer: Response, csp: str | None) -> None:
    async def endpoint(request: object) -> Response:
        return answer

    app = SecurityHeaders(Starlette(routes=[Route("/", endpoint)]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        response = await client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get("content-security-policy") == csp
    assert len(response.headers.get_list("x-content-type-options")) == 1
