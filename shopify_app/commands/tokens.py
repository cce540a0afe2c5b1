"""`python -m shopify_app tokens inspect TOKEN`: what a link says, for support.

Prints the claims and whether the link is usable now; never the key material (only the
`kid` naming which configured key sealed it). Exit status 0 when the token opens and is
current, 1 otherwise.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from datetime import UTC, datetime

from shopify_app.links import tokens
from shopify_app.links.tokens import InvalidToken
from shopify_app.settings import Settings


def _kid(token: str) -> str:
    try:
        header = json.loads(base64.urlsafe_b64decode(token.split(".", 1)[0] + "==="))
    except (ValueError, binascii.Error):
        return "?"
    return str(header.get("kid", "?")) if isinstance(header, dict) else "?"


def _show(stamp: object) -> str:
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, tz=UTC).isoformat(timespec="milliseconds")
    return repr(stamp)


def inspect_token(settings: Settings, token: str, *, now: datetime | None = None) -> int:
    """Decrypt `token` with the configured keys and print its claims."""
    moment = now or datetime.now(UTC)
    token = token.strip()
    try:
        keyring = tokens.keyring_from_settings(settings)
        claims = keyring.decrypt(token)
    except (InvalidToken, ValueError, RuntimeError) as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return 1
    print(f"kid: {_kid(token)}")
    for name, value in sorted(claims.items()):
        shown = _show(value) if name in ("iat", "exp") else json.dumps(value)
        print(f"{name}: {shown}")
    try:
        if claims.get("aud") == tokens.LINK_AUDIENCE:
            tokens.verify(keyring, token, now=moment)
        else:
            tokens.check_times(claims, now=moment)
    except InvalidToken as exc:
        print(f"status: {exc.code} ({exc.detail})")
        return 1
    print("status: valid (revocation is checked against the database on redemption)")
    return 0
