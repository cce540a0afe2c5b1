"""The redemption audit records the peer unless a configured proxy forwarded the request."""

from __future__ import annotations

import httpx

from shopify_app.app import create_app
from shopify_app.links.tokens import Keyring
from shopify_app.portal.entry.redemption import client_hash
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.settings import Settings
from shopify_app.storage.models import PortalRedemption, Shop
from tests.conftest import TEST_SECRET
from tests.portal.conftest import CountingTransport, enter
from tests.portal.proxy_client import ProxyClient


async def redeem_from(peer: str, settings: Settings, admin_calls: CountingTransport,
                      keyring: Keyring) -> str:
    app = create_app(settings, manage_database=False, http_transport=admin_calls)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(peer, 5000))
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            visitor = ProxyClient(http, DEMO_SHOP, headers={"x-forwarded-for": "198.51.100.23"})
            await enter(visitor, keyring, ALICE_ID)
    row = await PortalRedemption.filter(customer_id=ALICE_ID).order_by("-id").first()
    assert row is not None
    return row.client_hash


async def test_forwarded_for_from_a_stranger_is_ignored(
    portal_settings: Settings, admin_calls: CountingTransport, keyring: Keyring, shop: Shop
) -> None:
    recorded = await redeem_from("203.0.113.7", portal_settings, admin_calls, keyring)
    assert recorded == client_hash(TEST_SECRET, "203.0.113.7")


async def test_forwarded_for_from_a_configured_proxy_is_believed(
    portal_settings: Settings, admin_calls: CountingTransport, keyring: Keyring, shop: Shop
) -> None:
    proxied = portal_settings.with_changes(forwarded_allow_ips="10.0.0.0/8")
    recorded = await redeem_from("10.1.2.3", proxied, admin_calls, keyring)
    assert recorded == client_hash(TEST_SECRET, "198.51.100.23")
