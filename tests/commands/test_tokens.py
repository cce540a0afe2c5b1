from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from shopify_app import portal_tokens
from shopify_app.commands.tokens import inspect_token
from shopify_app.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = bytes(range(32))
ENCODED = base64.urlsafe_b64encode(KEY).rstrip(b"=").decode()
SETTINGS = Settings(api_secret="app-secret", portal_token_keys=f"k1:{ENCODED}")


def token(settings: Settings = SETTINGS) -> str:
    keyring = portal_tokens.keyring_from_settings(settings)
    return portal_tokens.issue(keyring, shop="a.myshopify.com", customer_id=42, now=NOW,
                               ttl=timedelta(minutes=10), source="klaviyo").token


def test_prints_claims_and_status_but_no_key_material(capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_token(SETTINGS, token(), now=NOW) == 0
    out = capsys.readouterr().out
    assert "kid: k1" in out and 'shop: "a.myshopify.com"' in out and 'sub: "42"' in out
    assert "status: valid" in out
    assert ENCODED not in out and KEY.hex() not in out and "app-secret" not in out


@pytest.mark.parametrize(
    ("settings", "value", "now", "expected"),
    [
        (SETTINGS, "garbage", NOW, "invalid"),
        (Settings(api_secret="other"), None, NOW, "invalid"),
        (SETTINGS, None, NOW + timedelta(hours=1), "token_expired"),
    ],
    ids=["garbage", "other-key", "expired"],
)
def test_unusable_tokens_exit_1(
    capsys: pytest.CaptureFixture[str],
    settings: Settings, value: str | None, now: datetime, expected: str,
) -> None:
    assert inspect_token(settings, value or token(), now=now) == 1
    captured = capsys.readouterr()
    assert expected in captured.out + captured.err
