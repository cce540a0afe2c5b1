"""`python -m shopify_app api-keys create|list|revoke`.

`create` prints what it made, then the key alone on the last line: scripts take
`… | tail -n 1`. The key is shown this once; only its hash is kept.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from shopify_app.errors import AppError
from shopify_app.install.shops import registered_shop
from shopify_app.keys import api_keys as keys_service
from shopify_app.settings import Settings
from shopify_app.storage import db


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else "-"


async def create(settings: Settings, shop: str, name: str) -> int:
    """Create a key for `shop`; exit status 1 with the reason on stderr otherwise."""
    try:
        async with db.connected(settings.database_url):
            found = await registered_shop(shop)
            key, raw = await keys_service.create_key(found, name)
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(f"created API key {key.id} ({key.name}) for {found.domain}; it is shown only once:")
    print(raw)
    return 0


async def list_keys(settings: Settings, shop: str) -> int:
    """One line per key of `shop`: id, visible prefix, created, last used, status, name."""
    try:
        async with db.connected(settings.database_url):
            keys = await keys_service.list_keys(await registered_shop(shop))
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(f"{'id':>5}  {'prefix':<14} {'created':<16} {'last used':<16} {'status':<24} name")
    for key in keys:
        status = f"revoked {_when(key.revoked_at)}" if key.revoked_at else "active"
        print(
            f"{key.id:>5}  {key.prefix:<14} {_when(key.created_at):<16} "
            f"{_when(key.last_used_at):<16} {status:<24} {key.name}"
        )
    return 0


async def revoke(settings: Settings, key_id: int) -> int:
    """Revoke key `key_id` at once."""
    try:
        async with db.connected(settings.database_url):
            key = await keys_service.revoke(key_id, datetime.now(UTC))
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(f"revoked API key {key.id} ({key.prefix}, {key.name})")
    return 0
