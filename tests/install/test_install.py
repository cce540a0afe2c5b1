from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.errors import AppError
from shopify_app.install import flow
from shopify_app.sandbox.demo import (
    DEMO_CURRENCY,
    DEMO_PRIMARY_DOMAIN,
    DEMO_SHOP_NAME,
    DEMO_TIMEZONE,
)
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUnavailable
from shopify_app.shopify.signatures import sign_oauth_query
from shopify_app.storage.models import OAuthState, Shop
from tests.conftest import TEST_API_KEY, TEST_SECRET

SHOP = "demo-shop.myshopify.com"


def fresh_timestamp(offset: int = 0) -> str:
    return str(int(datetime.now(UTC).timestamp()) + offset)


def signed(params: dict[str, str], secret: str = TEST_SECRET) -> str:
    pairs = list(params.items())
    return urlencode([*pairs, ("hmac", sign_oauth_query(pairs, secret))])


def install_query(shop: str = SHOP) -> str:
    return signed({"shop": shop, "timestamp": fresh_timestamp()})


@pytest.fixture
async def client(database: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as http:
        yield http


async def start_install(client: httpx.AsyncClient, shop: str = SHOP) -> str:
    """The `state` nonce handed to the authorize page."""
    response = await client.get(f"/auth/install?{install_query(shop)}")
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["location"]).query)["state"][0]


async def test_install_redirects_to_the_authorize_page_with_a_fresh_state(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        f"/auth/install?{install_query()}"
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"http://store.test/shops/{SHOP}/admin/oauth/authorize"
    )
    query = parse_qs(location.query)
    assert set(query) == {"client_id", "scope", "redirect_uri", "state"}  # no grant_options[]
    assert query["client_id"] == [TEST_API_KEY]
    assert query["scope"] == [",".join(flow.SCOPES)]
    assert query["redirect_uri"] == ["https://app.example.test/auth/callback"]
    state = await OAuthState.get(nonce=query["state"][0])
    assert state.shop_domain == SHOP
    assert len(query["state"][0]) >= 32
    assert await start_install(client) != query["state"][0]


async def test_states_of_abandoned_installs_are_purged(client: httpx.AsyncClient) -> None:
    await OAuthState.create(nonce="abandoned", shop_domain=SHOP)
    await OAuthState.filter(nonce="abandoned").update(
        created_at=datetime.now(UTC) - flow.STATE_LIFETIME - timedelta(minutes=1))
    await OAuthState.create(nonce="recent", shop_domain=SHOP)
    state = await start_install(client)
    assert {s.nonce for s in await OAuthState.all()} == {"recent", state}


async def test_the_app_url_outside_the_admin_goes_into_the_admin(
    client: httpx.AsyncClient,
) -> None:
    """Managed install: the app URL opened outside the admin (no `embedded=1`, no `id_token`)
    is sent into the shop's admin, which installs and embeds it; no OAuth state is made."""
    response = await client.get(f"/?{install_query()}")
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"http://store.test/shops/{SHOP}/admin/apps/{TEST_API_KEY}")
    assert await OAuthState.all().count() == 0


async def test_the_app_url_without_a_shop_is_a_plain_page(client: httpx.AsyncClient) -> None:
    for query in ("", "?embedded=1", "?host=x"):
        response = await client.get(f"/{query}")
        assert response.status_code == 200 and "install it from Shopify" in response.text


FORGERIES: dict[str, Callable[[dict[str, str]], str]] = {
    "no-hmac": urlencode,
    "empty-hmac": lambda params: urlencode({**params, "hmac": ""}),
    "zero-hmac": lambda params: urlencode({**params, "hmac": "0" * 64}),
    "non-ascii-hmac": lambda params: urlencode({**params, "hmac": "\u00e9" * 64}),
    "other-secret": lambda params: signed(params, secret="another-app-secret"),
    "tampered": lambda params: signed(params).replace("demo-shop", "demo-shoq"),
    "unsigned-extra": lambda params: signed(params) + "&extra=1",
    "repeated-hmac": lambda params: signed(params) + "&hmac=" + "0" * 64,
    "stale": lambda params: signed({**params, "timestamp": fresh_timestamp(-91)}),
    "future": lambda params: signed({**params, "timestamp": fresh_timestamp(91)}),
    "no-timestamp": lambda params: signed({"shop": params["shop"]}),
}


