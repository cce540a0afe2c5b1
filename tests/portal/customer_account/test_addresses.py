"""The extension's address form and changes: the form of a country in the customer's language,
refusals on their fields, all subscriptions at once and a partial failure, all as the
document says."""

from __future__ import annotations

from typing import Any

import pytest

from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.storage.models import PortalEvent
from tests.portal.customer_account.conftest import API, Extension
from tests.portal.customer_account.test_openapi import check_answer

FORM = f"{API}/address-form"
ACT = f"{API}/subscriptions/{{contractId}}/{{action}}"
TORONTO = {"country_code": "CA", "first_name": "Alice", "last_name": "Martin",
           "address1": "1 King Street W", "city": "Toronto", "province_code": "ON",
           "zip": "M5H 1A1"}


async def _doc(extension: Extension) -> dict[str, Any]:
    doc: dict[str, Any] = (await extension.http.get(f"{API}/openapi.json")).json()
    return doc


async def test_the_form_of_a_country_in_the_customers_language(extension: Extension) -> None:
    doc = await _doc(extension)
    response = await extension.get("/address-form?country=jp&locale=fr")
    assert response.status_code == 200
    check_answer(doc, FORM, "get", response)
    form = response.json()
    assert form["country"] == "JP"
    assert {"code": "JP", "name": "Japon"} in form["countries"]
    assert form["rows"][:3] == [["country_code"], ["last_name", "first_name"], ["zip"]]
    assert form["labels"]["province_code"] == "area.prefecture"
    assert form["labels"]["zip"] == "zip.postal"
    assert "province_code" in form["required"] and "company" not in form["required"]
    assert {"code": "JP-13", "name": "Tokyo"} in form["provinces"]
    assert form["zipExample"] == "154-0023"
    us = (await extension.get("/address-form?country=US")).json()
    assert us["labels"]["zip"] == "zip.zip" and us["rows"][5] == ["city", "province_code", "zip"]
    gb = (await extension.get("/address-form?country=GB&locale=en")).json()
    assert gb["provinces"] == [] and "province_code" not in gb["labels"]


@pytest.mark.parametrize(
    "query",
    ["", "?country=" + "X" * 5000, "?locale=" + "%7B%7B" * 3000, "?country=%00&locale=%00",
     "?country=US&country=FR", "?locale=zz-ZZ-ZZ"],
)
async def test_hostile_queries_get_the_default_form(extension: Extension, query: str) -> None:
    response = await extension.get(f"/address-form{query}")
    assert response.status_code == 200, response.text
    assert response.json()["country"] in ("US", "FR")


async def test_the_form_needs_a_signed_in_customer(extension: Extension) -> None:
    doc = await _doc(extension)
    response = await extension.http.get(FORM)
    assert response.status_code == 401
    check_answer(doc, FORM, "get", response)
    preflight = await extension.http.options(
        FORM, headers={"Origin": extension.origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204


async def test_a_refused_address_names_each_field(extension: Extension, store: Any) -> None:
    doc = await _doc(extension)
    response = await extension.act(ACTIVE, "change_address", **{**TORONTO, "zip": "90210",
                                                               "city": ""})
    assert response.status_code == 422
    check_answer(doc, ACT, "post", response)
    problem = response.json()
    assert problem["code"] == "invalid_address"
    assert problem["errors"] == {"city": "required", "zip": "invalid"}
    assert store.contracts[ACTIVE].terms.address.city == "Brooklyn"


async def test_all_subscriptions_and_the_message_count(extension: Extension, store: Any) -> None:
    doc = await _doc(extension)
    shown = await extension.get(f"/subscriptions/{ACTIVE}")
    assert sorted(shown.json()["liveSubscriptions"]) == sorted([ACTIVE, PAUSED])
    assert "change_address_all" in shown.json()["subscription"]["actions"]
    response = await extension.act(ACTIVE, "change_address", **TORONTO, all_subscriptions="1")
    assert response.status_code == 200, response.text
    check_answer(doc, ACT, "post", response)
    body = response.json()
    assert body["message"] == "flash.change_address_all"
    assert body["messageParams"] == {"count": 2}
    assert store.contracts[PAUSED].terms.address.zip == "M5H 1A1"


async def test_a_partial_failure_says_which_changed(extension: Extension, store: Any) -> None:
    doc = await _doc(extension)
    store.concurrent_edits.add(PAUSED)
    response = await extension.act(ACTIVE, "change_address", **TORONTO, all_subscriptions="1")
    assert response.status_code == 409
    check_answer(doc, ACT, "post", response)
    problem = response.json()
    assert problem["code"] == "address_partly_changed"
    assert problem["changed"] == [{"id": ACTIVE, "title": "House Blend Coffee"}]
    assert [(f["id"], f["code"]) for f in problem["failed"]] == [(PAUSED, "STALE_CONTRACT")]
    assert store.contracts[ACTIVE].terms.address.city == "Toronto"
    assert store.contracts[PAUSED].terms.address.city == "Brooklyn"
    assert [e.contract_id for e in await PortalEvent.filter(action="change_address")] == [ACTIVE]
