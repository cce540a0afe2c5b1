"""Shopify's three HMAC schemes, as pure functions. Each takes `now` so tests can pin time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from urllib.parse import parse_qsl

PROXY_TIMESTAMP_TOLERANCE_SECONDS = 90
# Shopify's Node library refuses these when repeated: a second copy could smuggle a value. The
# app reads the visitor's identity and the proxy path from the query too: a repeated one would be
# joined into the signed message (`a,b`) while the app reads a single copy, so they are refused.
_SINGLE_VALUED = frozenset({"shop", "signature", "timestamp", "hmac", "logged_in_customer_id",
                            "path_prefix"})


def _hex_hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _same(expected: str, given: str) -> bool:
    """Constant-time equality. On bytes: `compare_digest` raises TypeError for a str with
    non-ASCII characters, which would turn a forged `signature=é` into a 500."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def parse_query(query_string: str) -> list[tuple[str, str]]:
    """Pairs in order, blank values kept (Shopify signs them)."""
    return parse_qsl(query_string, keep_blank_values=True)


def _has_repeated_single_valued(pairs: Sequence[tuple[str, str]]) -> bool:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in _SINGLE_VALUED:
            if key in seen:
                return True
            seen.add(key)
    return False


def proxy_message(pairs: Sequence[tuple[str, str]]) -> str:
    """App proxy: repeated values joined with `,`, sorted by key, pairs concatenated with NO
    separator (unlike OAuth)."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        if key != "signature":
            grouped.setdefault(key, []).append(value)
    return "".join(f"{key}={','.join(grouped[key])}" for key in sorted(grouped))


def sign_proxy_query(pairs: Sequence[tuple[str, str]], secret: str) -> str:
    return _hex_hmac(secret, proxy_message(pairs))


def verify_proxy_query(query_string: str, secret: str, now: float) -> bool:
    """True when the app-proxy query carries a valid, fresh, unambiguous signature."""
    pairs = parse_query(query_string)
    if _has_repeated_single_valued(pairs):
        return False
    params = dict(pairs)
    signature = params.get("signature", "")
    timestamp = params.get("timestamp", "")
    # Checked before the HMAC, so bounded: int() of thousands of digits raises ValueError.
    if not signature or not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 16):
        return False
    if abs(now - int(timestamp)) > PROXY_TIMESTAMP_TOLERANCE_SECONDS:
        return False
    return _same(sign_proxy_query(pairs, secret), signature)


def oauth_message(pairs: Sequence[tuple[str, str]]) -> str:
    """OAuth/install: drop `hmac` and `signature`, sort, `k=v` joined with `&`."""
    kept = sorted((k, v) for k, v in pairs if k not in ("hmac", "signature"))
    return "&".join(f"{k}={v}" for k, v in kept)


def sign_oauth_query(pairs: Sequence[tuple[str, str]], secret: str) -> str:
    return _hex_hmac(secret, oauth_message(pairs))


def verify_oauth_query(query_string: str, secret: str) -> bool:
    pairs = parse_query(query_string)
    if _has_repeated_single_valued(pairs):
        return False
    given = dict(pairs).get("hmac", "")
    if not given:
        return False
    return _same(sign_oauth_query(pairs, secret), given)


def sign_webhook(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_webhook(body: bytes, header_value: str | None, secret: str) -> bool:
    """`X-Shopify-Hmac-Sha256` is the base64 HMAC of the raw body."""
    if not header_value:
        return False
    return _same(sign_webhook(body, secret), header_value.strip())
