"""`/proxy/l/{code}`: a short link behaves exactly as the long link it stands for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shopify_app.links import revocation, short_links
from shopify_app.links.tokens import Keyring
from shopify_app.portal.entry.guesses import MAX_MISSES
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP, OTHER_SHOP
from shopify_app.storage.models import Customer, PortalRedemption, Shop, SpentToken
from tests.portal.conftest import make_token
from tests.portal.proxy_client import ProxyClient, signed_query


async def _short(shop: Shop, token: str, *, ttl: timedelta = timedelta(hours=2)) -> str:
    [code] = await short_links.create_many(
        shop, [short_links.ShortLinkRequest(token, datetime.now(UTC) + ttl)]
    )
    return code


async def _open(visitor: ProxyClient, code: str, *, method: str = "GET",
                address: str = "198.51.100.7") -> httpx.Response:
    query = signed_query(visitor.shop, customer_id=visitor.customer_id)
    return await visitor.http.request(method, f"/proxy/l/{code}?{query}",
                                      headers={"X-Forwarded-For": address})


@pytest.fixture
def customer(http: httpx.AsyncClient) -> ProxyClient:
    """A storefront visitor of the demo shop whose portal reads the simulated store."""
    return ProxyClient(http, DEMO_SHOP)


async def test_a_short_link_answers_its_long_links_continue_page(
    customer: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    visitor, bare_shop = customer, shop
    token = make_token(keyring, ALICE_ID)
    code = await _short(bare_shop, token)
    for method in ("GET", "HEAD", "GET"):  # scanners look; nothing is spent
        response = await _open(visitor, code, method=method)
        assert response.status_code == 200
    page = response.text
    assert 'action="/tools/recurring/customer_portal"' in page
    assert f'name="token" value="{token}"' in page
    assert response.headers["cache-control"] == "no-store"
    assert await SpentToken.all().count() == 0
    # The continue page's POST redeems it like the long link.
    redeemed = await visitor.post(data={"token": token})
    assert redeemed.status_code == 200
    assert await PortalRedemption.all().count() == 1
    spent = await _open(visitor, code)
    assert (spent.status_code, 'data-code="token_spent"' in spent.text) == (410, True)


async def test_unknown_expired_and_foreign_codes_get_the_expired_page(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop
) -> None:
    other = await Shop.create(domain=OTHER_SHOP, name="Other", installed_at=datetime.now(UTC))
    foreign = await _short(other, make_token(keyring, ALICE_ID, shop=OTHER_SHOP))
    expired = await _short(bare_shop, make_token(keyring, ALICE_ID), ttl=timedelta(seconds=-1))
    for code in (short_links.new_code(), expired, foreign, "not-a-code", "x" * 5000):
        response = await _open(visitor, code)
        assert response.status_code == 401, code
        assert 'data-code="token_expired"' in response.text
        assert 'data-testid="login-link"' in response.text


async def test_revoked_customers_short_links_stop_working(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop
) -> None:
    code = await _short(bare_shop, make_token(keyring, ALICE_ID))
    await Customer.create(shop=bare_shop, customer_id=ALICE_ID, email="alice@example.com")
    await revocation.revoke_links(bare_shop, ALICE_ID, datetime.now(UTC) + timedelta(seconds=1))
    response = await _open(visitor, code)
    assert (response.status_code, 'data-code="token_revoked"' in response.text) == (401, True)


async def test_guessing_is_slowed_per_client_address(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop
) -> None:
    code = await _short(bare_shop, make_token(keyring, ALICE_ID))
    for _ in range(MAX_MISSES):
        assert (await _open(visitor, short_links.new_code())).status_code == 401
    refused = await _open(visitor, code)  # even a real code, while the address is refused
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert (await _open(visitor, code, address="198.51.100.8")).status_code == 200


async def test_single_use_follows_the_link_then_the_shop(
    customer: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    visitor, bare_shop = customer, shop
    reusable = make_token(keyring, ALICE_ID, single_use=False)
    once = make_token(keyring, ALICE_ID)
    for _ in range(2):
        assert (await visitor.post(data={"token": reusable})).status_code == 200
    assert (await visitor.post(data={"token": once})).status_code == 200
    assert (await visitor.post(data={"token": once})).status_code == 410
    bare_shop.link_policy = "reusable"
    await bare_shop.save()
    strict = make_token(keyring, ALICE_ID, single_use=True)
    assert (await visitor.post(data={"token": strict})).status_code == 200
    assert (await visitor.post(data={"token": strict})).status_code == 410
