from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shopify_app.links import minting, revocation
from shopify_app.links.tokens import keyring_from_settings, verify
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID, OLGA_ID
from shopify_app.storage.models import Customer
from tests.api.conftest import Api

BASE = "/api/external/v2/manage-subscription-link"


async def mint_claims(api: Api, customer_id: int) -> minting.PortalClaims:
    body = (await api.get(f"{BASE}/{customer_id}")).json()
    [token] = parse_qs(urlsplit(body["manageSubscriptionLink"]).query)["token"]
    keyring = keyring_from_settings(api.app.state.app_state.settings)
    return verify(keyring, token, now=api.now)


async def test_revoke_voids_earlier_links_only(api: Api) -> None:
    before = await mint_claims(api, ALICE_ID)
    bob = await mint_claims(api, BOB_ID)
    api.now += timedelta(seconds=5)
    response = await api.client.post(f"{BASE}/revoke", params={"customerId": str(ALICE_ID)},
                                     headers=api.headers())
    assert response.status_code == 200, response.text
    assert response.json() == {
        "customerId": ALICE_ID, "linksValidAfter": "2026-05-04T10:00:05.000Z"}
    with pytest.raises(revocation.TokenRevoked) as caught:
        await revocation.ensure_not_revoked(api.shop, before)
    assert caught.value.code == "token_revoked"
    await revocation.ensure_not_revoked(api.shop, bob)  # another customer's link is untouched
    after = await mint_claims(api, ALICE_ID)  # minted at the same instant as the revocation
    await revocation.ensure_not_revoked(api.shop, after)


async def test_revoke_of_a_customer_we_never_saw_looks_them_up(api: Api) -> None:
    response = await api.client.post(f"{BASE}/revoke?customerId={BOB_ID}", headers=api.headers())
    assert response.status_code == 200
    row = await Customer.get(shop_id=api.shop.id, customer_id=BOB_ID)
    assert row.links_valid_after is not None


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("", 400, "missing_customer"),
        ("customerId=abc", 400, "invalid_customer_id"),
        (f"customerId={OLGA_ID}", 404, "customer_not_found"),
        (f"customerId=1&customerId={ALICE_ID}", 400, "ambiguous_parameter"),
    ],
)
async def test_revoke_bad_input(api: Api, query: str, status: int, code: str) -> None:
    response = await api.client.post(f"{BASE}/revoke?{query}", headers=api.headers())
    assert response.status_code == status and response.json()["code"] == code


async def test_revoke_needs_a_key_and_post(api: Api) -> None:
    response = await api.client.post(f"{BASE}/revoke?customerId={ALICE_ID}")
    assert response.status_code == 401
    get = await api.get(f"{BASE}/revoke")
    assert get.status_code == 400 and get.json()["code"] == "invalid_customer_id"


async def test_revoke_links_of_an_unknown_customer_is_a_no_op(api: Api) -> None:
    cutoff = await revocation.revoke_links(api.shop, 123, api.now)
    assert cutoff == api.now
    assert await Customer.filter(customer_id=123).count() == 0
