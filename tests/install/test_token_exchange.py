"""Shopify-managed install: app home's session token is exchanged for offline credentials."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from shopify_app.install import first_import, token_exchange
from shopify_app.install.flow import SCOPES
from shopify_app.install.shops import uninstall
from shopify_app.mirror.imports import import_progress
from shopify_app.sandbox import demo
from shopify_app.storage.models import ImportRun, OAuthState, Shop, SubscriptionContract
from tests.admin.conftest import Admin, session_token
from tests.conftest import TEST_API_KEY

NEW_SHOP = demo.OTHER_SHOP  # the store knows it; the app does not yet


def home(admin: Admin, shop: str = NEW_SHOP) -> str:
    token = session_token(admin.now, shop=shop)
    return f"/?{urlencode({'embedded': '1', 'shop': shop, 'id_token': token})}"


async def test_a_new_shop_is_installed_by_token_exchange_and_its_import_started(
    admin: Admin,
) -> None:
    response = await admin.client.get(home(admin))
    assert response.status_code == 200
    assert demo.OTHER_SHOP_NAME in response.text
    shop = await Shop.get(domain=NEW_SHOP)
    assert shop.installed and shop.name == demo.OTHER_SHOP_NAME  # ShopInfo, same write
    assert shop.access_token and admin.store.tokens.shop_of(shop.access_token) == NEW_SHOP
    assert shop.refresh_token and shop.refresh_token_expires_at
    assert shop.access_token_expires_at is not None  # expiring offline token
    assert timedelta(minutes=59) < shop.access_token_expires_at - admin.now <= timedelta(hours=1)
    assert set(shop.scopes.split(",")) == set(SCOPES)
    assert admin.store.tokens.exchange_count[NEW_SHOP] == 1
    assert shop.access_token not in response.text
    # The import runs in the background: the page did not wait for it.
    await first_import.wait_for_imports()
    status = await import_progress(shop.id)
    assert status.status == "done" and status.contracts > 0
    assert await SubscriptionContract.filter(shop_id=shop.id).count() == status.contracts
    assert await OAuthState.all().count() == 0  # the claim is released


async def test_concurrent_first_loads_exchange_once(admin: Admin) -> None:
    responses = await asyncio.gather(*(admin.client.get(home(admin)) for _ in range(6)))
    assert [r.status_code for r in responses] == [200] * 6
    assert admin.store.tokens.exchange_count[NEW_SHOP] == 1
    assert await Shop.filter(domain=NEW_SHOP).count() == 1
    await first_import.wait_for_imports()


async def test_a_shop_another_process_is_installing_is_waited_for(admin: Admin) -> None:
    """Another worker holds the claim: this one waits, then uses what that one stored."""
    await OAuthState.create(nonce=token_exchange._claim_nonce(demo.DEMO_SHOP),
                            shop_domain=demo.DEMO_SHOP)
    await Shop.filter(id=admin.shop.id).update(uninstalled_at=admin.now)
    polls: list[float] = []

    async def other_process_finishes(seconds: float) -> None:
        polls.append(seconds)
        await Shop.filter(id=admin.shop.id).update(uninstalled_at=None)

    state = admin.app.state.app_state
    shop = await token_exchange.ensure_installed(
        state.settings, state.admin, demo.DEMO_SHOP, session_token(admin.now), now=admin.now,
        sleep=other_process_finishes)
    assert shop.installed and len(polls) == 1
    assert admin.store.tokens.exchange_count == {}


async def test_a_stale_claim_of_a_crashed_process_lapses(admin: Admin) -> None:
    await OAuthState.create(nonce=token_exchange._claim_nonce(NEW_SHOP), shop_domain=NEW_SHOP)
    await OAuthState.all().update(created_at=admin.now - timedelta(minutes=1))
    response = await admin.client.get(home(admin))
    assert response.status_code == 200
    assert admin.store.tokens.exchange_count[NEW_SHOP] == 1
    await first_import.wait_for_imports()


@pytest.mark.parametrize("lost", ["uninstalled", "refresh-expired", "no-token", "new-scope"])
async def test_a_shop_without_usable_credentials_is_exchanged_again(
    admin: Admin, lost: str
) -> None:
    if lost == "uninstalled":
        await uninstall(demo.DEMO_SHOP, admin.now)
    elif lost == "refresh-expired":
        await Shop.filter(id=admin.shop.id).update(
            access_token_expires_at=admin.now - timedelta(hours=1), refresh_token="r",
            refresh_token_expires_at=admin.now - timedelta(seconds=1))
    elif lost == "no-token":
        await Shop.filter(id=admin.shop.id).update(access_token=None)
    else:
        await Shop.filter(id=admin.shop.id).update(scopes="read_customers")
    before = await Shop.get(id=admin.shop.id)
    response = await admin.client.get(home(admin, demo.DEMO_SHOP))
    assert response.status_code == 200
    after = await Shop.get(id=admin.shop.id)
    assert after.installed and after.access_token != before.access_token
    assert admin.store.tokens.shop_of(after.access_token or "") == demo.DEMO_SHOP
    assert admin.store.tokens.exchange_count[demo.DEMO_SHOP] == 1
    await first_import.wait_for_imports()


async def test_usable_credentials_are_not_exchanged(admin: Admin) -> None:
    await Shop.filter(id=admin.shop.id).update(
        access_token_expires_at=admin.now - timedelta(minutes=1), refresh_token="r",
        refresh_token_expires_at=admin.now + timedelta(days=1))  # the refresh renews it
    response = await admin.client.get(home(admin, demo.DEMO_SHOP))
    assert response.status_code == 200
    assert admin.store.tokens.exchange_count == {}


async def test_an_exchange_shopify_refuses_stores_nothing_and_bounces(admin: Admin) -> None:
    admin.store.tokens.apps[TEST_API_KEY] = "the-store-knows-another-secret"
    response = await admin.client.get(home(admin))
    assert response.status_code == 302
    assert response.headers["location"].startswith("/auth/session-token?")
    assert await Shop.filter(domain=NEW_SHOP).count() == 0
    assert await OAuthState.all().count() == 0
    await first_import.wait_for_imports()
    assert await ImportRun.all().count() == 0
