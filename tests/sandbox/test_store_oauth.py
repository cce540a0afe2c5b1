"""The simulated store's token endpoint: codes, expiring tokens, rotating refresh tokens."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx

from shopify_app.sandbox import demo
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.shopify.signatures import verify_oauth_query
from tests.support.store import TEST_CLIENT_ID, TEST_CLIENT_SECRET

TOKEN_URL = f"/shops/{demo.DEMO_SHOP}/admin/oauth/access_token"
CLIENT = {"client_id": TEST_CLIENT_ID, "client_secret": TEST_CLIENT_SECRET}


async def shop_name(client: httpx.AsyncClient, token: str) -> int:
    response = await client.post(
        f"/shops/{demo.DEMO_SHOP}/admin/api/2026-01/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": token},
    )
    return response.status_code


async def test_authorize_redirects_back_with_a_signed_code(
    store_client: httpx.AsyncClient,
) -> None:
    response = await store_client.get(
        f"/shops/{demo.DEMO_SHOP}/admin/oauth/authorize",
        params={
            "client_id": TEST_CLIENT_ID,
            "redirect_uri": "https://app.example.test/auth/callback",
            "state": "nonce-1",
        },
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert location.path == "/auth/callback"
    assert verify_oauth_query(location.query, TEST_CLIENT_SECRET)
    params = dict(parse_qsl(location.query))
    assert (params["shop"], params["state"]) == (demo.DEMO_SHOP, "nonce-1")

    granted = await store_client.post(
        TOKEN_URL, json={**CLIENT, "code": params["code"], "expiring": "1"}
    )
    body = granted.json()
    assert body["expires_in"] == 3600
    assert body["refresh_token_expires_in"] == 90 * 24 * 3600
    assert await shop_name(store_client, body["access_token"]) == 200
    # The install replaced the shop's earlier token; a code is spent once.
    assert await shop_name(store_client, demo.DEMO_ACCESS_TOKEN) == 401
    again = await store_client.post(TOKEN_URL, json={**CLIENT, "code": params["code"]})
    assert again.status_code == 400


async def test_non_expiring_grant_has_no_refresh_token(
    store_client: httpx.AsyncClient, store: SimulatedStore
) -> None:
    code = store.tokens.new_code(demo.DEMO_SHOP)
    body = (await store_client.post(TOKEN_URL, data={**CLIENT, "code": code})).json()
    assert set(body) == {"access_token", "scope"}


async def test_wrong_client_secret_is_refused(
    store_client: httpx.AsyncClient, store: SimulatedStore
) -> None:
    code = store.tokens.new_code(demo.DEMO_SHOP)
    response = await store_client.post(
        TOKEN_URL, json={"client_id": TEST_CLIENT_ID, "client_secret": "nope", "code": code}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


async def test_refresh_rotates_and_spent_tokens_are_refused(
    store_client: httpx.AsyncClient, store: SimulatedStore, store_clock: ManualClock
) -> None:
    issued = store.issue_tokens(demo.DEMO_SHOP)
    store_clock.advance(timedelta(hours=1))
    assert await shop_name(store_client, issued.access_token) == 401  # expired

    refresh = {**CLIENT, "grant_type": "refresh_token", "refresh_token": issued.refresh_token}
    first = await store_client.post(TOKEN_URL, json=refresh)
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != issued.refresh_token
    assert await shop_name(store_client, rotated["access_token"]) == 200
    assert store.refresh_count == {demo.DEMO_SHOP: 1}

    replay = await store_client.post(TOKEN_URL, json=refresh)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert store.refresh_count == {demo.DEMO_SHOP: 1}


async def test_expired_refresh_token_is_refused(
    store_client: httpx.AsyncClient, store: SimulatedStore, store_clock: ManualClock
) -> None:
    issued = store.issue_tokens(demo.DEMO_SHOP, refresh_ttl=timedelta(days=1))
    store_clock.advance(timedelta(days=2))
    response = await store_client.post(
        TOKEN_URL,
        json={**CLIENT, "grant_type": "refresh_token", "refresh_token": issued.refresh_token},
    )
    assert response.status_code == 400


async def test_refresh_token_of_another_shop_is_refused(
    store_client: httpx.AsyncClient, store: SimulatedStore
) -> None:
    issued = store.issue_tokens(demo.OTHER_SHOP)
    response = await store_client.post(
        TOKEN_URL,
        json={**CLIENT, "grant_type": "refresh_token", "refresh_token": issued.refresh_token},
    )
    assert response.status_code == 400
