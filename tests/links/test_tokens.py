from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from jwcrypto import jwe, jwk

from shopify_app.links import tokens
from shopify_app.links.tokens import (
    ExpiredToken,
    InvalidToken,
    Keyring,
    issue,
    keyring_from_settings,
    parse_keys,
    verify,
)
from shopify_app.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
SHOP = "demo-shop.myshopify.com"
KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def keyring() -> Keyring:
    return Keyring([("a", KEY_A)])


def mint(keyring: Keyring, **overrides: object) -> str:
    args: dict[str, object] = {
        "shop": SHOP, "customer_id": 42, "now": NOW, "ttl": timedelta(hours=2), "source": "klaviyo"
    }
    args.update(overrides)
    return issue(keyring, **args).token  # type: ignore[arg-type]


def test_round_trip_carries_every_claim(keyring: Keyring) -> None:
    issued = issue(keyring, shop=SHOP, customer_id=42, now=NOW, ttl=timedelta(minutes=90),
                   source="winback", destination="orders", locale="fr-CA", api_key_id=7)
    claims = verify(keyring, issued.token, now=NOW, shop=SHOP, customer_id=42)
    assert (claims.shop, claims.customer_id, claims.jti) == (SHOP, 42, issued.jti)
    assert (claims.source, claims.destination, claims.locale, claims.api_key_id) == (
        "winback", "orders", "fr-CA", 7)
    assert claims.issued_at == NOW.replace(microsecond=123000)
    assert claims.expires_at == datetime(2026, 3, 1, 13, 30, 0, tzinfo=UTC)
    assert issued.expires_at == claims.expires_at


def test_nothing_readable_without_the_key(keyring: Keyring) -> None:
    token = mint(keyring)
    header, _, _, ciphertext, _ = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {
        "alg": "dir", "enc": "A256GCM", "kid": "a"}
    assert SHOP.encode() not in base64.urlsafe_b64decode(ciphertext + "==")
    assert "42" not in header


def test_jtis_are_unique(keyring: Keyring) -> None:
    assert len({issue(keyring, shop=SHOP, customer_id=1, now=NOW, ttl=timedelta(minutes=5)).jti
                for _ in range(50)}) == 50


@pytest.mark.parametrize("part", [0, 2, 3, 4])
def test_tampering_any_byte_fails(keyring: Keyring, part: int) -> None:
    pieces = mint(keyring).split(".")
    raw = bytearray(base64.urlsafe_b64decode(pieces[part] + "=" * (-len(pieces[part]) % 4)))
    raw[len(raw) // 2] ^= 0x01
    pieces[part] = b64(bytes(raw))
    with pytest.raises(InvalidToken):
        verify(keyring, ".".join(pieces), now=NOW)


def forge(header: dict[str, str], key: bytes, claims: dict[str, object]) -> str:
    token = jwe.JWE(json.dumps(claims).encode(), protected=json.dumps(header))
    token.add_recipient(jwk.JWK(kty="oct", k=b64(key)))
    return str(token.serialize(compact=True))


GOOD_CLAIMS = {"iss": tokens.ISSUER, "aud": tokens.LINK_AUDIENCE, "shop": SHOP,
               "sub": "42", "iat": NOW.timestamp(), "exp": NOW.timestamp() + 600, "jti": "x"}


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ({"alg": "A256KW", "enc": "A256GCM", "kid": "a"}, KEY_A),
        ({"alg": "dir", "enc": "A128GCM", "kid": "a"}, KEY_A[:16]),
        ({"alg": "dir", "enc": "A256CBC-HS512", "kid": "a"}, KEY_A + KEY_A),
        ({"alg": "dir", "enc": "A256GCM", "kid": "unknown"}, KEY_A),
        ({"alg": "dir", "enc": "A256GCM", "kid": "a", "zip": "DEF"}, KEY_A),
        ({"alg": "dir", "enc": "A256GCM"}, KEY_A),
    ],
    ids=["A256KW", "A128GCM", "CBC", "unknown-kid", "zip", "no-kid"],
)
def test_only_dir_a256gcm_with_a_known_kid(
    keyring: Keyring, header: dict[str, str], key: bytes
) -> None:
    forged = forge(header, key, GOOD_CLAIMS)
    with pytest.raises(InvalidToken):
        verify(keyring, forged, now=NOW)


