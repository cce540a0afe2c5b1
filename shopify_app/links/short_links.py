"""Short links for SMS: `https://{storefront}/{prefix}/{subpath}/l/{code}` stands for one link.

The code is 11 base62 characters drawn from `secrets` (65 bits). The table keeps the code's
SHA-256 (a lookup key; 65 random bits need no slow hash) and the link token sealed with AES-GCM
under a key derived from the code itself, so a copy of the database opens no portal: only who
holds the code can. A code resolves to its token until the token's own expiry; everything the
long link does afterwards (scanner-safe redemption, single use, revocation) applies unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import string
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tortoise.exceptions import IntegrityError

from shopify_app.storage.models import Shop, ShortLink

ALPHABET = string.digits + string.ascii_letters
CODE_LENGTH = 11  # 62**11 > 2**65
SHORT_PATH = "l"
_INFO = b"short-link/v1"


class ShortLinkRequest(NamedTuple):
    token: str
    expires_at: datetime


def new_code() -> str:
    value = secrets.randbelow(len(ALPHABET) ** CODE_LENGTH)
    digits = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(digits)


def is_code(text: str) -> bool:
    """Shaped like a code (checked before any lookup)."""
    return len(text) == CODE_LENGTH and all(ch in ALPHABET for ch in text)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _key(code: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        code.encode("ascii")
    )


def seal(code: str, token: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(code)).encrypt(nonce, token.encode("ascii"), _INFO)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(code: str, sealed: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        return AESGCM(_key(code)).decrypt(raw[:12], raw[12:], _INFO).decode("ascii")
    except (InvalidTag, ValueError):
        return None


def short_url(portal_url: str, code: str) -> str:
    """The short form of a shop's portal link: `…/{prefix}/{subpath}/l/{code}`."""
    base = portal_url.rsplit("/", 1)[0]  # drop `customer_portal`
    return f"{base}/{SHORT_PATH}/{code}"


async def create_many(shop: Shop, links: Sequence[ShortLinkRequest]) -> list[str]:
    """One code per link, stored in one statement. A code collision (2**-65 per pair) fails
    the insert of the whole batch, which is then drawn again."""
    for _ in range(3):
        codes = [new_code() for _ in links]
        rows = [
            ShortLink(
                shop_id=shop.id, code_hash=code_hash(code), sealed_token=seal(code, link.token),
                expires_at=link.expires_at,
            )
            for code, link in zip(codes, links, strict=True)
        ]
        try:
            await ShortLink.bulk_create(rows)
        except IntegrityError:
            continue
        return codes
    raise RuntimeError("short link codes collided three times")


async def resolve(shop: Shop, code: str, now: datetime) -> str | None:
    """The link token behind `code` in this shop, or None (unknown, expired, another shop's)."""
    if not is_code(code):
        return None
    row = await ShortLink.get_or_none(code_hash=code_hash(code), shop_id=shop.id)
    if row is None or row.expires_at <= now:
        return None
    return unseal(code, row.sealed_token)


async def purge_expired(now: datetime) -> int:
    """Delete short links whose token has expired (a purge job calls this)."""
    return await ShortLink.filter(expires_at__lte=now).delete()
