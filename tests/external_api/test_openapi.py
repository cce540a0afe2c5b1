"""The OpenAPI document matches what the endpoints answer: real responses, successes and
errors, are validated against the document's own schemas and header lists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID, OLGA_ID
from shopify_app.web import customers_api
from shopify_app.web.external_api import routes
from tests.external_api.conftest import Api

BASE = "/api/external/v2/manage-subscription-link"
DOC_URL = "/api/external/v2/openapi.json"
CUSTOMERS = "/api/external/v2/subscription-contract-details/customers"


@pytest.fixture
async def document(api: Api) -> dict[str, Any]:
    response = await api.client.get(DOC_URL)
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def check(doc: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    operation = doc["paths"][path][method]
    spec = resolve(doc, operation["responses"][str(response.status_code)])
    media = response.headers["content-type"].split(";")[0]
    schema = spec["content"][media]["schema"]
    registry: Registry[Any] = Registry().with_resource(
        "urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator({"$ref": "urn:doc" + schema["$ref"]}, registry=registry)
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert errors == [], (path, response.status_code, errors)
    for header in spec.get("headers", {}):
        if header not in ("Deprecation",):
            assert header.lower() in response.headers, (header, response.status_code)


def test_every_route_is_documented() -> None:
    documented = {"/api/external/v2/openapi.json", BASE, f"{BASE}/revoke", f"{BASE}/{{customerId}}",
                  CUSTOMERS}
    served = {getattr(r, "path", "").replace(":path", "") for r in [*routes,
                                                                    *customers_api.routes]}
    assert served == documented


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
    api.app.state.external_api.keys.clear()
    api.now = api.now.replace(minute=30)
    await api.get(f"{BASE}/{ALICE_ID}")
    cases.append((path_op, "get", await api.get(f"{BASE}/{ALICE_ID}")))
    cases.append((CUSTOMERS, "get", await api.get(CUSTOMERS)))
    statuses = sorted({response.status_code for _, _, response in cases})
    assert statuses == [200, 400, 401, 404, 429, 503]
    for path, method, response in cases:
        check(document, path, method, response)
