"""The OpenAPI document matches what the endpoints answer: real responses, successes and
errors, are validated against the document's own schemas and header lists."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from shopify_app.api import openapi
from shopify_app.errors import AppError
from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID, OLGA_ID
from tests.api.conftest import Api
from tests.api.openapi_check import (
    PREFIX,
    check_answer,
    documented_path,
    external_routes,
)

BASE = "/api/external/v2/manage-subscription-link"
DOC_URL = "/api/external/v2/openapi.json"
CUSTOMERS = "/api/external/v2/subscription-contract-details/customers"
# The modules behind the external endpoints: every error they define is reachable from the API
# unless named below with the reason.
API_MODULES = (
    "shopify_app.keys.api_keys", "shopify_app.links.customers", "shopify_app.links.minting",
    "shopify_app.api.parameters", "shopify_app.api.rate_limits", "shopify_app.api.customer_listing",
    "shopify_app.api.guard", "shopify_app.links.tokens", "shopify_app.shopify.errors",
    "shopify_app.shopify.credentials", "shopify_app.errors", "shopify_app.api.bulk_parameters",
    "shopify_app.api.idempotency", "shopify_app.links.bulk", "shopify_app.links.short_links",
)
NOT_FROM_THE_API = {
    "invalid_key_name": "the api-keys command only",
    "api_key_not_found": "the api-keys command only",
    "invalid_token": "redeeming a link (the portal)",
    "token_expired": "redeeming a link (the portal)",
    "token_revoked": "redeeming a link (the portal)",
    "shopify_user_error": "mutations; the API only queries",
}
# Base classes of the error tree, never raised as such by the API's modules.
BASE_CODES = {"bad_request", "unauthorized", "forbidden", "not_found", "conflict", "gone",
              "payload_too_large", "unprocessable", "service_unavailable"}


@pytest.fixture
async def document(api: Api) -> dict[str, Any]:
    response = await api.client.get(DOC_URL)
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


def _subclasses(cls: type[AppError]) -> list[type[AppError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_error_the_api_modules_define_is_documented() -> None:
    for name in API_MODULES:
        importlib.import_module(name)
    codes = {cls.code for cls in _subclasses(AppError) if cls.__module__ in API_MODULES}
    codes |= {AppError.code}
    undocumented = codes - set(openapi.ALL_CODES) - set(NOT_FROM_THE_API) - BASE_CODES
    assert undocumented == set()
    # Nothing listed as unreachable is documented, and nothing is listed twice.
    assert set(NOT_FROM_THE_API) & set(openapi.ALL_CODES) == set()


async def test_every_registered_route_is_documented_and_vice_versa(
    api: Api, document: dict[str, Any]
) -> None:
    served = {
        (documented_path(route), method.lower())
        for route in external_routes(api.app)
        for method in (route.methods or ()) if method != "HEAD"
    }
    documented = {
        (path, method) for path, item in document["paths"].items() for method in item
    }
    assert all(path.startswith(PREFIX) for path, _ in documented)
    assert served == documented
    operation_ids = {item[m]["operationId"] for item in document["paths"].values() for m in item}
    assert operation_ids == set(openapi.OPERATION_ERRORS)


async def test_each_operation_enumerates_its_codes(document: dict[str, Any]) -> None:
    enum = document["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
    assert set(enum) == set(openapi.ALL_CODES)
    for item in document["paths"].values():
        for operation in item.values():
            expected = openapi.OPERATION_ERRORS[operation["operationId"]]
            problems = {
                int(status): response["content"]["application/problem+json"]["schema"]
                for status, response in operation["responses"].items() if status != "200"
            }
            assert set(problems) == set(expected)
            for status, schema in problems.items():
                assert schema["properties"]["code"]["enum"] == list(expected[status])
                assert set(expected[status]) <= set(enum)


async def test_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    Draft202012Validator.check_schema(document["components"]["schemas"]["Problem"])
    for name, schema in document["components"]["schemas"].items():
        assert name and Draft202012Validator.check_schema(schema) is None


async def test_responses_match_the_document(api: Api, document: dict[str, Any]) -> None:
    path_op, query_op, revoke_op = f"{BASE}/{{customerId}}", BASE, f"{BASE}/revoke"
    cases: list[tuple[str, str, httpx.Response]] = [
        (path_op, "get", await api.get(f"{BASE}/{ALICE_ID}", source="docs")),
        (path_op, "get", await api.get(f"{BASE}/abc")),
        (path_op, "get", await api.get(f"{BASE}/{OLGA_ID}")),
        (path_op, "get", await api.get(f"{BASE}/{ALICE_ID}", destination="nope")),
        (path_op, "get", await api.client.get(f"{BASE}/{ALICE_ID}")),
        (query_op, "get", await api.get(BASE, emailId=ALICE_EMAIL)),
        (query_op, "get", await api.get(BASE)),
        (query_op, "get", await api.get(BASE, emailId="nobody@example.com")),
        (revoke_op, "post", await api.client.post(f"{BASE}/revoke?customerId={ALICE_ID}",
                                                  headers=api.headers())),
        (revoke_op, "post", await api.client.post(f"{BASE}/revoke", headers=api.headers())),
    ]
    cases += [
        (CUSTOMERS, "get", await api.get(CUSTOMERS, size="2", sort="name,desc")),
        (CUSTOMERS, "get", await api.get(CUSTOMERS, size="1000")),
        (CUSTOMERS, "get", await api.client.get(CUSTOMERS)),
    ]
    api.store.faults.push(None, "http_500")
    cases.append((query_op, "get", await api.get(BASE, customerId="42")))
    api.shop.mint_rate_limit = 1
    await api.shop.save()
    api.app.state.app_state.keys.clear()
    api.now = api.now.replace(minute=30)
    await api.get(f"{BASE}/{ALICE_ID}")
    cases.append((path_op, "get", await api.get(f"{BASE}/{ALICE_ID}")))
    cases.append((CUSTOMERS, "get", await api.get(CUSTOMERS)))
    cases.append((revoke_op, "post", await api.client.post(
        f"{BASE}/revoke?customerId={ALICE_ID}", headers=api.headers())))
    cases.append((DOC_URL, "get", await api.client.get(DOC_URL)))
    statuses = sorted({response.status_code for _, _, response in cases})
    assert statuses == [200, 400, 401, 404, 429, 503]
    for path, method, response in cases:
        check_answer(document, path, method, response)


async def test_shopify_failures_match_the_document(api: Api, document: dict[str, Any]) -> None:
    """503 unavailable and 503 credentials refused, on each operation that asks Shopify.
    (502 `shopify_query_error` needs a GraphQL error the simulated store cannot be made to
    answer; `test_every_error_the_api_modules_define_is_documented` covers its listing.)"""
    path_op, query_op, revoke_op = f"{BASE}/{{customerId}}", BASE, f"{BASE}/revoke"
    requests = [
        (path_op, "get", lambda: api.get(f"{BASE}/42")),
        (query_op, "get", lambda: api.get(BASE, emailId="x@example.com")),
        (revoke_op, "post", lambda: api.client.post(f"{BASE}/revoke?customerId=42",
                                                     headers=api.headers())),
    ]
    for path, method, send in requests:
        api.store.faults.push(None, "http_500")
        response = await send()
        assert response.json()["code"] == "shopify_unavailable"
        check_answer(document, path, method, response)
    api.shop.access_token = "shpat_refused"  # the store answers 401: credentials revoked
    await api.shop.save()
    api.app.state.app_state.keys.clear()  # the cached key holds the old shop row
    for path, method, send in requests:
        response = await send()
        assert (response.status_code, response.json()["code"]) == (
            503, "shop_credentials_invalid")
        assert "shpat_refused" not in response.text
        check_answer(document, path, method, response)
