from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from shopify_app.commands.tokens import inspect_token
from shopify_app.links import tokens
from shopify_app.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = bytes(range(32))
ENCODED = base64.urlsafe_b64encode(KEY).rstrip(b"=").decode()
SETTINGS = Settings(api_secret="app-secret", portal_token_keys=f"k1:{ENCODED}")


def token(settings: Settings = SETTINGS) -> str:
    keyring = tokens.keyring_from_settings(settings)
    return tokens.issue(keyring, shop="a.myshopify.com", customer_id=42, now=NOW,
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


@pytest.mark.parametrize(
    "settings",
    [SETTINGS, Settings(api_secret="app-secret"),
     Settings(api_secret="app-secret", portal_token_keys=f"k2:{'A' * 43},k1:{ENCODED}")],
    ids=["configured", "derived", "rotated"],
)
def test_no_key_material_in_any_output(
    capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    """Whichever key sealed it (configured, HKDF-derived, an older one of a rotation), the
    output names the kid only: neither the key in any encoding nor the app secret."""
    # In the rotation, k1 (now the older key) sealed the token and k2 is current.
    sealed = token(SETTINGS if "k2:" in settings.portal_token_keys else settings)
    assert inspect_token(settings, sealed, now=NOW) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    derived = tokens.derive_key("app-secret")
    for key in (KEY, derived):
        for form in (key.hex(), base64.urlsafe_b64encode(key).rstrip(b"=").decode(),
                     base64.b64encode(key).rstrip(b"=").decode()):
            assert form not in out
    assert "app-secret" not in out and "A" * 43 not in out
    assert "status: valid" in out
