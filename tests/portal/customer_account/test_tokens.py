"""The session token table: every way a token can be wrong, against fixed times."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from shopify_app.errors import AppError
from shopify_app.portal.customer_account import tokens
from tests.conftest import TEST_API_KEY, TEST_SECRET
from tests.portal.customer_account.conftest import session_token

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
T = NOW.timestamp()
SHOP = "demo-shop.myshopify.com"


def _verify(token: str) -> tokens.CustomerClaims:
    return tokens.verify(token, client_id=TEST_API_KEY, secret=TEST_SECRET, now=NOW)


def _unsigned(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_a_valid_token_names_the_shop_and_customer() -> None:
    claims = _verify(session_token(7100000000001, now=T))
    assert claims == tokens.CustomerClaims("demo-shop.myshopify.com", 7100000000001)


@pytest.mark.parametrize(
    "token",
    [
        session_token(now=T - 300 - 9),  # expired 9 s ago: inside the 10 s leeway
        session_token(now=T + 9),  # `nbf` 9 s ahead
        session_token(now=T, dest="https://demo-shop.myshopify.com"),  # the admin's form
    ],
)
def test_accepted(token: str) -> None:
    assert _verify(token).customer_id == 7100000000001


UNSIGNED = {"dest": "demo-shop.myshopify.com", "aud": TEST_API_KEY, "exp": T + 60, "nbf": T,
            "sub": "gid://shopify/Customer/7100000000001"}


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("", "invalid_session_token"),
        ("not.a.jwt", "invalid_session_token"),
        ("x" * 5000, "invalid_session_token"),
        (session_token(now=T - 300 - 10), "invalid_session_token"),  # expired past the leeway
        (session_token(now=T + 11), "invalid_session_token"),  # not valid yet
        (session_token(now=T, aud="another-app"), "invalid_session_token"),
        (session_token(now=T, secret="not-the-app-secret"), "invalid_session_token"),
        (_unsigned(UNSIGNED), "invalid_session_token"),  # alg: none
        (session_token(now=T, algorithm="HS512"), "invalid_session_token"),
        (session_token(now=T, exp=None), "invalid_session_token"),
        (session_token(now=T, nbf=None), "invalid_session_token"),
        (session_token(now=T, dest=None), "invalid_session_token"),
        (session_token(now=T, exp="tomorrow"), "invalid_session_token"),
        (session_token(now=T, dest="evil.example.com"), "invalid_session_token"),
        (session_token(now=T, dest="demo-shop.myshopify.com.evil.com"), "invalid_session_token"),
        (session_token(now=T, dest=f"https://{SHOP}/admin"), "invalid_session_token"),
        (session_token(now=T, dest="http://demo-shop.myshopify.com"), "invalid_session_token"),
        (session_token(now=T, dest=["demo-shop.myshopify.com"]), "invalid_session_token"),
        (session_token(None, now=T), "customer_required"),  # nobody signed in
        (session_token(now=T, sub="gid://shopify/Shop/1"), "customer_required"),
        (session_token(now=T, sub="7100000000001"), "customer_required"),
        (session_token(now=T, sub="gid://shopify/Customer/0"), "customer_required"),
        (session_token(now=T, sub="gid://shopify/Customer/" + "9" * 40), "customer_required"),
    ],
)
def test_refused_with_a_stable_code(token: str, code: str) -> None:
    with pytest.raises(AppError) as refused:
        _verify(token)
    assert (refused.value.status, refused.value.code) == (401, code)
    assert TEST_SECRET not in str(refused.value.detail)
