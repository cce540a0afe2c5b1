from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.demo import DEMO_SHOP, DEMO_SHOP_NAME
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.credentials import LEASE_DURATION, Credentials, is_fresh
from shopify_app.shopify.errors import ShopifyAuthFailed
from shopify_app.storage.models import Shop
from tests.support.store import register_shop

# auto: row locks on PostgreSQL, the lease on SQLite; lease: the lease on either backend.
STRATEGIES = {"auto": None, "lease": False}


async def instant(seconds: float) -> None:
    await asyncio.sleep(0)  # yield to the other tasks, never wait


@pytest.fixture
async def http(store_transport: httpx.AsyncBaseTransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=store_transport) as client:
        yield client


def admin_client(http: httpx.AsyncClient, settings: Settings, clock: ManualClock,
                 strategy: str = "auto") -> AdminClient:
    credentials = Credentials(http, settings, clock=clock, sleep=instant,
                              row_lock=STRATEGIES[strategy])
    return AdminClient(http, settings, clock=clock, sleep=instant, credentials=credentials)


async def expiring_shop(store: SimulatedStore, clock: ManualClock, *,
                        expires_in: timedelta = timedelta(hours=1)) -> Shop:
    """Our row holding expiring credentials the store issued `1h - expires_in` ago."""
    shop = await register_shop(store, DEMO_SHOP)
    issued = store.issue_tokens(DEMO_SHOP)
    clock.advance(timedelta(hours=1) - expires_in)
    await Shop.filter(pk=shop.pk).update(
        access_token=issued.access_token,
        access_token_expires_at=clock() + expires_in,
        refresh_token=issued.refresh_token,
        refresh_token_expires_at=clock() + timedelta(days=89),
    )
    return await Shop.get(pk=shop.pk)


