"""The delivery address in the proxy portal: shown per country, edited in a form shaped by
the country (no script needed), refused on the field, and changed on all live subscriptions
at once when the customer asks (reporting each one when Shopify refuses some)."""

from __future__ import annotations

import html
import re
from typing import Any

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, BOB_CONTRACT_ID, BOB_ID
from shopify_app.sandbox.demo import ALICE_PAUSED_CONTRACT_ID as PAUSED
from shopify_app.storage.models import PortalEvent, Shop
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient, session_from

TORONTO = {
    "country_code": "CA",
    "first_name": "Alice",
    "last_name": "Martin",
    "address1": "1 King Street W",
    "city": "Toronto",
    "province_code": "ON",
    "zip": "m5h 1a1",
}


async def _page(client: ProxyClient, keyring: Keyring, cid: int, customer: int = ALICE_ID,
                **claims: object) -> str:
    page = await enter(client, keyring, customer, **claims)
    response = await client.post(f"/contracts/{cid}", {"session": session_from(page)})
    assert response.status_code == 200, response.text
    return response.text


async def _act(client: ProxyClient, page: str, cid: int, **fields: str) -> Any:
    return await client.post(
        f"/contracts/{cid}/change_address", {"session": session_from(page), **fields}
    )


def _tag(page: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*id="{re.escape(element_id)}"[^>]*>', page)
    assert match, element_id
    return match.group(0)


def _selected(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    chunk = page[start:page.index("</select>", start)]
    match = re.search(r'<option value="([^"]*)" selected>([^<]*)</option>', chunk)
    assert match, chunk[:200]
    return f"{match.group(1)}={html.unescape(match.group(2))}"


async def test_the_page_shows_the_us_order_with_names(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _page(alice, keyring, ACTIVE)
    assert "Brooklyn, New York 11201<br>United States<br>" in page
    assert "11201 Brooklyn" not in page
    assert _selected(page, f"sp-{ACTIVE}-country_code") == "US=United States"
    assert _selected(page, f"sp-{ACTIVE}-province_code") == "NY=New York"
    assert ">ZIP code</label>" in page and ">State</label>" in page
    assert "required" in _tag(page, f"sp-{ACTIVE}-zip")
    assert "required" not in _tag(page, f"sp-{ACTIVE}-address2")


async def test_the_page_in_french(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _page(alice, keyring, ACTIVE, locale="fr")
    assert "Brooklyn, New York 11201<br>États-Unis<br>" in page
    assert _selected(page, f"sp-{ACTIVE}-country_code") == "US=États-Unis"
    assert ">Code ZIP</label>" in page and ">État</label>" in page


async def test_a_valid_address_is_saved_normalised(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    response = await _act(alice, page, ACTIVE, **TORONTO)
    assert response.status_code == 200, response.text
    address = store.contracts[ACTIVE].terms.address
    assert (address.city, address.province_code, address.zip, address.country_code) == (
        "Toronto", "ON", "M5H 1A1", "CA"
    )
    assert "Toronto Ontario M5H 1A1<br>Canada<br>" in response.text
    assert store.contracts[PAUSED].terms.address.city == "Brooklyn"  # only this one


async def test_a_refused_address_says_why_on_each_field_and_keeps_what_was_typed(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    admin_calls.operations.clear()
    response = await _act(
        alice, page, ACTIVE, **{**TORONTO, "zip": "90210", "address1": "Rue <b>{{x}}</b>",
                                "city": ""}
    )
    assert response.status_code == 422
    assert not [op for op in admin_calls.operations if op != "PortalContract"]
    assert store.contracts[ACTIVE].terms.address.city == "Brooklyn"
    text = response.text
    zip_tag = _tag(text, f"sp-{ACTIVE}-zip")
    assert 'aria-invalid="true"' in zip_tag
    assert f'aria-describedby="sp-{ACTIVE}-zip-error"' in zip_tag
    assert 'value="90210"' in zip_tag
    assert f'id="sp-{ACTIVE}-zip-error">This does not look like a postal code of Canada' in text
    assert f'id="sp-{ACTIVE}-city-error">Please fill in this field.' in text
    assert 'aria-invalid="true"' in _tag(text, f"sp-{ACTIVE}-city")
    assert 'aria-invalid' not in _tag(text, f"sp-{ACTIVE}-address1")
    assert 'value="Rue &lt;b&gt;&#123;&#123;x&#125;&#125;&lt;/b&gt;"' in text  # kept, inert
    assert _selected(text, f"sp-{ACTIVE}-country_code") == "CA=Canada"  # the typed country
    assert _selected(text, f"sp-{ACTIVE}-province_code") == "ON=Ontario"
    assert "Please check the highlighted address fields." in text
    assert '<details class="sp-disclosure" id="address" open>' in text
    assert await PortalEvent.all().count() == 0


async def test_changing_the_country_without_script_reshapes_the_form(
    alice: ProxyClient, keyring: Keyring, store: Any, admin_calls: CountingTransport
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    assert 'data-testid="address-refresh"' in page
    admin_calls.operations.clear()
    typed = {"country_code": "JP", "first_name": "Taro", "last_name": "Yamada",
             "address1": "1-1 Jingumae", "zip": "150-0001", "address_refresh": "1"}
    response = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page), **typed})
    assert response.status_code == 200
    text = response.text
    assert set(admin_calls.operations) <= {"PortalContract"}  # a view (maybe cached): no change
    assert _selected(text, f"sp-{ACTIVE}-country_code") == "JP=Japan"
    assert ">Prefecture</label>" in text and ">Tokyo</option>" in text
    assert 'value="1-1 Jingumae"' in text and 'value="150-0001"' in text
    # The family name comes first in Japan, and the state list is gone.
    assert text.index(f'id="sp-{ACTIVE}-last_name"') < text.index(f'id="sp-{ACTIVE}-first_name"')
    assert ">New York</option>" not in text
    assert f'data-focus="sp-{ACTIVE}-country_code"' in text
    assert store.contracts[ACTIVE].terms.address.country_code == "US"
    # The page the customer came from can still save (its one change was not spent).
    saved = await _act(alice, page, ACTIVE, **TORONTO)
    assert saved.status_code == 200, saved.text


async def test_shopify_user_errors_on_the_address_land_on_their_field(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    # Our check lets any plausible phone through; Shopify refuses numbers too short to dial.
    response = await _act(alice, page, ACTIVE, **TORONTO, phone="123")
    assert response.status_code == 422, response.text
    tag = _tag(response.text, f"sp-{ACTIVE}-phone")
    assert 'aria-invalid="true"' in tag and 'value="123"' in tag
    assert f'id="sp-{ACTIVE}-phone-error">This phone number cannot be dialled' in response.text
    assert store.contracts[ACTIVE].terms.address.city == "Brooklyn"


async def test_all_subscriptions_at_once(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    assert "Use this address for all my subscriptions (2)" in page
    response = await _act(alice, page, ACTIVE, **TORONTO, all_subscriptions="1")
    assert response.status_code == 200, response.text
    assert "The delivery address of your 2 subscriptions has changed." in response.text
    for cid in (ACTIVE, PAUSED):
        assert store.contracts[cid].terms.address.zip == "M5H 1A1"
    events = await PortalEvent.filter(action="change_address").order_by("contract_id")
    assert sorted(e.contract_id for e in events) == sorted([ACTIVE, PAUSED])


async def test_partial_failure_reports_each_subscription_and_writes_none_by_half(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    before = store.contracts[PAUSED].terms.address
    store.concurrent_edits.add(PAUSED)  # someone edits it while our draft is open
    response = await _act(alice, page, ACTIVE, **TORONTO, all_subscriptions="1")
    assert response.status_code == 409
    text = html.unescape(response.text)
    assert "The address changed on: House Blend Coffee. Not changed on: Earl Grey Tea" in text
    assert "changed in the meantime" in text
    assert store.contracts[ACTIVE].terms.address.zip == "M5H 1A1"
    assert store.contracts[PAUSED].terms.address == before  # whole, untouched
    events = await PortalEvent.filter(action="change_address")
    assert [e.contract_id for e in events] == [ACTIVE]
    # The form keeps the address and the box, to retry.
    assert 'value="1 King Street W"' in response.text
    assert "checked" in _tag(response.text, f"sp-{ACTIVE}-all_subscriptions")


async def test_when_the_one_on_screen_fails_the_others_still_change(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    store.concurrent_edits.add(ACTIVE)
    response = await _act(alice, page, ACTIVE, **TORONTO, all_subscriptions="1")
    assert response.status_code == 409
    assert store.contracts[ACTIVE].terms.address.city == "Brooklyn"
    assert store.contracts[PAUSED].terms.address.city == "Toronto"
    text = html.unescape(response.text)
    assert "changed on: Earl Grey Tea. Not changed on: House Blend Coffee" in text


async def test_the_setting_off_hides_the_box_and_ignores_a_forged_one(
    alice: ProxyClient, keyring: Keyring, store: Any, shop: Shop
) -> None:
    shop.portal_actions = {"change_address_all": False}
    await shop.save()
    page = await _page(alice, keyring, ACTIVE)
    assert "all_subscriptions" not in page
    response = await _act(alice, page, ACTIVE, **TORONTO, all_subscriptions="1")
    assert response.status_code == 200
    assert store.contracts[ACTIVE].terms.address.city == "Toronto"
    assert store.contracts[PAUSED].terms.address.city == "Brooklyn"


async def test_one_subscription_gets_no_box(alice: ProxyClient, keyring: Keyring) -> None:
    page = await _page(alice, keyring, BOB_CONTRACT_ID, customer=BOB_ID)
    assert "all_subscriptions" not in page
    assert "change_address" in page


async def test_huge_and_hostile_address_forms_never_500(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    page = await _page(alice, keyring, ACTIVE)
    huge = "\u202e" + "A" * 16_000
    response = await _act(
        alice, page, ACTIVE, **{**TORONTO, "address1": huge, "country_code": huge}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in _tag(response.text, f"sp-{ACTIVE}-country_code")
    page = await _page(alice, keyring, ACTIVE)
    reshaped = await alice.post(
        f"/contracts/{ACTIVE}",
        {"session": session_from(page), "address_refresh": "1", "country_code": huge,
         "province_code": huge, "zip": "{% raw %}"},
    )
    assert reshaped.status_code == 200
    assert "{% raw %}" not in reshaped.text
    assert store.contracts[ACTIVE].terms.address.city == "Brooklyn"
