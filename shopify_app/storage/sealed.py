"""Shopify access and refresh tokens, encrypted at rest.

A database dump alone must not give API access to every store. Each value is sealed with
AES-GCM under a key of a small key ring and stored as `v1:<kid>:<base64url(nonce + ciphertext)>`;
the kid says which key opens it, so keys rotate: `SHOPIFY_TOKEN_KEYS="kid:base64url,..."` (the
first seals, every one opens; `reseal_tokens()` re-encrypts old values under the first). Without
it one key is derived from the app secret with HKDF (kid `s1`), and during a client secret
rotation the key derived from `SHOPIFY_API_SECRET_OLD` still opens old values. A value without
the `v1:` prefix (stored before encryption) is read as it is and sealed when next written.

The ORM field reads the process's key ring (`configure`, done by `create_app` and the CLI): a
Tortoise field has no other way to reach settings.
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tortoise import fields

from shopify_app.settings import Settings

PREFIX = "v1:"
DERIVED_KID = "s1"
_AAD = b"shopify_app/shop-token/v1"


class UnreadableToken(RuntimeError):
    """A stored token no key of the ring opens (a removed key, another app secret)."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derive(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"shopify_app/storage/sealed",
                info=b"shop-token-key/v1")
    return hkdf.derive(secret.encode())


def parse_keys(spec: str) -> list[tuple[str, bytes]]:
    """`kid:base64url,...` → [(kid, 32 bytes)]; ValueError naming the setting, never a key."""
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        kid, sep, encoded = item.partition(":")
        try:
            raw = _unb64(encoded.strip())
        except (ValueError, binascii.Error):
            raw = b""
        if not sep or not kid.strip() or ":" in kid or len(raw) != 32:
            raise ValueError("SHOPIFY_TOKEN_KEYS entries look like kid:base64url-32-byte-key")
        if kid.strip() in {k for k, _ in keys}:
            raise ValueError("SHOPIFY_TOKEN_KEYS has a duplicate kid")
        keys.append((kid.strip(), raw))
    return keys


class TokenCipher:
    """The key ring: the first key seals; every key (and the alternates of a kid) opens."""

    def __init__(self, keys: list[tuple[str, bytes]],
                 alternates: dict[str, list[bytes]] | None = None) -> None:
        if not keys:
            raise ValueError("a token cipher needs a key")
        self.current_kid = keys[0][0]
        self._keys: dict[str, list[AESGCM]] = {kid: [AESGCM(raw)] for kid, raw in keys}
        for kid, extra in (alternates or {}).items():
            self._keys.setdefault(kid, []).extend(AESGCM(raw) for raw in extra)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher:
        configured = parse_keys(settings.token_keys)
        if configured:
            return cls(configured)
        old = [derive(settings.api_secret_old)] if settings.api_secret_old else []
        return cls([(DERIVED_KID, derive(settings.secret))], {DERIVED_KID: old})

    def seal(self, plain: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self.current_kid][0].encrypt(nonce, plain.encode(), _AAD)
        return f"{PREFIX}{self.current_kid}:{_b64(nonce + sealed)}"

    def open(self, value: str) -> str:
        if not value.startswith(PREFIX):
            return value  # stored before encryption: sealed at the next write
        kid, _, payload = value[len(PREFIX):].partition(":")
        try:
            raw = _unb64(payload)
        except (ValueError, binascii.Error):
            raw = b""
        for key in self._keys.get(kid, ()):
            try:
                return key.decrypt(raw[:12], raw[12:], _AAD).decode()
            except (InvalidTag, ValueError):
                continue
        raise UnreadableToken(f"A stored Shopify token was sealed under key {kid!r}, which "
                              "SHOPIFY_TOKEN_KEYS (or the app secret) no longer provides.")

    def is_current(self, value: str) -> bool:
        return value.startswith(f"{PREFIX}{self.current_kid}:")

    def also_opening(self, previous: TokenCipher) -> TokenCipher:
        """This cipher, still opening what `previous` sealed."""
        merged = TokenCipher.__new__(TokenCipher)
        merged.current_kid = self.current_kid
        merged._keys = {kid: list(keys) for kid, keys in self._keys.items()}
        for kid, keys in previous._keys.items():
            merged._keys.setdefault(kid, []).extend(k for k in keys if k not in merged._keys[kid])
        return merged


_cipher: TokenCipher | None = None


def configure(settings: Settings, *, keep_previous: bool = True) -> None:
    """Seal with `settings`' key ring in every sealed field of this process (no secret, as in
    the local sandbox: values are stored as they are). A server configures once; where several
    apps share a process (tests, the sandbox runner) the keys configured before keep opening
    what they sealed unless `keep_previous` is False."""
    global _cipher
    if settings.sandbox and not settings.token_keys:
        if not keep_previous:
            _cipher = None
        return
    cipher = TokenCipher.from_settings(settings)
    _cipher = cipher.also_opening(_cipher) if keep_previous and _cipher is not None else cipher


def current_cipher() -> TokenCipher | None:
    return _cipher


class SealedTextField(fields.TextField):
    """A text column whose values are sealed with the process's `TokenCipher`."""

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if value is None or _cipher is None or str(value).startswith(PREFIX):
            return value
        return _cipher.seal(str(value))

    def to_python_value(self, value: Any) -> Any:
        if value is None or _cipher is None or not isinstance(value, str):
            return value
        return _cipher.open(value)


async def reseal_tokens() -> int:
    """Re-encrypt every stored token not sealed under the current key (after a rotation):
    the number of shops rewritten."""
    from shopify_app.storage.models import Shop  # the models import this module

    cipher = _cipher
    if cipher is None:
        return 0
    conn = Shop._meta.db
    rows = await conn.execute_query_dict("SELECT id, access_token, refresh_token FROM shops")
    count = 0
    for row in rows:
        stored = (row["access_token"], row["refresh_token"])
        if all(value is None or cipher.is_current(str(value)) for value in stored):
            continue
        access, refresh = (None if v is None else cipher.open(str(v)) for v in stored)
        await Shop.filter(pk=row["id"]).update(access_token=access, refresh_token=refresh)
        count += 1
    return count
