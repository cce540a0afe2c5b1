"""GET/PUT /admin/api/settings: the merchant's switches, validated, obeyed by the portal."""

from __future__ import annotations

from typing import Any

import pytest

from shopify_app.links.tokens import keyring_from_settings
from shopify_app.merchant import policy
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.settings import Settings
from shopify_app.storage.models import PortalEvent, Shop
from tests.admin.conftest import Admin
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from


async def test_the_defaults(admin: Admin) -> None:
    body = (await admin.request("GET", "settings")).json()
    assert body["link_policy"] == "single_use"
    assert body["portal_format"] == "liquid"
    assert body["portal_actions"] == dict.fromkeys(policy.ACTIONS, True)
    assert body["allowed_frequencies"][0] == {"interval": "WEEK", "count": 1}
    assert body["mint_rate_limit"] == 120
    assert body["default_locale"] == "en"
    assert "fr" in body["choices"]["locales"]


async def test_a_full_update_is_stored_and_returned(admin: Admin) -> None:
    changes = {
        "link_policy": "reusable",
        "portal_format": "html",
        "portal_actions": {"cancel": False, "pause": False},
        "allowed_frequencies": [{"interval": "MONTH", "count": 3}],
        "mint_rate_limit": 10000,
        "default_locale": "fr",
        "link_lifetime_minutes": 10080,
        "accent_color": "#AA3300",
        "button_style": "pill",
        "cancel_instructions": "  Email help@example.com  ",
    }
    response = await admin.request("PUT", "settings", json=changes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["portal_actions"]["cancel"] is False and body["portal_actions"]["skip"] is True
    assert body["allowed_frequencies"] == [{"interval": "MONTH", "count": 3}]
    shop = await Shop.get(id=admin.shop.id)
    assert (shop.link_policy, shop.portal_format, shop.mint_rate_limit, shop.default_locale) == (
        "reusable", "html", 10000, "fr")
    assert (shop.link_lifetime_minutes, shop.accent_color, shop.button_style) == (
        10080, "#aa3300", "pill")
    assert shop.cancel_instructions == "Email help@example.com"
    assert (await admin.request("GET", "settings")).json() == body


async def test_a_partial_update_keeps_the_rest(admin: Admin) -> None:
    await admin.request("PUT", "settings", json={"portal_actions": {"cancel": False},
                                                 "cancel_instructions": "Call us."})
    response = await admin.request("PUT", "settings", json={"portal_actions": {"pause": False},
                                                            "mint_rate_limit": 1})
    body = response.json()
    assert body["portal_actions"]["cancel"] is False and body["portal_actions"]["pause"] is False
    assert body["mint_rate_limit"] == 1 and body["link_policy"] == "single_use"


async def test_frequencies_can_go_back_to_the_defaults(admin: Admin) -> None:
    await admin.request("PUT", "settings",
                        json={"allowed_frequencies": [{"interval": "DAY", "count": 10}]})
    body = (await admin.request("PUT", "settings", json={"allowed_frequencies": None})).json()
    assert len(body["allowed_frequencies"]) == len(policy.DEFAULT_FREQUENCIES)


INVALID: dict[str, tuple[Any, str]] = {
    "unknown-setting": ({"colour": "red"}, "colour"),
    "link-policy": ({"link_policy": "forever"}, "link_policy"),
    "format": ({"portal_format": "pdf"}, "portal_format"),
    "actions-not-object": ({"portal_actions": ["cancel"]}, "portal_actions"),
    "unknown-action": ({"portal_actions": {"teleport": False}}, "portal_actions.teleport"),
    "action-not-bool": ({"portal_actions": {"cancel": "no"}}, "portal_actions.cancel"),
    "frequencies-empty": ({"allowed_frequencies": []}, "allowed_frequencies"),
    "frequencies-not-list": ({"allowed_frequencies": "WEEK:1"}, "allowed_frequencies"),
    "frequency-interval": ({"allowed_frequencies": [{"interval": "HOUR", "count": 1}]},
                           "allowed_frequencies[0].interval"),
    "frequency-lowercase": ({"allowed_frequencies": [{"interval": "week", "count": 1}]},
                            "allowed_frequencies[0].interval"),
    "frequency-zero": ({"allowed_frequencies": [{"interval": "WEEK", "count": 0}]},
                       "allowed_frequencies[0].count"),
    "frequency-too-many-days": ({"allowed_frequencies": [{"interval": "DAY", "count": 366}]},
                                "allowed_frequencies[0].count"),
    "frequency-bool": ({"allowed_frequencies": [{"interval": "WEEK", "count": True}]},
                       "allowed_frequencies[0].count"),
    "frequency-float": ({"allowed_frequencies": [{"interval": "WEEK", "count": 1.5}]},
                        "allowed_frequencies[0].count"),
    "frequency-extra-key": ({"allowed_frequencies": [{"interval": "WEEK", "count": 1, "x": 1}]},
                            "allowed_frequencies[0]"),
    "frequency-repeated": ({"allowed_frequencies": [{"interval": "WEEK", "count": 1}] * 2},
                           "allowed_frequencies[1]"),
    "frequencies-too-many": ({"allowed_frequencies": [{"interval": "DAY", "count": n}
                                                      for n in range(1, 22)]},
                             "allowed_frequencies"),
    "rate-zero": ({"mint_rate_limit": 0}, "mint_rate_limit"),
    "rate-too-high": ({"mint_rate_limit": 10001}, "mint_rate_limit"),
    "rate-string": ({"mint_rate_limit": "100"}, "mint_rate_limit"),
    "rate-bool": ({"mint_rate_limit": True}, "mint_rate_limit"),
    "locale-without-catalogue": ({"default_locale": "de"}, "default_locale"),
    "locale-path": ({"default_locale": "../en"}, "default_locale"),
    "one-bad-field-changes-nothing": ({"link_policy": "reusable", "mint_rate_limit": -1},
                                      "mint_rate_limit"),
    "lifetime-too-short": ({"link_lifetime_minutes": 4}, "link_lifetime_minutes"),
    "lifetime-too-long": ({"link_lifetime_minutes": 10081}, "link_lifetime_minutes"),
    "lifetime-float": ({"link_lifetime_minutes": 60.5}, "link_lifetime_minutes"),
    "colour-name": ({"accent_color": "red"}, "accent_color"),
    "colour-short": ({"accent_color": "#abc"}, "accent_color"),
    "colour-injection": ({"accent_color": "#000000;}</style><script>"}, "accent_color"),
    "button-style": ({"button_style": "round"}, "button_style"),
    "instructions-too-long": ({"cancel_instructions": "x" * 2001}, "cancel_instructions"),
    "instructions-not-text": ({"cancel_instructions": ["x"]}, "cancel_instructions"),
    "cancel-off-without-instructions": ({"portal_actions": {"cancel": False}},
                                        "cancel_instructions"),
    "cancel-off-with-blank-instructions": ({"portal_actions": {"cancel": False},
                                            "cancel_instructions": "   "},
                                           "cancel_instructions"),
}


@pytest.mark.parametrize(("changes", "field"), INVALID.values(), ids=INVALID.keys())
async def test_invalid_settings_are_400_naming_the_field_and_change_nothing(
    admin: Admin, changes: Any, field: str
) -> None:
    response = await admin.request("PUT", "settings", json=changes)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_setting"
    assert response.json()["field"] == field
    shop = await Shop.get(id=admin.shop.id)
    assert (shop.link_policy, shop.mint_rate_limit, shop.portal_actions) == (
        "single_use", 120, {})


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"'])
async def test_a_body_that_is_not_a_json_object_is_400(admin: Admin, body: bytes) -> None:
    response = await admin.client.put("/admin/api/settings", content=body, headers=admin.auth())
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


async def test_turning_cancel_off_makes_the_portal_refuse_it(
    admin: Admin, settings: Settings
) -> None:
    response = await admin.request("PUT", "settings", json={
        "portal_actions": {"cancel": False},
        "cancel_instructions": "Write to help@example.com <b>any time</b>."})
    assert response.status_code == 200
    alice = ProxyClient(admin.client, DEMO_SHOP)
    page = await enter(alice, keyring_from_settings(settings), ALICE_ID)
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert 'data-testid="action-cancel"' not in contract.text
    # Cancelling stays reachable online: the store's instructions, escaped, instead.
    assert "How to cancel" in contract.text
    assert "Write to help@example.com &lt;b&gt;any time&lt;/b&gt;." in contract.text
    refused = await alice.post(f"/contracts/{ACTIVE}/cancel",
                               {"session": session_from(contract.text), "reason": "too much"})
    assert refused.status_code == 403
    assert 'data-code="action_disabled"' in refused.text
    assert admin.store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert await PortalEvent.all().count() == 0

    await admin.request("PUT", "settings", json={"portal_actions": {"cancel": True}})
    contract = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert 'data-testid="action-cancel"' in contract.text
    assert "How to cancel" not in contract.text


async def test_the_portal_wears_the_accent_colour_and_button_style(admin: Admin) -> None:
    response = await admin.request("PUT", "settings", json={"accent_color": "#aa3300",
                                                            "button_style": "square"})
    assert response.status_code == 200
    alice = ProxyClient(admin.client, DEMO_SHOP)
    page = await alice.get(token="x")  # any portal page carries the shop's look
    assert "--sp-accent:rgb(var(--color-button, 170, 51, 0))" in page.text
    assert "--sp-button-radius:0" in page.text


async def test_the_link_lifetime_default_is_what_links_get(admin: Admin) -> None:
    await admin.request("PUT", "settings", json={"link_lifetime_minutes": 30})
    key = (await admin.request("POST", "api-keys", json={"name": "k"})).json()["key"]
    response = await admin.client.get(f"/api/external/v2/manage-subscription-link/{ALICE_ID}",
                                      headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    assert response.json()["expiresInMinutes"] == 30
    asked = await admin.client.get(f"/api/external/v2/manage-subscription-link/{ALICE_ID}",
                                   params={"expiresInMinutes": "60"}, headers={"X-API-Key": key})
    assert asked.json()["expiresInMinutes"] == 60


async def test_the_html_format_switches_the_portal_page(admin: Admin) -> None:
    alice = ProxyClient(admin.client, DEMO_SHOP)
    before = await alice.get(token="x")
    assert before.headers["content-type"].startswith("application/liquid")
    await admin.request("PUT", "settings", json={"portal_format": "html"})
    after = await alice.get(token="x")
    assert after.headers["content-type"].startswith("text/html")
