"""Seeded random requests through the app: every answer is a documented success or a
well-formed problem+json, never a stack trace, never a secret."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import quote

import pytest

from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID, BOB_ID, OLGA_ID
from tests.api.conftest import Api
from tests.api.openapi_check import PROBLEM_JSON, check_answer, operation_of
from tests.conftest import TEST_SECRET

BASE = "/api/external/v2/manage-subscription-link"
PATHS = [
    "/api/external/v2/openapi.json", BASE, f"{BASE}/revoke", f"{BASE}/",
    "/api/external/v2/subscription-contract-details/customers", "/api/external/v2/",
    "/api/external/v2/unknown", "/api/external/v1/manage-subscription-link",
]
NAMES = ["customerId", "emailId", "expiresInMinutes", "destination", "source", "locale",
         "api_key", "page", "size", "sort", "name", "email", "activeMoreThanOneSubscription",
         "token", "x"]
METHODS = ["GET"] * 8 + ["POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]
HEADER_NAMES = ["Accept", "Content-Type", "X-Forwarded-For", "Authorization", "Cookie",
                "If-None-Match", "Range", "X-API-Key"]


def _values(rng: random.Random) -> list[str]:
    ids = [str(ALICE_ID), str(BOB_ID), str(OLGA_ID)]
    return [
        "", "0", "-1", "1e3", "1" * 30, "9" * 19, "9223372036854775808", "abc", "٣", "+5",
        " 5", "5.0", "true", "false", "null", "[]", "{}", "%", "%00", "%ff", "%c3%28",
        "gid://shopify/Customer/" + ids[0], "gid://shopify/Order/1", "gid://shopify/Customer/",
        ALICE_EMAIL, ALICE_EMAIL.upper(), "a" * 500 + "@example.com", "ålice@exämple.com",
        "a@b", '"@example.com', "\\", "<script>", "{{ shop.name }}", "x" * 3000,
        "customerId,desc", "name,asc", "email,DESC", "lifetimeValue,foo", ",", "subscriptions",
        "payment", "fr-CA", "klaviyo-winback", "\u202e", "\ud7ff", "😀" * 10,
        *ids, str(rng.randint(1, 10**12)), "".join(rng.choice("abc%/?&=#;:,") for _ in range(12)),
    ]


def _random_path(rng: random.Random, values: list[str]) -> str:
    if rng.random() < 0.5:
        return rng.choice(PATHS)
    tail = rng.choice([*values, "..", "../..", "revoke/1", "1/2", "%2F", "gid:%2F%2Fshopify"])
    return f"{BASE}/{quote(tail, safe='%/:') if rng.random() < 0.7 else tail}"


def _random_query(rng: random.Random, values: list[str], key: str) -> str:
    pairs = []
    for _ in range(rng.randint(0, 6)):
        name = rng.choice(NAMES)
        value = key if name == "api_key" and rng.random() < 0.5 else rng.choice(values)
        raw = rng.random() < 0.2  # unencoded, as broken clients send it
        pairs.append(f"{name}={value if raw else quote(value, safe='')}")
    if rng.random() < 0.1:
        pairs.append(rng.choice(["&&", "=", "customerId", "%zz=1", "a=%e2%82"]))
    return "&".join(pairs)


def _random_headers(rng: random.Random, values: list[str], key: str) -> list[tuple[str, str]]:
    """Names and values as text; `_raw` sends the values' UTF-8 bytes (not all are ASCII)."""
    headers: list[tuple[str, str]] = []
    roll = rng.random()
    if roll < 0.5:
        headers.append(("X-API-Key", key))
    elif roll < 0.6:
        headers += [("X-API-Key", key), ("X-API-Key", key)]
    elif roll < 0.8:
        headers.append(("X-API-Key", rng.choice([*values[:25], key + "x", key[:-1], "ssp_"])))
    for _ in range(rng.randint(0, 3)):
        value = rng.choice(values)[:200]
        headers.append((rng.choice(HEADER_NAMES), value))
    return headers


def _raw(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode("utf-8")) for name, value in headers]


def _check_problem(response_body: Any, status: int) -> None:
    assert isinstance(response_body, dict), response_body
    assert response_body["status"] == status
    for field in ("type", "title", "detail", "code"):
        assert isinstance(response_body[field], str) and response_body[field], response_body


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_requests_get_documented_answers(api: Api, seed: int) -> None:
    api.shop.mint_rate_limit = 10**6  # the fuzz is about input, not the limit
    await api.shop.save()
    document = (await api.client.get("/api/external/v2/openapi.json")).json()
    rng = random.Random(seed)
    values = _values(rng)
    statuses: dict[int, int] = {}
    for _ in range(150):
        method = rng.choice(METHODS)
        path = _random_path(rng, values)
        query = _random_query(rng, values, api.key)
        headers = _random_headers(rng, values, api.key)
        junk = bytes(rng.randrange(256) for _ in range(64))
        body = rng.choice([b"", b"{}", b"customerId=1", junk])
        url = f"{path}?{query}" if query else path
        response = await api.client.request(method, url, headers=_raw(headers),
                                             content=body)
        status = response.status_code
        statuses[status] = statuses.get(status, 0) + 1
        context = (method, url, headers, status, response.text[:300])
        assert status < 500 or status in (502, 503), context
        for secret in (api.key, TEST_SECRET, api.shop.access_token or "-"):
            assert secret not in response.text, context
            assert all(secret not in value for value in response.headers.values()), context
        assert "Traceback" not in response.text and 'File "' not in response.text, context
        media = response.headers.get("content-type", "").split(";")[0]
        if status >= 400:
            assert media == PROBLEM_JSON, context
            if method != "HEAD":
                _check_problem(response.json(), status)
        else:
            assert media == "application/json", context
        found = operation_of(api.app, method, response.request.url.path)
        if found is not None and found[1] in document["paths"][found[0]]:
            try:
                check_answer(document, found[0], found[1], response)
            except AssertionError as exc:
                raise AssertionError(context) from exc
        elif method != "HEAD":
            assert response.json()["code"] in ("not_found", "method_not_allowed"), context
    # The fuzz reached successes and several kinds of refusal, not one wall of 401s.
    assert statuses.get(200, 0) > 0 and len(statuses) >= 4, statuses
