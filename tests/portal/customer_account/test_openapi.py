"""The customer account backend's OpenAPI document matches what the endpoints answer."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route

from shopify_app.app import create_app
from shopify_app.errors import AppError
from shopify_app.portal.customer_account import openapi
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import BOB_CONTRACT_ID
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.api.openapi_check import resolve, validate
from tests.portal.customer_account.conftest import API, Extension, session_token

LIST, ONE, ACT = f"{API}/subscriptions", f"{API}/subscriptions/{{contractId}}", (
    f"{API}/subscriptions/{{contractId}}/{{action}}"
)
MODULES = ("guard", "tokens", "cors", "routes", "service")


def check_answer(doc: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    """The answer's status, media type and body are what the document says for it."""
    operation = doc["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (path, method, status, response.text[:300])
    spec = resolve(doc, operation["responses"][status])
    if not spec.get("content"):
        assert response.content == b""
        return
    media = response.headers["content-type"].split(";")[0]
    assert media in spec["content"], (path, status, media)
    errors = validate(doc, spec["content"][media]["schema"], response.json())
    assert errors == [], (path, status, errors)
    assert response.headers["access-control-allow-origin"] == "*"
    if status == "401":
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.fixture
async def document(extension: Extension) -> dict[str, Any]:
    response = await extension.http.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


def test_the_document_is_openapi_3_1_with_its_own_tag() -> None:
    doc = openapi.openapi_document()
    assert doc["openapi"] == "3.1.0"
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    tags = {tag for item in doc["paths"].values() for op in item.values() for tag in op["tags"]}
    assert tags == {"customer-account"}


def test_every_route_is_documented_and_vice_versa(settings: Settings) -> None:
    app = create_app(settings, manage_database=False)
    registered = {
        (route.path.replace(":str", ""), method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith(API) and route.methods
        for method in route.methods - {"HEAD"}
    }
    documented = {
        (path, method) for path, item in openapi.openapi_document()["paths"].items()
        for method in item
    }
    registered = {(p.replace("{contract_id}", "{contractId}"), m) for p, m in registered}
    assert registered == documented


def test_every_error_code_of_the_backend_is_documented() -> None:
    documented = {code for errors in openapi.OPERATION_ERRORS.values()
                  for codes in errors.values() for code in codes}
    for name in MODULES:
        module = importlib.import_module(f"shopify_app.portal.customer_account.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, AppError) and value.__module__ == (
                module.__name__
            ):
                assert value.code in documented, value


async def test_real_answers_match_the_document(
    extension: Extension, document: dict[str, Any], shop: Shop, store: Any
) -> None:
    check_answer(document, LIST, "get", await extension.get("/subscriptions"))
    check_answer(document, ONE, "get", await extension.get(f"/subscriptions/{ACTIVE}"))
    check_answer(document, ONE, "get", await extension.get(f"/subscriptions/{BOB_CONTRACT_ID}"))
    check_answer(document, ACT, "post", await extension.act(ACTIVE, "pause"))
    check_answer(document, ACT, "post", await extension.act(ACTIVE, "pause"))  # 403 now
    check_answer(document, ACT, "post", await extension.act(ACTIVE, "change_quantity"))
    check_answer(document, ACT, "post", await extension.act(ACTIVE, "nope"))
    check_answer(document, ACT, "post", await extension.act(ACTIVE, "resume"))
    line = str(store.contracts[ACTIVE].terms.lines[0].id)
    check_answer(document, ACT, "post",
                 await extension.act(ACTIVE, "apply_discount", code="NOT-A-CODE", line_id=line))
    anonymous = await extension.http.get(
        f"{API}/subscriptions", headers={"Authorization": f"Bearer {session_token(None)}"}
    )
    check_answer(document, LIST, "get", anonymous)
    refused = await extension.http.options(
        f"{API}/subscriptions", headers={"Access-Control-Request-Method": "DELETE"}
    )
    check_answer(document, LIST, "options", refused)


async def test_the_document_answers_without_a_token(extension: Extension) -> None:
    response = await extension.http.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Customer account extension backend"
