from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify import oauth
from shopify_app.shopify.errors import ShopifyAuthFailed, ShopifyUnavailable

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_the_authorize_url_asks_for_an_offline_token() -> None:
    settings = Settings(api_key="client id&x", api_secret="s", admin_origin="https://{shop}")
    url = oauth.authorize_url(settings, DEMO_SHOP, scopes="read_orders,write_app_proxy",
                              redirect_uri="https://app.example.com/auth/callback", state="n1")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", DEMO_SHOP)
    assert parts.path == "/admin/oauth/authorize"
    assert parse_qsl(parts.query) == [
        ("client_id", "client id&x"), ("scope", "read_orders,write_app_proxy"),
        ("redirect_uri", "https://app.example.com/auth/callback"), ("state", "n1"),
    ]


@pytest.mark.parametrize(
    ("body", "expires_at", "refresh_expires_at"),
    [
        ({"access_token": "shpat_SECRET", "scope": "s", "expires_in": 3600,
          "refresh_token": "shprt_SECRET", "refresh_token_expires_in": 7776000},
         NOW + timedelta(hours=1), NOW + timedelta(days=90)),
        ({"access_token": "shpat_SECRET", "scope": "s"}, None, None),
    ],
    ids=["expiring", "non-expiring"],
)
def test_a_grant_turns_lifetimes_into_instants(
    body: dict[str, object], expires_at: datetime | None, refresh_expires_at: datetime | None
) -> None:
    grant = oauth.parse_grant(body, NOW)
    assert (grant.expires_at, grant.refresh_token_expires_at) == (expires_at, refresh_expires_at)
    assert "SECRET" not in repr(grant)  # tokens never reach a log through a repr


async def test_the_refresh_grant_rotates_the_refresh_token(
    settings: Settings, store: SimulatedStore, store_clock: ManualClock,
    store_transport: httpx.AsyncBaseTransport,
) -> None:
    issued = store.issue_tokens(DEMO_SHOP)
    async with httpx.AsyncClient(transport=store_transport) as http:
        grant = await oauth.refresh_grant(http, settings, DEMO_SHOP, str(issued.refresh_token),
                                          now=store_clock())
        assert grant.refresh_token and grant.refresh_token != issued.refresh_token
        assert grant.expires_at == store_clock() + timedelta(hours=1)
        with pytest.raises(ShopifyAuthFailed):  # the old one is spent
            await oauth.refresh_grant(http, settings, DEMO_SHOP, str(issued.refresh_token),
                                      now=store_clock())
    assert store.refresh_count[DEMO_SHOP] == 1


async def test_an_unreachable_token_endpoint_is_unavailable(settings: Settings) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(ShopifyUnavailable):
            await oauth.exchange_code(http, settings, DEMO_SHOP, "code", now=NOW)