def forged_query(name: str) -> str:
    return FORGERIES[name]({"shop": SHOP, "timestamp": fresh_timestamp()})


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_forged_or_missing_hmac_on_install_is_401_and_nothing_is_stored(
    client: httpx.AsyncClient, forgery: str
) -> None:
    # (App home trusts no `hmac`: only a verified `id_token` shows anything, tests/admin.)
    response = await client.get(f"/auth/install?{forged_query(forgery)}")
    assert response.status_code == 401
    assert await OAuthState.all().count() == 0


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_forged_or_missing_hmac_on_the_callback_is_401_and_nothing_is_stored(
    client: httpx.AsyncClient, forgery: str
) -> None:
    query = forged_query(forgery)
    state = await start_install(client)
    response = await client.get(f"/auth/callback?{query}&code=abc&state={state}")
    assert response.status_code == 401
    assert await Shop.all().count() == 0
    assert await OAuthState.filter(nonce=state).exists()  # not spent by a forgery


BAD_SHOPS = [
    "evil.com",
    "x.myshopify.com.evil.com",
    "shop.myshopify.com@evil.com",
    "demo-shop.myshopify.com\n",
    "demo-shop.myshopify.com\r\nLocation: https://evil.com",
    "myshopify.com",
    "",
]


@pytest.mark.parametrize("shop", BAD_SHOPS)
@pytest.mark.parametrize("path", ["/auth/install", "/auth/callback", "/"])
async def test_an_invalid_shop_domain_is_400_even_when_signed(
    client: httpx.AsyncClient, shop: str, path: str
) -> None:
    query = signed({"shop": shop, "timestamp": fresh_timestamp(), "code": "abc", "state": "s"})
    response = await client.get(f"{path}?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_shop"
    assert await OAuthState.all().count() == 0 and await Shop.all().count() == 0


async def callback(client: httpx.AsyncClient, state: str, *, shop: str = SHOP,
                   code: str = "valid-code") -> httpx.Response:
    query = signed({"code": code, "shop": shop, "state": state, "timestamp": fresh_timestamp()})
    return await client.get(f"/auth/callback?{query}", headers={"Accept": "application/json"})


@pytest.mark.parametrize("state", ["", "never-issued"])
async def test_a_callback_with_an_unknown_state_is_refused(
    client: httpx.AsyncClient, state: str
) -> None:
    await start_install(client)
    response = await callback(client, state)
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"
    assert await Shop.all().count() == 0


async def test_a_state_issued_for_another_shop_is_refused_and_spent(
    client: httpx.AsyncClient,
) -> None:
    state = await start_install(client, "other-shop.myshopify.com")
    response = await callback(client, state)
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"
    assert not await OAuthState.filter(nonce=state).exists()
    assert await Shop.all().count() == 0


async def test_an_expired_state_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    state = await start_install(client)
    query = signed({"code": "c", "shop": SHOP, "state": state, "timestamp": fresh_timestamp()})
    later = datetime.now(UTC) + flow.STATE_LIFETIME + timedelta(seconds=5)
    query = signed({"code": "c", "shop": SHOP, "state": state,
                    "timestamp": str(int(later.timestamp()))})
    async with httpx.AsyncClient() as http:
        with pytest.raises(AppError) as caught:
            await flow.complete(settings, AdminClient(http, settings), query, now=later)
    assert caught.value.code == "invalid_state"
    assert await Shop.all().count() == 0


async def test_install_is_unavailable_without_app_credentials(database: str) -> None:
    app = create_app(Settings(), manage_database=False)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000"
    ) as http:
        response = await http.get(f"/auth/install?{signed({'shop': SHOP})}",
                                  headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.json()["code"] == "app_not_configured"


@pytest.fixture
async def with_store(
    database: str, settings: Settings, store_transport: httpx.AsyncBaseTransport
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """The app (reaching the simulated store) and a browser for the store's own pages."""
    app = create_app(settings, manage_database=False, http_transport=store_transport)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as browser, httpx.AsyncClient(transport=store_transport) as store_pages:
        yield browser, store_pages


async def install_through_the_store(browser: httpx.AsyncClient,
                                    store_pages: httpx.AsyncClient) -> httpx.Response:
    start = await browser.get(f"/auth/install?{install_query()}")
    approved = await store_pages.get(start.headers["location"])  # the merchant approves
    assert approved.status_code == 302
    back = approved.headers["location"]
    assert back.startswith("https://app.example.test/auth/callback?")
    return await browser.get(back)


async def test_install_stores_expiring_credentials_and_shop_details_then_enters_the_app(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient], store: SimulatedStore,
) -> None:
    response = await install_through_the_store(*with_store)

    assert response.status_code == 302
    assert response.headers["location"] == (
        f"http://store.test/shops/{SHOP}/admin/apps/{TEST_API_KEY}"
    )
    shop = await Shop.get(domain=SHOP)
    assert shop.installed and shop.uninstalled_at is None
    assert shop.access_token and store.tokens.shop_of(shop.access_token) == SHOP
    assert shop.refresh_token and shop.access_token_expires_at and shop.refresh_token_expires_at
    assert timedelta(minutes=59) < shop.access_token_expires_at - datetime.now(UTC) <= timedelta(
        hours=1)
    assert (shop.name, shop.primary_domain) == (DEMO_SHOP_NAME, DEMO_PRIMARY_DOMAIN)
    assert (shop.timezone, shop.currency) == (DEMO_TIMEZONE, DEMO_CURRENCY)
    assert set(shop.scopes.split(",")) == set(flow.SCOPES)
    assert await OAuthState.all().count() == 0  # the nonce is spent
    assert shop.access_token not in response.headers["location"]


async def test_reinstalling_updates_the_same_row(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient], store: SimulatedStore,
) -> None:
    await install_through_the_store(*with_store)
    first = await Shop.get(domain=SHOP)
    await Shop.filter(pk=first.pk).update(access_token=None, refresh_token=None,
                                          uninstalled_at=datetime.now(UTC))

    response = await install_through_the_store(*with_store)

    assert response.status_code == 302
    (again,) = await Shop.all()
    assert again.pk == first.pk and again.installed and again.uninstalled_at is None
    assert again.access_token and again.access_token != first.access_token
    assert store.tokens.shop_of(again.access_token) == SHOP