def test_a_well_formed_forgery_with_the_right_key_passes(keyring: Keyring) -> None:
    # The control for the table above: same claims, the accepted header, verifies.
    forged = forge({"alg": "dir", "enc": "A256GCM", "kid": "a"}, KEY_A, GOOD_CLAIMS)
    assert verify(keyring, forged, now=NOW).customer_id == 42


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": None}, {"iat": None}, {"exp": "soon"}, {"aud": "portal-session"}, {"aud": None},
        {"iss": "someone"}, {"sub": "abc"}, {"sub": 42}, {"sub": "-1"}, {"jti": None},
        {"iat": NOW.timestamp() + 120},
    ],
    ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()),
)
def test_claims_are_checked(keyring: Keyring, changes: dict[str, object]) -> None:
    claims = {k: v for k, v in {**GOOD_CLAIMS, **changes}.items() if v is not None}
    with pytest.raises(InvalidToken):
        verify(keyring, keyring.encrypt(claims), now=NOW)


@pytest.mark.parametrize(
    ("seconds_after_expiry", "expired"), [(-1, False), (0, False), (30, False), (31, True)]
)
def test_expiry_with_a_small_leeway(
    keyring: Keyring, seconds_after_expiry: int, expired: bool
) -> None:
    token = mint(keyring, ttl=timedelta(minutes=5))
    expires = verify(keyring, token, now=NOW).expires_at
    moment = expires + timedelta(seconds=seconds_after_expiry)
    if expired:
        with pytest.raises(ExpiredToken):
            verify(keyring, token, now=moment)
    else:
        assert verify(keyring, token, now=moment).customer_id == 42


@pytest.mark.parametrize(
    ("shop", "customer_id"), [("other-shop.myshopify.com", 42), (SHOP, 43)]
)
def test_shop_and_customer_binding(keyring: Keyring, shop: str, customer_id: int) -> None:
    with pytest.raises(InvalidToken):
        verify(keyring, mint(keyring), now=NOW, shop=shop, customer_id=customer_id)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c.d.e", "a" * 5000, "...."])
def test_garbage_is_invalid(keyring: Keyring, token: str) -> None:
    with pytest.raises(InvalidToken):
        verify(keyring, token, now=NOW)


def test_rotation_new_key_encrypts_old_keys_still_decrypt() -> None:
    old = Keyring([("a", KEY_A)])
    rotated = Keyring([("b", KEY_B), ("a", KEY_A)])
    old_token = mint(old)
    new_token = mint(rotated)
    assert verify(rotated, old_token, now=NOW).customer_id == 42
    assert json.loads(base64.urlsafe_b64decode(new_token.split(".")[0] + "=="))["kid"] == "b"
    with pytest.raises(InvalidToken):
        verify(old, new_token, now=NOW)
    with pytest.raises(InvalidToken):
        verify(Keyring([("b", KEY_B)]), old_token, now=NOW)


def test_keys_from_settings_and_default_derivation() -> None:
    configured = Settings(api_secret="s", portal_token_keys=f"k2:{b64(KEY_B)}, k1:{b64(KEY_A)}")
    assert keyring_from_settings(configured).kids == ["k2", "k1"]
    derived = keyring_from_settings(Settings(api_secret="secret-1"))
    assert derived.kids == [tokens.DERIVED_KID]
    token = mint(derived)
    assert verify(keyring_from_settings(Settings(api_secret="secret-1")), token, now=NOW)
    with pytest.raises(InvalidToken):
        verify(keyring_from_settings(Settings(api_secret="secret-2")), token, now=NOW)


@pytest.mark.parametrize(
    "spec", ["nokid", f":{b64(KEY_A)}", "a:short", f"a:{b64(KEY_A)},a:{b64(KEY_B)}", "a:!!!"]
)
def test_bad_key_settings_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        Keyring(parse_keys(spec))