@pytest.mark.parametrize("strategy", list(STRATEGIES))
async def test_twenty_concurrent_requests_on_an_expired_token_refresh_once(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient, strategy: str,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    old = (shop.access_token, shop.refresh_token)
    admin = admin_client(http, settings, store_clock, strategy)
    # Every request loads its own row, as concurrent web requests do.
    rows = [await Shop.get(pk=shop.pk) for _ in range(20)]

    results = await asyncio.gather(*(admin.query(row, "ShopInfo") for row in rows))

    assert store.refresh_count[DEMO_SHOP] == 1
    assert [r["shop"]["name"] for r in results] == [DEMO_SHOP_NAME] * 20
    stored = await Shop.get(pk=shop.pk)
    assert (stored.access_token, stored.refresh_token) != old
    assert stored.access_token and stored.refresh_token
    assert stored.access_token_expires_at == store_clock() + timedelta(hours=1)
    assert stored.refresh_lease_owner is None and stored.refresh_lease_until is None
    assert {row.access_token for row in rows} == {stored.access_token}


@pytest.mark.parametrize("strategy", list(STRATEGIES))
async def test_two_processes_sharing_the_database_refresh_once(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    store_transport: httpx.AsyncBaseTransport, strategy: str,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    async with httpx.AsyncClient(transport=store_transport) as one, \
            httpx.AsyncClient(transport=store_transport) as two:
        # Separate clients: separate in-process locks, only the database in common.
        first = admin_client(one, settings, store_clock, strategy)
        second = admin_client(two, settings, store_clock, strategy)
        rows = [await Shop.get(pk=shop.pk) for _ in range(20)]
        results = await asyncio.gather(*(
            (first if i % 2 else second).query(row, "ShopInfo") for i, row in enumerate(rows)
        ))
    assert store.refresh_count[DEMO_SHOP] == 1
    assert len(results) == 20


@pytest.mark.parametrize(
    ("expires_in", "refreshes"),
    [
        (timedelta(minutes=30), 0),
        (timedelta(minutes=6), 0),
        (timedelta(minutes=4), 1),  # inside the 5 minute margin: refreshed before use
        (timedelta(seconds=1), 1),
        (-timedelta(hours=1), 1),
    ],
)
async def test_a_token_is_refreshed_shortly_before_it_expires(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient, expires_in: timedelta, refreshes: int,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=expires_in)
    admin = admin_client(http, settings, store_clock)
    data = await admin.query(shop, "ShopInfo")
    assert data["shop"]["name"] == DEMO_SHOP_NAME
    assert store.refresh_count.get(DEMO_SHOP, 0) == refreshes


async def test_a_non_expiring_token_is_never_refreshed(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient,
) -> None:
    shop = await register_shop(store, DEMO_SHOP)
    admin = admin_client(http, settings, store_clock)
    store_clock.advance(timedelta(days=400))
    assert (await admin.query(shop, "ShopInfo"))["shop"]["name"] == DEMO_SHOP_NAME
    assert store.refresh_count.get(DEMO_SHOP, 0) == 0


async def test_an_expired_refresh_token_asks_for_a_reinstall_without_calling_shopify(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    await Shop.filter(pk=shop.pk).update(refresh_token_expires_at=store_clock())
    admin = admin_client(http, settings, store_clock)
    with pytest.raises(ShopifyAuthFailed) as caught:
        await admin.query(await Shop.get(pk=shop.pk), "ShopInfo")
    assert "reinstall" in caught.value.detail
    assert store.refresh_count.get(DEMO_SHOP, 0) == 0


async def test_a_refused_refresh_token_fails_cleanly_without_leaking_it(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    await Shop.filter(pk=shop.pk).update(refresh_token="shprt_spent_or_forged")
    admin = admin_client(http, settings, store_clock, "lease")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ShopifyAuthFailed) as caught:
        await admin.query(await Shop.get(pk=shop.pk), "ShopInfo")
    assert caught.value.status == 503 and caught.value.code == "shop_credentials_invalid"
    # Database drivers' DEBUG lines echo query parameters (this test's own UPDATE above, whose
    # completion aiosqlite's thread may log late): everything else must not carry the token.
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("aiosqlite", "tortoise"))
    )
    assert "shprt_spent_or_forged" not in str(caught.value) + logged
    stored = await Shop.get(pk=shop.pk)
    assert stored.refresh_lease_owner is None  # the lease is released after a failure


async def test_a_waiter_uses_the_token_another_process_refreshed(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    fresh = store.issue_tokens(DEMO_SHOP)  # what the other process got from its refresh
    await Shop.filter(pk=shop.pk).update(refresh_lease_owner="other-process",
                                         refresh_lease_until=store_clock() + LEASE_DURATION)
    polls: list[float] = []

    async def other_process_finishes(seconds: float) -> None:
        polls.append(seconds)
        await Shop.filter(pk=shop.pk).update(
            access_token=fresh.access_token, access_token_expires_at=store_clock() + timedelta(
                hours=1), refresh_token=fresh.refresh_token, refresh_lease_owner=None,
            refresh_lease_until=None)

    credentials = Credentials(http, settings, clock=store_clock, sleep=other_process_finishes,
                              row_lock=False)
    token = await credentials.access_token(await Shop.get(pk=shop.pk))

    assert token == fresh.access_token
    assert len(polls) == 1
    assert store.refresh_count.get(DEMO_SHOP, 0) == 0


async def test_a_lapsed_lease_of_a_crashed_process_is_taken_over(
    database: str, settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    http: httpx.AsyncClient,
) -> None:
    shop = await expiring_shop(store, store_clock, expires_in=-timedelta(minutes=1))
    await Shop.filter(pk=shop.pk).update(refresh_lease_owner="crashed",
                                         refresh_lease_until=store_clock() - timedelta(seconds=1))
    credentials = Credentials(http, settings, clock=store_clock, sleep=instant, row_lock=False)
    await credentials.access_token(await Shop.get(pk=shop.pk))
    assert store.refresh_count[DEMO_SHOP] == 1
    assert (await Shop.get(pk=shop.pk)).refresh_lease_owner is None


@pytest.mark.parametrize(
    ("token", "expires_in", "fresh"),
    [
        ("t", None, True),
        ("t", timedelta(minutes=5, seconds=1), True),
        ("t", timedelta(minutes=5), False),
        ("t", -timedelta(seconds=1), False),
        (None, None, False),
        ("", timedelta(hours=1), False),
    ],
)
def test_freshness_keeps_a_five_minute_margin(
    token: str | None, expires_in: timedelta | None, fresh: bool
) -> None:
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    shop = Shop(domain=DEMO_SHOP, access_token=token,
                access_token_expires_at=None if expires_in is None else now + expires_in)
    assert is_fresh(shop, now) is fresh
