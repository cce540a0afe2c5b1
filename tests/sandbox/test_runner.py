"""The sandbox runner: real uvicorn servers on free loopback ports, in this process."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from shopify_app.keys import api_keys
from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import (
    CUSTOMERS_PATH,
    SANDBOX_CLIENT_ID,
    SandboxHandle,
    banner,
    sandbox_secret,
    start_sandbox,
)
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop

PORTAL = "/tools/recurring/customer_portal"


def three_free_ports() -> int:
    """A port p with p, p + 1 and p + 2 free right now."""
    for _ in range(50):
        with ExitStack() as stack:
            first = stack.enter_context(socket.socket())
            first.bind(("127.0.0.1", 0))
            port: int = first.getsockname()[1]
            try:
                for offset in (1, 2):
                    other = stack.enter_context(socket.socket())
                    other.bind(("127.0.0.1", port + offset))
            except OSError:
                continue
            return port
    raise RuntimeError("no three consecutive free ports")


@pytest.fixture
async def sandbox(database_url: str, tmp_path: Path) -> AsyncIterator[SandboxHandle]:
    settings = Settings(database_url=database_url)
    handle = await start_sandbox(settings, three_free_ports(), data_dir=tmp_path)
    try:
        yield handle
    finally:
        await handle.stop()


async def test_the_three_servers_answer(sandbox: SandboxHandle) -> None:
    async with httpx.AsyncClient(timeout=10.0) as client:
        assert (await client.get(f"{sandbox.app_url}/healthz")).status_code == 200
        graphql = await client.post(
            f"{sandbox.store_url}/shops/{demo.DEMO_SHOP}/admin/api/2026-01/graphql.json",
            json={"query": "{ shop { name } }"},
            headers={"X-Shopify-Access-Token": demo.DEMO_ACCESS_TOKEN},
        )
        assert graphql.json()["data"] == {"shop": {"name": demo.DEMO_SHOP_NAME}}
        home = await client.get(f"{sandbox.storefront_url}/")
        assert demo.DEMO_SHOP_NAME in home.text
        # Unsigned, the app refuses the visit; through the storefront, logged in as Alice,
        # the signed request reaches her portal.
        direct = await client.get(f"{sandbox.app_url}/proxy/customer_portal")
        assert direct.status_code == 401
        login = await client.post(
            f"{sandbox.storefront_url}/account/login",
            data={"customer_id": str(demo.ALICE_ID), "return_url": PORTAL},
            follow_redirects=True,
        )
        assert login.status_code == 200
        assert str(login.url) == f"{sandbox.storefront_url}{PORTAL}"
        assert "Hello Alice!" in login.text
        assert '<header class="theme-header">' in login.text  # liquid, rendered in the theme


async def test_settings_and_shops(sandbox: SandboxHandle) -> None:
    port = int(sandbox.app_url.rsplit(":", 1)[1])
    assert sandbox.settings.api_key == SANDBOX_CLIENT_ID
    assert sandbox.settings.admin_origin == f"http://127.0.0.1:{port + 1}/shops/{{shop}}"
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    assert shop.installed
    assert shop.primary_domain == f"127.0.0.1:{port + 2}"
    assert shop.access_token == demo.DEMO_ACCESS_TOKEN
    other = await Shop.get(domain=demo.OTHER_SHOP)
    assert other.primary_domain is None


async def test_banner_names_every_server(sandbox: SandboxHandle) -> None:
    text = await banner(sandbox)
    for url in (sandbox.app_url, sandbox.store_url, sandbox.storefront_url):
        assert url in text
    assert "curl -s -H 'X-API-Key: ssp_" in text
    assert f"{sandbox.app_url}{CUSTOMERS_PATH}" in text
    assert f"synced      {demo.DEMO_SHOP}: 5 contracts, 4 customers" in text
    # The embedded admin as Shopify frames it, served by the store's stand-in admin.
    admin = f"{sandbox.store_url}/shops/{demo.DEMO_SHOP}/admin/apps/{SANDBOX_CLIENT_ID}"
    assert f"  admin       {admin}" in text
    async with httpx.AsyncClient(timeout=10) as http:
        framed = await http.get(admin)
    assert framed.status_code == 200 and sandbox.app_url in framed.text


async def test_the_demo_customers_are_listed_right_after_start(sandbox: SandboxHandle) -> None:
    """`sync` ran at start: the listing answers from the mirror without any webhook."""
    assert [(p.shop, p.contracts, p.customers, p.done) for p in sandbox.synced] == [
        (demo.DEMO_SHOP, 5, 4, True),
        (demo.OTHER_SHOP, 2, 2, True),
    ]
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    _, raw_key = await api_keys.create_key(shop, "runner test")
    async with httpx.AsyncClient(timeout=10.0) as client:
        response = await client.get(
            f"{sandbox.app_url}{CUSTOMERS_PATH}", headers={"X-API-Key": raw_key}
        )
    assert response.status_code == 200, response.text
    listed = {item["customerId"]: item for item in response.json()}
    # Dave has no subscription; the other shop's customers stay in their shop.
    assert set(listed) == {demo.ALICE_ID, demo.BOB_ID, demo.CAROL_ID, demo.EVE_ID}
    alice = listed[demo.ALICE_ID]
    assert (alice["email"], alice["activeSubscriptions"]) == (demo.ALICE_EMAIL, 1)
    assert listed[demo.CAROL_ID]["activeSubscriptions"] == 0


def test_secret_is_random_once_then_kept(tmp_path: Path) -> None:
    first = sandbox_secret(tmp_path / "a")
    assert sandbox_secret(tmp_path / "a") == first
    assert sandbox_secret(tmp_path / "b") != first
    assert len(first) >= 40
    assert (tmp_path / "a" / "sandbox-secret").stat().st_mode & 0o077 == 0
