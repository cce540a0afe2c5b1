"""Holding a real answer of the app to the OpenAPI document it serves.

`operation_of` finds the operation the app's router would run for (method, path), the way
Starlette matches, so the check cannot pick a friendlier operation than the app did;
`check_answer` validates status, media type, body and headers against that operation.
"""

from __future__ import annotations

from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.routing import Match, Route

PREFIX = "/api/external/v2"
PROBLEM_JSON = "application/problem+json"


def external_routes(app: Starlette) -> list[Route]:
    return [r for r in app.routes if isinstance(r, Route) and r.path.startswith(PREFIX)]


def documented_path(route: Route) -> str:
    return route.path.replace(":path", "")


def operation_of(app: Starlette, method: str, path: str) -> tuple[str, str] | None:
    """(documented path, method) of the route that fully matches, None if none does."""
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in app.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            if not isinstance(route, Route) or not route.path.startswith(PREFIX):
                return None
            verb = "get" if method == "HEAD" else method.lower()
            return documented_path(route), verb
    return None


def _absolute(node: Any) -> Any:
    """The schema with its `#/…` references pointing into the registered document."""
    if isinstance(node, dict):
        return {k: ("urn:doc" + v if k == "$ref" and v.startswith("#") else _absolute(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def validate(doc: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    registry: Registry[Any] = Registry().with_resource(
        "urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(_absolute(schema), registry=registry)
    return [e.message for e in validator.iter_errors(value)]


def _expected_headers(doc: dict[str, Any], spec: dict[str, Any], body: Any) -> set[str]:
    """The headers the response spec lists that this very answer must carry (all but those
    the document marks `required: false`)."""
    headers = spec.get("headers", {})
    names = {name for name, header in headers.items()
             if resolve(doc, header).get("required", True)} - {"Deprecation", "WWW-Authenticate"}
    code = body.get("code") if isinstance(body, dict) else None
    if code not in (None, "rate_limited", "shopify_unavailable"):
        names.discard("Retry-After")
    if code == "ambiguous_parameter" and body.get("parameter") == "api_key":
        # Refused before the key was read: nothing was counted.
        names -= {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    return names


def check_answer(
    doc: dict[str, Any], path: str, method: str, response: httpx.Response
) -> None:
    """The answer is one the document describes for `path`/`method`, body and headers."""
    operation = doc["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (path, method, status, response.text[:300])
    spec = resolve(doc, operation["responses"][status])
    media = response.headers["content-type"].split(";")[0]
    assert media in spec["content"], (path, status, media)
    if response.request.method == "HEAD":
        assert response.content == b""
        return
    body = response.json()
    schema = spec["content"][media].get("schema")
    if schema is not None:
        errors = validate(doc, schema, body)
        assert errors == [], (path, status, errors, body)
    for header in _expected_headers(doc, spec, body):
        assert header.lower() in response.headers, (header, path, status, body)
    if status == "401":
        assert response.headers["www-authenticate"].startswith("ApiKey")
