"""`Idempotency-Key` for the bulk mint: a retried request gets the answer of the first.

Scoped to the API key, kept `TTL` (24 h). The first request inserts a pending row (the unique
key lets exactly one of concurrent duplicates run); its answer is stored sealed when it ends, or
the row is dropped when it fails so the retry can run. The same key with another body is a
client bug: 422. The key is stored hashed, and the answer (bearer links) sealed with AES-GCM
under a key derived from the app secret and the Idempotency-Key, which the database never holds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise.exceptions import IntegrityError

from shopify_app.errors import BadRequest, Conflict, Unprocessable
from shopify_app.storage.models import IdempotentRequest

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
_INFO = b"idempotent-answer/v1"


class InvalidIdempotencyKey(BadRequest):
    code = "invalid_idempotency_key"
    title = "Invalid Idempotency-Key"


class IdempotencyKeyReused(Unprocessable):
    code = "idempotency_key_reused"
    title = "Idempotency-Key reused with another body"


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    title = "A request with this Idempotency-Key is still running"


def check_key(raw: str) -> str:
    """1-255 printable ASCII characters (a UUID is the usual choice)."""
    if not 0 < len(raw) <= MAX_KEY_LENGTH or not raw.isascii() or not raw.isprintable():
        raise InvalidIdempotencyKey(
            f"{HEADER} must be 1-{MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID."
        )
    return raw


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def _cipher(secret: str, key: str) -> AESGCM:
    root = hmac.new(secret.encode(), _INFO, hashlib.sha256).digest()
    return AESGCM(hmac.new(root, key.encode("ascii"), hashlib.sha256).digest())


def _seal(secret: str, key: str, answer: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _cipher(secret, key).encrypt(nonce, answer, _INFO)).decode()


def _open(secret: str, key: str, sealed: str) -> bytes | None:
    try:
        raw = base64.b64decode(sealed)
        return _cipher(secret, key).decrypt(raw[:12], raw[12:], _INFO)
    except (InvalidTag, ValueError):
        return None


async def begin(
    api_key_id: int, key: str, body: bytes, *, secret: str, now: datetime
) -> bytes | None:
    """The stored answer when this is a retry, else None with the key now held by this
    request (finish with `finish` or `abandon`)."""
    key_hash, body_hash = _hash(key), hashlib.sha256(body).hexdigest()
    rows = IdempotentRequest.filter(api_key_id=api_key_id, key_hash=key_hash)
    for _ in range(2):
        await rows.filter(expires_at__lte=now).delete()
        try:
            await IdempotentRequest.create(
                api_key_id=api_key_id, key_hash=key_hash, body_hash=body_hash,
                created_at=now, expires_at=now + TTL,
            )
            return None
        except IntegrityError:
            row = await rows.first()
            if row is None:
                continue  # it expired and was deleted in between: try again
        if row.body_hash != body_hash:
            raise IdempotencyKeyReused(
                f"This {HEADER} was used for another request body in the last 24 hours."
            )
        if row.sealed_answer is None:
            raise IdempotencyKeyInUse(
                f"The first request with this {HEADER} is still running. Retry shortly.",
                headers={"Retry-After": "2"},
            )
        answer = _open(secret, key, row.sealed_answer)
        if answer is not None:
            return answer
        # Sealed under a secret since rotated: the answer is lost, the request runs again.
        await rows.delete()
    raise IdempotencyKeyInUse(f"This {HEADER} is contended. Retry shortly.",
                              headers={"Retry-After": "2"})


async def finish(api_key_id: int, key: str, answer: bytes, *, secret: str) -> None:
    await IdempotentRequest.filter(api_key_id=api_key_id, key_hash=_hash(key)).update(
        sealed_answer=_seal(secret, key, answer)
    )


async def abandon(api_key_id: int, key: str) -> None:
    await IdempotentRequest.filter(
        api_key_id=api_key_id, key_hash=_hash(key), sealed_answer=None
    ).delete()


async def purge_expired(now: datetime) -> int:
    return await IdempotentRequest.filter(expires_at__lte=now).delete()
