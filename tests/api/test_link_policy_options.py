"""`short` and `singleUse` on the single mints."""

from __future__ import annotations

from typing import Any

import pytest

from shopify_app.links import short_links
from shopify_app.links.tokens import verify
from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID
from tests.api.conftest import Api
from tests.api.openapi_check import check_answer

BASE = "/api/external/v2/manage-subscription-link"


@pytest.fixture
async def document(api: Api) -> dict[str, Any]:
    doc: dict[str, Any] = (await api.client.get("/api/external/v2/openapi.json")).json()
    return doc


async def test_short_true_adds_a_short_link_to_both_mints(
    api: Api, document: dict[str, Any]
) -> None:
    by_path = await api.get(f"{BASE}/{ALICE_ID}", short="true")
    by_query = await api.get(BASE, emailId=ALICE_EMAIL, short="true")
    for response, path in ((by_path, f"{BASE}/{{customerId}}"), (by_query, BASE)):
        assert response.status_code == 200
        body = response.json()
        prefix = "https://shop.demo.test/tools/recurring/l/"
        assert body["shortLink"].startswith(prefix)
        code = body["shortLink"].removeprefix(prefix)
        assert short_links.is_code(code)
        token = body["manageSubscriptionLink"].split("token=", 1)[1]
        assert await short_links.resolve(api.shop, code, api.now) == token
        check_answer(document, path, "get", response)
    plain = (await api.get(f"{BASE}/{ALICE_ID}", short="false")).json()
    assert "shortLink" not in plain


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), (None, None)])
async def test_single_use_is_carried_by_the_link(
    api: Api, value: str | None, expected: bool | None
) -> None:
    params = {"singleUse": value} if value is not None else {}
    body = (await api.get(f"{BASE}/{ALICE_ID}", **params)).json()
    token = body["manageSubscriptionLink"].split("token=", 1)[1]
    keyring = api.app.state.app_state.keyring
    assert verify(keyring, token, now=api.now).single_use is expected


@pytest.mark.parametrize("name", ["singleUse", "short"])
@pytest.mark.parametrize("value", ["yes", "1", "TRUE", " true"])
async def test_flags_take_true_or_false_only(api: Api, name: str, value: str) -> None:
    response = await api.get(f"{BASE}/{ALICE_ID}", **{name: value})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["parameter"]) == ("invalid_parameter", name)
