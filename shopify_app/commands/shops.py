"""`python -m shopify_app shops add SHOP --access-token T` and `shops reseal`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import httpx

from shopify_app.errors import AppError
from shopify_app.install.shops import register_shop, token_grant
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.domains import require_shop_domain
from shopify_app.storage import db, sealed


async def add_shop(
    settings: Settings,
    shop: str,
    access_token: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Register a store that already has an Admin API token, reading its details from Shopify.

    Prints one line (never the token); exit status 1 with the reason on stderr otherwise.
    `transport` lets tests reach the simulated store."""
    try:
        domain = require_shop_domain(shop)
        if not access_token.strip():
            raise AppError("The access token is empty.", status=400, code="missing_token")
        async with (
            db.connected(settings.database_url, migrate_first=True),
            httpx.AsyncClient(transport=transport, follow_redirects=False) as http,
        ):
            grant = token_grant(access_token.strip())
            registered = await register_shop(
                AdminClient(http, settings), domain, grant, now=datetime.now(UTC)
            )
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(
        f"registered {registered.domain} ({registered.name or 'unnamed'}), storefront "
        f"{registered.storefront_host}, timezone {registered.timezone}, "
        f"currency {registered.currency}"
    )
    return 0


async def reseal(settings: Settings) -> int:
    """After a key rotation: every stored Shopify token re-encrypted under the current key."""
    async with db.connected(settings.database_url, migrate_first=True):
        count = await sealed.reseal_tokens()
    print(f"resealed the tokens of {count} shop(s)")
    return 0
