"""The mint's hot-path shortcuts answer exactly what the general code they replace answers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopify_app.api import link_routes
from shopify_app.api.guard import ApiCaller, send_json
from shopify_app.api.parameters import parse_options, query_pairs
from shopify_app.api.rate_limits import Quota
from shopify_app.errors import AppError
from shopify_app.http.access_log import AccessLog
from shopify_app.links.minting import MintOptions
from shopify_app.sandbox.demo import ALICE_ID
from tests.api.conftest import Api

BASE = "/api/external/v2/manage-subscription-link"


@pytest.mark.parametrize("query", [
    "", "a=1", "a=1&b=2", "a", "a=", "=x", "=", "&", "&&a=1&", "a=1&a=2", "a=b=c",
    "a=%41", "a+b=c+d", "a=%zz", "source=bench&customerId=7", "a=%C3%A9", "é=è",
    "a;b=c", "a=1;b=2", "+", "%", "a==", "a=1&&&b", "x&x=&x=1",
])
def test_query_pairs_read_what_starlette_reads(query: str) -> None:
    raw = query.encode()
    assert query_pairs(raw) == QueryParams(raw.decode("latin-1")).multi_items()


@pytest.mark.parametrize(("params", "expected"), [
    ([], MintOptions()),
    ([("source", "bench")], MintOptions(source="bench")),
    ([("expiresInMinutes", ""), ("destination", ""), ("source", ""), ("locale", "")],
     MintOptions()),
    ([("expiresInMinutes", "30"), ("destination", "orders"), ("locale", "fr-CA"), ("x", "1"),
      ("x", "2")], MintOptions(30, "orders", "", "fr-CA")),
    ([("singleUse", "true"), ("short", "false"), ("source", "crm"), ("customerId", "7")],
     MintOptions(source="crm", single_use=True, short=False)),
    ([("singleUse", ""), ("short", ""), ("destination", "orders")],
     MintOptions(destination="orders")),
])
def test_parse_options_reads_each_option(
    params: list[tuple[str, str]], expected: MintOptions
) -> None:
    assert parse_options(params) == expected


@pytest.mark.parametrize(("params", "code", "parameter"), [
    ([("source", "a"), ("source", "b")], "ambiguous_parameter", "source"),
    # Options are read in a fixed order: the first faulty one is the one reported.
    ([("source", "a"), ("source", "b"), ("expiresInMinutes", "x")],
     "invalid_parameter", "expiresInMinutes"),
    ([("locale", "a"), ("locale", "b"), ("destination", "c"), ("destination", "d")],
     "ambiguous_parameter", "destination"),
    ([("expiresInMinutes", "1.5")], "invalid_parameter", "expiresInMinutes"),
])
def test_parse_options_reports_the_first_fault(
    params: list[tuple[str, str]], code: str, parameter: str
) -> None:
    with pytest.raises(AppError) as caught:
        parse_options(params)
    assert (caught.value.code, caught.value.extra["parameter"]) == (code, parameter)


@pytest.mark.parametrize("via_query", [False, True])
async def test_send_json_sends_what_json_response_sends(via_query: bool) -> None:
    caller = ApiCaller(key=None, shop=None, quota=Quota(100, 42, 17),  # type: ignore[arg-type]
                       via_query=via_query)
    body = {"link": "https://shop.test/a/b/customer_portal?token=x.y", "n": 120, "é": "ü"}
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    await send_json(send, body, caller.raw_headers())  # type: ignore[arg-type]
    reference = JSONResponse(body, headers=caller.headers())
    assert sent == [
        {"type": "http.response.start", "status": 200, "headers": reference.raw_headers},
        {"type": "http.response.body", "body": reference.body},
    ]


@pytest.mark.parametrize("moment", [
    datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC),
    datetime(2026, 5, 4, 12, 0, 0, 999_999, tzinfo=UTC),
    datetime(2026, 5, 4, 14, 0, 0, tzinfo=timezone(timedelta(hours=2))),
    datetime.fromtimestamp(1_777_896_000, tz=UTC),
])
def test_iso_answers_utc_seconds(moment: datetime) -> None:
    assert link_routes._iso(moment) == "2026-05-04T12:00:00Z"


async def test_revoke_and_mint_share_a_path_prefix_in_any_order(api: Api) -> None:
    # The mint-by-path route comes first: POST .../revoke must still reach revoke, and a GET
    # of .../revoke is still a (bad) customer id.
    posted = await api.client.post(f"{BASE}/revoke", params={"customerId": "1"},
                                   headers=api.headers())
    assert posted.status_code != 405
    got = await api.get(f"{BASE}/revoke")
    assert (got.status_code, got.json()["code"]) == (400, "invalid_customer_id")
    assert got.headers["RateLimit-Limit"]  # the caller's headers ride on the error


async def test_mint_answer_has_the_json_response_headers(api: Api) -> None:
    response = await api.get(f"{BASE}/{ALICE_ID}", source="bench")
    assert list(response.headers.keys()) == [
        "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "cache-control",
        "content-length", "content-type", "x-content-type-options",  # the last: every answer's
    ]
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)


@pytest.mark.parametrize(("level", "logged"), [(logging.INFO, True), (logging.WARNING, False)])
async def test_access_log_writes_only_when_info_is_on(
    level: int, logged: bool, caplog: pytest.LogCaptureFixture
) -> None:
    async def hello(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = AccessLog(Starlette(routes=[Route("/hello", hello)]), clock=lambda: 0.0)
    with caplog.at_level(level, logger="shopify_app.access"):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            response = await http.get("/hello?token=secret")
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "shopify_app.access"]
    assert lines == (["GET /hello 200 0.0ms"] if logged else [])
