"""The simulated store's token-exchange grant: App Bridge's session token for an offline token."""

from __future__ import annotations

import uuid
import warnings
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from shopify_app.sandbox import demo
from shopify_app.sandbox.clock import ManualClock
from shopify_app.sandbox.oauth import ID_TOKEN, OFFLINE_TOKEN, ONLINE_TOKEN, TOKEN_EXCHANGE
from shopify_app.sandbox.store import SimulatedStore
from tests.support.store import TEST_CLIENT_ID, TEST_CLIENT_SECRET

TOKEN_URL = f"/shops/{demo.DEMO_SHOP}/admin/oauth/access_token"


def id_token(clock: ManualClock, *, secret: str = TEST_CLIENT_SECRET, **changes: Any) -> str:
    moment = int(clock().timestamp())
    claims: dict[str, Any] = {
        "iss": f"https://{demo.DEMO_SHOP}/admin", "dest": f"https://{demo.DEMO_SHOP}",
        "aud": TEST_CLIENT_ID, "sub": "1", "exp": moment + 60, "nbf": moment, "iat": moment,
        "jti": str(uuid.uuid4()), "sid": "s",
    }
    claims.update(changes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, secret, algorithm="HS256")


def exchange_form(token: str, **changes: str) -> dict[str, str]:
    form = {
        "client_id": TEST_CLIENT_ID, "client_secret": TEST_CLIENT_SECRET,
        "grant_type": TOKEN_EXCHANGE, "subject_token": token,
        "subject_token_type": ID_TOKEN, "requested_token_type": OFFLINE_TOKEN, "expiring": "1",
    }
    form.update(changes)
    return form


async def test_a_session_token_becomes_an_expiring_offline_token(
    store_client: httpx.AsyncClient, store: SimulatedStore, store_clock: ManualClock
) -> None:
    response = await store_client.post(TOKEN_URL, data=exchange_form(id_token(store_clock)))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expires_in"] == 3600 and body["refresh_token"].startswith("shprt_")
    assert store.tokens.shop_of(body["access_token"]) == demo.DEMO_SHOP
    # Not a reinstall: the shop's earlier token still works.
    assert store.tokens.shop_of(demo.DEMO_ACCESS_TOKEN) == demo.DEMO_SHOP
    assert store.tokens.exchange_count[demo.DEMO_SHOP] == 1
    # Without `expiring`, the legacy non-expiring offline token.
    legacy = await store_client.post(
        TOKEN_URL, data=exchange_form(id_token(store_clock), expiring="0"))
    assert "expires_in" not in legacy.json()


@pytest.mark.parametrize(
    ("token_changes", "form_changes", "error"),
    [
        ({"exp": -1}, {}, "invalid_subject_token"),  # long expired (exp relative below)
        ({"aud": "another-app"}, {}, "invalid_subject_token"),
        ({"dest": f"https://{demo.OTHER_SHOP}"}, {}, "invalid_subject_token"),
        ({"secret": "not-the-secret"}, {}, "invalid_subject_token"),
        ({}, {"subject_token_type": "urn:ietf:params:oauth:token-type:jwt"}, "invalid_request"),
        ({}, {"requested_token_type": ONLINE_TOKEN}, "invalid_request"),
        ({}, {"subject_token": ""}, "missing_subject_token"),
        ({}, {"client_secret": "wrong"}, "invalid_client"),
    ],
)
async def test_refusals(
    store_client: httpx.AsyncClient, store: SimulatedStore, store_clock: ManualClock,
    token_changes: dict[str, Any], form_changes: dict[str, str], error: str,
) -> None:
    changes = dict(token_changes)
    if changes.get("exp") == -1:
        changes["exp"] = int((store_clock() - timedelta(seconds=11)).timestamp())
    token = id_token(store_clock, **changes)
    response = await store_client.post(TOKEN_URL, data=exchange_form(token, **form_changes))
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert store.tokens.exchange_count[demo.DEMO_SHOP] == 0


async def test_alg_none_is_refused(
    store_client: httpx.AsyncClient, store_clock: ManualClock
) -> None:
    valid = id_token(store_clock)
    header, payload, _ = valid.split(".")
    unsigned = jwt.encode(jwt.decode(valid, options={"verify_signature": False}), None,
                          algorithm="none")
    for token in (unsigned, f"{header}.{payload}."):
        response = await store_client.post(TOKEN_URL, data=exchange_form(token))
        assert response.json()["error"] == "invalid_subject_token"
