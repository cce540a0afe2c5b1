"""X-Forwarded-For is believed only from configured proxies (default: loopback)."""

from __future__ import annotations

import pytest

from shopify_app.http.client_address import client_address, trusted_networks


def scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 5000), "headers": headers}


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", ["198.51.100.1"], "127.0.0.1,::1", "203.0.113.7"),  # not our proxy
        ("127.0.0.1", ["198.51.100.1"], "127.0.0.1,::1", "198.51.100.1"),
        ("127.0.0.1", [], "127.0.0.1,::1", "127.0.0.1"),
        ("::1", ["2001:db8::5"], "127.0.0.1,::1", "2001:db8::5"),
        # A client-forged first hop is skipped: the right-most address our proxy saw wins.
        ("10.0.0.2", ["1.2.3.4, 198.51.100.9"], "10.0.0.0/8", "198.51.100.9"),
        ("10.0.0.2", ["198.51.100.9, 10.0.0.7"], "10.0.0.0/8", "198.51.100.9"),
        ("10.0.0.2", ["garbage"], "10.0.0.0/8", "garbage"),
        ("203.0.113.7", ["198.51.100.1"], "*", "198.51.100.1"),
    ],
)
def test_forwarded_for_only_from_trusted_proxies(
    peer: str, forwarded: list[str], trusted: str, expected: str
) -> None:
    assert client_address(scope(peer, *forwarded), trusted) == expected


def test_a_bad_setting_is_named() -> None:
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS"):
        trusted_networks("10.0.0.0/8,not-an-ip")
