"""Client secret rotation: with SHOPIFY_API_SECRET_OLD set, what Shopify signed with the old
secret (webhooks, app proxy, OAuth, session tokens) and the links and sessions sealed under keys
derived from it still work; new ones use the current secret."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest

from shopify_app.admin.guard import InvalidSessionToken, verify_session_token
from shopify_app.app import create_app
from shopify_app.install.flow import InvalidHmac, verified_shop
from shopify_app.links import tokens
from shopify_app.links.keyring import keyring_from_settings
from shopify_app.portal.entry.guard import verify_proxy
from shopify_app.settings import Settings
from shopify_app.shopify import signatures
from shopify_app.storage.models import Shop
from tests.admin.conftest import session_token
from tests.conftest import TEST_API_KEY

OLD, NEW = "old-secret-value", "new-secret-value"
SHOP = "demo-shop.myshopify.com"
NOW = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)


def rotating(settings: Settings) -> Settings:
    return settings.with_changes(api_secret=NEW, api_secret_old=OLD)


def test_the_old_secret_is_read_and_never_shown() -> None:
    settings = Settings.from_env({"SHOPIFY_API_KEY": "k", "SHOPIFY_API_SECRET": NEW,
                                  "SHOPIFY_API_SECRET_OLD": OLD}, env_file=None)
    assert settings.secrets == (NEW, OLD)
    assert OLD not in repr(settings)
    assert Settings.from_env({"SHOPIFY_API_SECRET": NEW}, env_file=None).secrets == (NEW,)


@pytest.mark.parametrize(("old_configured", "status"), [(True, 200), (False, 401)])
async def test_a_webhook_signed_with_the_old_secret(
    database: str, settings: Settings, old_configured: bool, status: int
) -> None:
    app_settings = rotating(settings) if old_configured else settings.with_changes(
        api_secret=NEW)
    app = create_app(app_settings, manage_database=False, clock=lambda: NOW)
    await Shop.create(domain=SHOP, installed_at=NOW, access_token="t")
    body = json.dumps({"id": 1, "domain": SHOP}).encode()
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.test"
    ) as client:
        response = await client.post("/webhooks", content=body, headers={
            "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Webhook-Id": "w", "X-Shopify-Triggered-At": NOW.isoformat(),
            "X-Shopify-Hmac-Sha256": signatures.sign_webhook(body, OLD)})
    assert response.status_code == status


async def test_an_app_proxy_request_signed_with_the_old_secret(database: str) -> None:
    await Shop.create(domain=SHOP, installed_at=NOW, access_token="t")
    now = int(time.time())
    pairs = [("shop", SHOP), ("logged_in_customer_id", "7"), ("timestamp", str(now))]
    query = urlencode([*pairs, ("signature", signatures.sign_proxy_query(pairs, OLD))])
    moment = datetime.fromtimestamp(now, tz=UTC)
    context = await verify_proxy(query, (NEW, OLD), moment)
    assert context.logged_in_customer_id == 7
    with pytest.raises(Exception, match="store"):
        await verify_proxy(query, (NEW,), moment)


def test_an_oauth_request_signed_with_the_old_secret(settings: Settings) -> None:
    now = int(NOW.timestamp())
    pairs = [("shop", SHOP), ("timestamp", str(now)), ("code", "abc")]
    query = urlencode([*pairs, ("hmac", signatures.sign_oauth_query(pairs, OLD))])
    assert verified_shop(rotating(settings), query, NOW) == SHOP
    with pytest.raises(InvalidHmac):
        verified_shop(settings.with_changes(api_secret=NEW), query, NOW)


def test_a_session_token_signed_with_the_old_secret() -> None:
    token = session_token(NOW, secret=OLD)
    claims = verify_session_token(token, client_id=TEST_API_KEY, secret=(NEW, OLD), now=NOW)
    assert claims.shop == SHOP
    with pytest.raises(InvalidSessionToken):
        verify_session_token(token, client_id=TEST_API_KEY, secret=NEW, now=NOW)


def test_links_sealed_under_the_old_secret_still_open(settings: Settings) -> None:
    before = keyring_from_settings(settings.with_changes(api_secret=OLD))
    during = keyring_from_settings(rotating(settings))
    old_link = tokens.issue(before, shop=SHOP, customer_id=7, now=NOW, ttl=timedelta(hours=1))
    assert tokens.verify(during, old_link.token, now=NOW).customer_id == 7
    new_link = tokens.issue(during, shop=SHOP, customer_id=8, now=NOW, ttl=timedelta(hours=1))
    after = keyring_from_settings(settings.with_changes(api_secret=NEW))
    assert tokens.verify(after, new_link.token, now=NOW).customer_id == 8  # sealed with NEW
    with pytest.raises(tokens.InvalidToken):
        tokens.verify(after, old_link.token, now=NOW)