async def test_a_replayed_callback_is_refused(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    browser, store_pages = with_store
    start = await browser.get(f"/auth/install?{install_query()}")
    back = (await store_pages.get(start.headers["location"])).headers["location"]
    assert (await browser.get(back)).status_code == 302
    replay = await browser.get(back, headers={"Accept": "application/json"})
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_state"


async def test_a_code_shopify_refuses_stores_nothing(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    browser, _ = with_store
    state = await start_install(browser)
    response = await callback(browser, state, code="forged-code")
    assert response.status_code == 400 and response.json()["code"] == "oauth_exchange_failed"
    assert await Shop.all().count() == 0


async def test_shopify_failing_during_install_is_retried_then_refused_and_stores_nothing(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient], store: SimulatedStore,
    settings: Settings, store_transport: httpx.AsyncBaseTransport,
) -> None:
    browser, store_pages = with_store
    store.faults.push(SHOP, "http_500", times=10)
    start = await browser.get(f"/auth/install?{install_query()}")
    back = (await store_pages.get(start.headers["location"])).headers["location"]
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    # The callback's service with a client that does not really wait between retries.
    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings, sleep=pause)
        with pytest.raises(ShopifyUnavailable) as caught:
            await flow.complete(settings, admin, urlsplit(back).query, now=datetime.now(UTC))
    assert caught.value.status == 503 and caught.value.code == "shopify_unavailable"
    assert len(pauses) == settings.shopify_max_attempts - 1
    assert await Shop.all().count() == 0


async def test_simultaneous_first_installs_of_a_new_shop_all_succeed_on_one_row(
    with_store: tuple[httpx.AsyncClient, httpx.AsyncClient], store: SimulatedStore,
) -> None:
    """The merchant double-clicks "Install" (or Shopify retries): callbacks race for a shop
    we have never seen. Both find no row and insert; the loser must update, not fail."""
    browser, store_pages = with_store
    callbacks = []
    for _ in range(6):
        start = await browser.get(f"/auth/install?{install_query()}")
        callbacks.append((await store_pages.get(start.headers["location"])).headers["location"])

    responses = await asyncio.gather(*(browser.get(url) for url in callbacks))

    assert [r.status_code for r in responses] == [302] * len(callbacks)
    (shop,) = await Shop.all()
    assert shop.installed and shop.access_token and shop.refresh_token
    assert shop.access_token_expires_at and shop.refresh_token_expires_at
    assert shop.name == DEMO_SHOP_NAME


async def test_even_at_debug_level_no_credential_reaches_the_logs(
    database: str, settings: Settings, store_transport: httpx.AsyncBaseTransport,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(settings.with_changes(log_level="DEBUG"), manage_database=False,
                     http_transport=store_transport)
    caplog.set_level(logging.DEBUG)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as browser, httpx.AsyncClient(transport=store_transport) as store_pages:
        assert (await install_through_the_store(browser, store_pages)).status_code == 302
    shop = await Shop.get(domain=SHOP)
    assert shop.access_token and shop.refresh_token
    for secret in (shop.access_token, shop.refresh_token, TEST_SECRET):
        assert secret not in caplog.text
