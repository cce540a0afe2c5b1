from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

from shopify_app.shopify import signatures

PROXY_EXAMPLE = (
    "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1"
    "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555"
)
PROXY_SIGNATURE = "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb"


def test_proxy_official_vector() -> None:
    pairs = signatures.parse_query(PROXY_EXAMPLE)
    assert signatures.proxy_message(pairs) == (
        "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviews"
        "shop=shop-name.myshopify.comtimestamp=1317327555"
    )
    assert signatures.sign_proxy_query(pairs, "hush") == PROXY_SIGNATURE
    query = f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}"
    assert signatures.verify_proxy_query(query, "hush", now=1317327555 + 10)


@pytest.mark.parametrize(
    ("query", "now"),
    [
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}", 1317327555 + 91),  # stale
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}", 1317327555 - 91),  # from the future
        (f"{PROXY_EXAMPLE}&signature={'0' * 64}", 1317327555),  # forged
        (PROXY_EXAMPLE, 1317327555),  # missing
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}&extra=3", 1317327555),  # tampered
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}&shop=evil.myshopify.com", 1317327555),
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}&timestamp=1317327555", 1317327555),
        (f"{PROXY_EXAMPLE}&signature={PROXY_SIGNATURE}&signature=x", 1317327555),
    ],
)
def test_proxy_rejections(query: str, now: float) -> None:
    assert not signatures.verify_proxy_query(query, "hush", now=now)


@pytest.mark.parametrize(
    "timestamp", ["1" * 5000, "%D9%A1%D9%A2", "-1", "1e9", "", "1317327555.0"]
)
def test_unusable_proxy_timestamps_are_refused_not_crashing(timestamp: str) -> None:
    query = f"shop=shop-name.myshopify.com&timestamp={timestamp}&signature={PROXY_SIGNATURE}"
    assert not signatures.verify_proxy_query(query, "hush", now=1317327555)


def test_proxy_blank_values_are_signed() -> None:
    pairs = [("shop", "a.myshopify.com"), ("logged_in_customer_id", ""), ("timestamp", "100")]
    signature = signatures.sign_proxy_query(pairs, "s")
    query = f"shop=a.myshopify.com&logged_in_customer_id=&timestamp=100&signature={signature}"
    assert signatures.verify_proxy_query(query, "s", now=100)
    assert not signatures.verify_proxy_query(query.replace("id=&", "id=1&"), "s", now=100)


OAUTH_EXAMPLE = (
    "code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com"
    "&state=0.6784241404160823&timestamp=1337178173"
)
OAUTH_HMAC = "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"


def test_oauth_official_vector() -> None:
    assert signatures.sign_oauth_query(signatures.parse_query(OAUTH_EXAMPLE), "hush") == OAUTH_HMAC
    assert signatures.verify_oauth_query(f"{OAUTH_EXAMPLE}&hmac={OAUTH_HMAC}", "hush")


@pytest.mark.parametrize(
    "query",
    [
        OAUTH_EXAMPLE,
        f"{OAUTH_EXAMPLE}&hmac={'0' * 64}",
        f"{OAUTH_EXAMPLE}&hmac={OAUTH_HMAC}&shop=evil.myshopify.com",
        f"{OAUTH_EXAMPLE.replace('some-shop', 'other-shop')}&hmac={OAUTH_HMAC}",
    ],
)
def test_oauth_rejections(query: str) -> None:
    assert not signatures.verify_oauth_query(query, "hush")


def test_webhook_official_vector() -> None:
    body = b'{"foo": "bar"}'
    expected = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
    assert signatures.sign_webhook(body, "test_secret_key") == expected
    assert signatures.verify_webhook(body, expected, "test_secret_key")
    assert not signatures.verify_webhook(body + b" ", expected, "test_secret_key")
    assert not signatures.verify_webhook(body, None, "test_secret_key")
    assert not signatures.verify_webhook(body, "", "test_secret_key")


@pytest.mark.parametrize("forged", ["\u00e9" * 64, "\U0001f600", "0" * 64 + "\u00e9"])
def test_non_ascii_signatures_are_refused_not_crashing(forged: str) -> None:
    # hmac.compare_digest raises TypeError on non-ASCII str: it must never see one.
    proxy = f"{PROXY_EXAMPLE}&signature={quote(forged)}"
    assert not signatures.verify_proxy_query(proxy, "hush", now=1317327555)
    assert not signatures.verify_oauth_query(f"{OAUTH_EXAMPLE}&hmac={quote(forged)}", "hush")
    assert not signatures.verify_webhook(b"{}", forged, "hush")


@pytest.mark.parametrize("name", ["logged_in_customer_id", "path_prefix"])
def test_a_repeated_identity_parameter_is_refused(name: str) -> None:
    """A second copy would be joined into the signed message but read alone by the app."""
    now = 1_700_000_000
    pairs = [("shop", "a.myshopify.com"), (name, "1"), (name, "2"), ("timestamp", str(now))]
    query = urlencode([*pairs, ("signature", signatures.sign_proxy_query(pairs, "s"))])
    assert not signatures.verify_proxy_query(query, "s", now)