@pytest.mark.parametrize(
    "spec",
    [
        f"a:{b64(KEY_A)}!",  # a stray character used to be dropped silently
        f"a:{base64.b64encode(bytes([0xFB] * 32)).decode()}",  # standard base64, not url-safe
        "a:A",  # no base64 has this length
        f"a:{b64(KEY_A)}:extra",
        f"a:{b64(KEY_A)[:-1]}",  # 31 bytes
    ],
)
def test_keys_are_strict_base64url_of_32_bytes(spec: str) -> None:
    with pytest.raises(ValueError, match=r"PORTAL_TOKEN_KEYS|32 bytes|kid"):
        Keyring(parse_keys(spec))


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("nokid", "kid:base64url-key"),
        ("a:shortkey", "must be 32 bytes"),
        (f"a:{b64(KEY_A)}!", "is not base64url"),
        (f"a:{b64(KEY_A)},a:{b64(KEY_B)}", "unique"),
    ],
)
def test_bad_portal_token_keys_stop_the_app_at_start_up(spec: str, reason: str) -> None:
    """Not a 500 on every mint later: `create_app` refuses, naming the setting and the reason
    and never the key material."""
    from shopify_app.app import create_app

    with pytest.raises(ValueError) as caught:
        create_app(Settings(api_key="k", api_secret="s", portal_token_keys=spec))
    message = str(caught.value)
    assert "PORTAL_TOKEN_KEYS" in message and reason in message
    assert b64(KEY_A) not in message and b64(KEY_B) not in message


def test_good_portal_token_keys_and_none_start() -> None:
    from shopify_app.app import create_app

    create_app(Settings(api_key="k", api_secret="s", portal_token_keys=f"a:{b64(KEY_A)}"))
    create_app(Settings(api_key="k", api_secret="s"))
    create_app(Settings())  # the sandbox before it has a secret: nothing to check yet


def _encodings(value: bytes) -> set[bytes]:
    """`value` as it could show up in a token: raw, hex, and base64 (standard and url-safe,
    unpadded, at each of the three alignments inside a longer encoded string)."""
    found = {value, value.hex().encode(), value.hex().upper().encode()}
    for shift in range(3):
        padded = b"\0" * shift + value
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(padded).rstrip(b"=")
            # Drop the characters the leading filler and the ragged end touch.
            inner = text[(shift * 4 + 2) // 3 + 1 : -2]
            if len(inner) >= 6:
                found.add(inner)
    return found


def test_no_claim_is_readable_in_any_encoding(keyring: Keyring) -> None:
    issued = issue(keyring, shop=SHOP, customer_id=8123456789, now=NOW, ttl=timedelta(hours=2),
                   source="klaviyo-winback", destination="payment", locale="fr-CA",
                   api_key_id=31337)
    token = issued.token.encode()
    parts = token.split(b".")
    decoded = [base64.urlsafe_b64decode(p + b"=" * (-len(p) % 4)) for p in parts]
    secrets = [SHOP.encode(), b"8123456789", b"klaviyo-winback", b"payment", b"fr-CA",
               b"31337", b'"sub"', b'"shop"', b"portal-link", issued.jti.encode(),
               str(int(issued.expires_at.timestamp())).encode()]
    for secret in secrets:
        for form in _encodings(secret):
            assert form not in token, (secret, form)
            assert all(form not in piece for piece in decoded), (secret, form)
    # The control: the same search finds the claims in an unencrypted JWT-style payload.
    plain = base64.urlsafe_b64encode(json.dumps({"shop": SHOP}).encode()).rstrip(b"=")
    assert any(form in plain for form in _encodings(SHOP.encode()))


@pytest.mark.parametrize(
    "changes",
    [{"exp": float("inf")}, {"exp": float("nan")}, {"iat": float("nan")}, {"exp": 1e20},
     {"iat": -1.0}],
    ids=["exp-inf", "exp-nan", "iat-nan", "exp-year-3e12", "iat-negative"],
)
def test_times_outside_what_a_clock_holds_are_invalid(
    keyring: Keyring, changes: dict[str, float]
) -> None:
    with pytest.raises(InvalidToken):
        verify(keyring, keyring.encrypt({**GOOD_CLAIMS, **changes}), now=NOW)


def test_the_random_pool_never_hands_out_a_byte_twice() -> None:
    from shopify_app.links.tokens import RandomPool

    pool = RandomPool(block=64)
    drawn = [pool.take(28) for _ in range(100)]
    assert all(len(chunk) == 28 for chunk in drawn)
    assert len(set(drawn)) == 100  # fresh bytes each time, across block boundaries
    before = pool.take(8)
    pool.reset()  # as in a forked child: the parent's remaining bytes are dropped
    assert pool.take(8) != before
