"""The storefront's app proxy, against a small echo app standing behind it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shopify_app.sandbox import demo
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.storefront import StorefrontConfig, build_storefront_app, safe_return_url
from shopify_app.shopify.signatures import verify_proxy_query

SECRET = "storefront-test-secret"
APP_URL = "http://app.test"


async def echo(request: Request) -> Response:
    """What reached the app, as JSON; sets a cookie to prove the proxy strips it."""
    body = {
        "method": request.method,
        "path": request.url.path,
        "query": request.url.query,
        "cookie": request.headers.get("cookie"),
        "content_type": request.headers.get("content-type"),
        "body": (await request.body()).decode(),
    }
    response = JSONResponse(body, headers={"X-App": "yes"})
    response.set_cookie("app_session", "x")
    return response


async def liquid_page(request: Request) -> Response:
    template = request.query_params.get("template", "")
    return Response(template, media_type="application/liquid")


echo_app = Starlette(
    routes=[
        Route("/proxy/liquid", liquid_page),
        Route("/proxy/{rest:path}", echo, methods=["GET", "POST"]),
    ]
)


@pytest.fixture
async def storefront(
    store: SimulatedStore, store_clock: ManualClock
) -> AsyncIterator[httpx.AsyncClient]:
    config = StorefrontConfig(
        store=store,
        shop=demo.DEMO_SHOP,
        app_url=APP_URL,
        secret=SECRET,
        app_transport=httpx.ASGITransport(app=echo_app),
    )
    app = build_storefront_app(config)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.demo.test") as client:
        yield client


async def test_forwards_with_a_valid_signature(
    storefront: httpx.AsyncClient, store_clock: ManualClock
) -> None:
    response = await storefront.get("/tools/recurring/customer_portal/x?a=1&a=2&blank=")
    seen = response.json()
    assert seen["path"] == "/proxy/customer_portal/x"
    assert verify_proxy_query(seen["query"], SECRET, store_clock().timestamp())
    assert not verify_proxy_query(seen["query"], "another-secret", store_clock().timestamp())
    pairs = parse_qsl(seen["query"], keep_blank_values=True)
    assert pairs[:3] == [("a", "1"), ("a", "2"), ("blank", "")]
    params = dict(pairs)
    assert params["shop"] == demo.DEMO_SHOP
    assert params["path_prefix"] == "/tools/recurring"
    assert params["logged_in_customer_id"] == ""
    assert params["timestamp"] == str(int(store_clock().timestamp()))


async def test_visitor_cannot_smuggle_signed_parameters(storefront: httpx.AsyncClient) -> None:
    query = "shop=evil.myshopify.com&logged_in_customer_id=1&signature=abc&x=1"
    seen = (await storefront.get(f"/tools/recurring/customer_portal?{query}")).json()
    pairs = parse_qsl(seen["query"], keep_blank_values=True)
    assert [v for k, v in pairs if k == "shop"] == [demo.DEMO_SHOP]
    assert [v for k, v in pairs if k == "logged_in_customer_id"] == [""]
    assert ("x", "1") in pairs


async def test_cookies_are_stripped_both_ways(storefront: httpx.AsyncClient) -> None:
    response = await storefront.get(
        "/tools/recurring/customer_portal", headers={"Cookie": "theme=dark; _secure_session=1"}
    )
    assert response.json()["cookie"] is None
    assert "set-cookie" not in response.headers
    assert response.headers["x-app"] == "yes"


async def test_post_body_and_content_type_are_forwarded(
    storefront: httpx.AsyncClient, store_clock: ManualClock
) -> None:
    response = await storefront.post(
        "/tools/recurring/customer_portal/redeem?step=1",
        data={"token": "abc", "note": "ünï"},
    )
    seen = response.json()
    assert seen["method"] == "POST"
    assert seen["content_type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(seen["body"])) == {"token": "abc", "note": "ünï"}
    assert verify_proxy_query(seen["query"], SECRET, store_clock().timestamp())


async def test_other_paths_are_not_proxied(storefront: httpx.AsyncClient) -> None:
    assert (await storefront.get("/apps/recurring/customer_portal")).status_code == 404


@pytest.mark.parametrize(
    ("template", "shown", "hidden"),
    [
        ("<p>{{ shop.name }}</p>", "<p>Demo Coffee Roasters</p>", "{{"),
        ("<p>{% raw %}{{ shop.name }}{% endraw %}</p>", "<p>{{ shop.name }}</p>", "raw"),
        ("<p>a{% if x %}b{% endif %}</p>", "<p>ab</p>", "{%"),
    ],
)
async def test_liquid_answers_are_rendered_in_the_theme(
    storefront: httpx.AsyncClient, template: str, shown: str, hidden: str
) -> None:
    response = await storefront.get("/tools/recurring/liquid", params={"template": template})
    assert response.headers["content-type"].startswith("text/html")
    main = response.text.split('id="MainContent">', 1)[1].split("</main>", 1)[0]
    assert shown in main
    assert hidden not in main
    assert '<header class="theme-header"><a href="/">Demo Coffee Roasters</a>' in response.text


async def test_other_content_types_pass_through(storefront: httpx.AsyncClient) -> None:
    response = await storefront.get("/tools/recurring/anything")
    assert response.headers["content-type"] == "application/json"
    json.loads(response.text)


async def test_storefront_login_signs_the_customer_in(
    storefront: httpx.AsyncClient, store_clock: ManualClock
) -> None:
    form = await storefront.get(
        "/account/login", params={"return_url": "/tools/recurring/customer_portal"}
    )
    assert demo.ALICE_EMAIL in form.text
    assert demo.OLGA_EMAIL not in form.text  # another shop's customer
    login = await storefront.post(
        "/account/login",
        data={"customer_id": str(demo.ALICE_ID), "return_url": "/tools/recurring/customer_portal"},
    )
    assert login.status_code == 303
    assert login.headers["location"] == "/tools/recurring/customer_portal"

    seen = (await storefront.get("/tools/recurring/customer_portal")).json()
    assert dict(parse_qsl(seen["query"], keep_blank_values=True))["logged_in_customer_id"] == str(
        demo.ALICE_ID
    )
    assert verify_proxy_query(seen["query"], SECRET, store_clock().timestamp())
    assert seen["cookie"] is None  # the storefront's own cookie stays with the storefront

    await storefront.post("/account/logout")
    seen = (await storefront.get("/tools/recurring/customer_portal")).json()
    assert dict(parse_qsl(seen["query"], keep_blank_values=True))["logged_in_customer_id"] == ""


@pytest.mark.parametrize(
    "customer_id", [str(demo.OLGA_ID), "999", "abc"], ids=["other-shop", "unknown", "junk"]
)
async def test_login_refuses_customers_outside_the_shop(
    storefront: httpx.AsyncClient, customer_id: str
) -> None:
    response = await storefront.post("/account/login", data={"customer_id": customer_id})
    assert response.status_code == 400
    assert "set-cookie" not in response.headers


async def test_forged_login_cookie_is_ignored(storefront: httpx.AsyncClient) -> None:
    storefront.cookies.set("sandbox_storefront_customer", f"{demo.ALICE_ID}.forged")
    seen = (await storefront.get("/tools/recurring/customer_portal")).json()
    assert dict(parse_qsl(seen["query"], keep_blank_values=True))["logged_in_customer_id"] == ""


@pytest.mark.parametrize(
    ("return_url", "location"),
    [
        ("/tools/recurring/customer_portal?x=1", "/tools/recurring/customer_portal?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
async def test_login_never_redirects_off_the_storefront(
    storefront: httpx.AsyncClient, return_url: str, location: str
) -> None:
    response = await storefront.post(
        "/account/login", data={"customer_id": str(demo.BOB_ID), "return_url": return_url}
    )
    assert urlsplit(response.headers["location"]).geturl() == location


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/tools/recurring/customer_portal", "/tools/recurring/customer_portal"),
        ("/a?b=c", "/a?b=c"),
        (None, "/"),
        ("", "/"),
        ("https://evil.com", "/"),
        ("//evil.com", "/"),
        ("/\\evil.com", "/"),
        ("/\t/evil.com", "/"),  # browsers drop the tab: //evil.com
        ("/\n/evil.com", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("/ /evil.com", "/"),
    ],
)
def test_the_login_return_url_never_leaves_the_storefront(value: str | None, expected: str) -> None:
    assert safe_return_url(value) == expected
