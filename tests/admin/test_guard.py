"""Who may call the admin API: App Bridge's session token of an installed shop, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shopify_app.admin.guard import InvalidSessionToken, verify_session_token
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.storage.models import Shop
from tests.admin.conftest import Admin, session_token
from tests.conftest import TEST_API_KEY, TEST_SECRET

NOW = datetime(2026, 5, 4, 10, 0, 0, tzinfo=UTC)


def test_a_valid_token_names_the_shop_and_user() -> None:
    claims = verify_session_token(session_token(NOW), client_id=TEST_API_KEY, secret=TEST_SECRET,
                                  now=NOW)
    assert (claims.shop, claims.user_id, claims.session_id) == (DEMO_SHOP, "42", "session-1")


def _shifted(seconds: int) -> dict[str, Any]:
    moment = int(NOW.timestamp())
    return {"nbf": moment + seconds, "iat": moment + seconds, "exp": moment + seconds + 60}


BAD_TOKENS: dict[str, str] = {
    "forged": session_token(NOW, secret="not-the-app-secret"),
    "expired": session_token(NOW, **_shifted(-71)),
    "not-yet-valid": session_token(NOW, **_shifted(11)),
    "wrong-audience": session_token(NOW, aud="another-app"),
    "no-audience": session_token(NOW, aud=None),
    "no-exp": session_token(NOW, exp=None),
    "no-nbf": session_token(NOW, nbf=None),
    "string-exp": session_token(NOW, exp="9999999999"),
    "no-dest": session_token(NOW, dest=None),
    "dest-not-myshopify": session_token(NOW, dest="https://evil.example"),
    "dest-http": session_token(NOW, dest=f"http://{DEMO_SHOP}"),
    "dest-with-path": session_token(NOW, dest=f"https://{DEMO_SHOP}/x"),
    "dest-with-port": session_token(NOW, dest=f"https://{DEMO_SHOP}:444"),
    "dest-suffix": session_token(NOW, dest=f"https://{DEMO_SHOP}.evil.com"),
    "iss-other-shop": session_token(NOW, iss="https://other.myshopify.com/admin"),
    "alg-none": "eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9.",
    "garbage": "not-a-jwt",
    "empty": "",
    "huge": "a" * 5000,
}


@pytest.mark.parametrize("token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_bad_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidSessionToken):
        verify_session_token(token, client_id=TEST_API_KEY, secret=TEST_SECRET, now=NOW)


@pytest.mark.parametrize("seconds", [-69, 9], ids=["just-before-expiry", "nbf-within-leeway"])
def test_the_leeway_accepts_small_clock_skew(seconds: int) -> None:
    token = session_token(NOW, **_shifted(seconds))
    verify_session_token(token, client_id=TEST_API_KEY, secret=TEST_SECRET, now=NOW)


HEADERS: dict[str, tuple[dict[str, str], str]] = {
    "none": ({}, "missing_session_token"),
    "empty": ({"Authorization": ""}, "missing_session_token"),
    "basic": ({"Authorization": "Basic dXNlcjpwdw=="}, "invalid_session_token"),
    "bearer-garbage": ({"Authorization": "Bearer abc.def.ghi"}, "invalid_session_token"),
}


@pytest.mark.parametrize(("headers", "code"), HEADERS.values(), ids=HEADERS.keys())
async def test_requests_without_a_valid_token_are_401_problems(
    admin: Admin, headers: dict[str, str], code: str
) -> None:
    for method, path in [("GET", "settings"), ("PUT", "settings"), ("GET", "api-keys"),
                         ("POST", "api-keys"), ("DELETE", "api-keys/1"), ("GET", "stats"),
                         ("GET", "cancellations")]:
        response = await admin.request(method, path, headers=headers, json={})
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert response.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"


async def test_an_expired_token_is_refused_over_http(admin: Admin) -> None:
    token = session_token(admin.now - timedelta(minutes=2))
    response = await admin.request("GET", "settings", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_session_token"


async def test_a_token_for_an_unknown_shop_is_403(admin: Admin) -> None:
    response = await admin.request(
        "GET", "settings", headers=admin.auth(dest="https://nobody.myshopify.com",
                                              iss="https://nobody.myshopify.com/admin"))
    assert response.status_code == 403
    assert response.json()["code"] == "shop_not_installed"


async def test_a_token_for_an_uninstalled_shop_is_403(admin: Admin) -> None:
    await Shop.filter(id=admin.shop.id).update(uninstalled_at=admin.now)
    response = await admin.request("GET", "settings")
    assert response.status_code == 403
    assert response.json()["code"] == "shop_not_installed"


async def test_a_valid_token_of_an_installed_shop_is_accepted(admin: Admin) -> None:
    response = await admin.request("GET", "settings")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
