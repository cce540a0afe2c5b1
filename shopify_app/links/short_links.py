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
import hmac
import os
import secrets
import string
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from shopify_app.storage.models import Shop, ShortLink

ALPHABET = string.digits + string.ascii_letters
CODE_LENGTH = 11  # 62**11 > 2**65
SHORT_PATH = "l"
_INFO = b"short-link/v1"


class ShortLinkRequest(NamedTuple):
    token: str
    expires_at: datetime


_UNBIASED = 256 - 256 % len(ALPHABET)  # bytes below 248 map evenly onto 62 characters


def new_code() -> str:
    """11 characters, each uniform over the alphabet (bytes >= 248 are drawn again)."""
    code = ""
    while len(code) < CODE_LENGTH:
        code += "".join(ALPHABET[b % len(ALPHABET)] for b in secrets.token_bytes(16)
                        if b < _UNBIASED)
    return code[:CODE_LENGTH]


def is_code(text: str) -> bool:
    """Shaped like a code (checked before any lookup)."""
    return len(text) == CODE_LENGTH and all(ch in ALPHABET for ch in text)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _key(code: str) -> bytes:
    # HMAC-SHA256 keyed by the code: HKDF's extract step alone, enough for a uniformly random
    # 65-bit code, at a fifth of the cost of building an HKDF object per code.
    return hmac.digest(code.encode("ascii"), _INFO, "sha256")


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


@lru_cache(maxsize=4)
def _insert_sql(dialect: str) -> str:
    # One INSERT run with every row (executemany) instead of a model object per row, which
    # cost more than sealing the token. Placeholders in the database's own style.
    marks = ["?"] * 4 if dialect == "sqlite" else [f"${n}" for n in range(1, 5)]
    columns = '"shop_id", "code_hash", "sealed_token", "expires_at"'
    return f'INSERT INTO "short_links" ({columns}) VALUES ({", ".join(marks)})'  # noqa: S608


async def create_many(shop: Shop, links: Sequence[ShortLinkRequest]) -> list[str]:
    """One code per link, stored in one statement. A code collision (2**-65 per pair) fails
    the insert of the whole batch, which is then drawn again."""
    db = ShortLink._meta.db
    sql = _insert_sql(db.capabilities.dialect)
    expiry = ShortLink._meta.fields_map["expires_at"]
    for _ in range(3):
        codes = [new_code() for _ in links]
        rows = [
            [shop.id, code_hash(code), seal(code, link.token),
             expiry.to_db_value(link.expires_at, ShortLink)]
            for code, link in zip(codes, links, strict=True)
        ]
        try:
            async with in_transaction() as connection:
                await connection.execute_many(sql, rows)
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
