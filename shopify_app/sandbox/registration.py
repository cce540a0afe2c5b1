"""Our `Shop` rows for the simulated store's shops, as an install would have written them."""

from __future__ import annotations

from datetime import UTC, datetime

from shopify_app.sandbox.store import SimulatedStore
from shopify_app.storage.models import Shop


async def register_shop(
    store: SimulatedStore,
    domain: str,
    *,
    primary_domain: str | None = None,
    now: datetime | None = None,
) -> Shop:
    """Create (or update) the installed `Shop` row of `domain` with the store's current token.
    `primary_domain` overrides the custom domain (the sandbox points it at its storefront)."""
    record = store.shops[domain]
    custom = record.primary_host if record.primary_host != domain else None
    values = {
        "primary_domain": primary_domain or custom,
        "name": record.name,
        "timezone": record.timezone,
        "currency": record.currency,
        "scopes": store.tokens.scopes,
        "installed_at": now or datetime.now(UTC),
        "uninstalled_at": None,
        "access_token": store.token_of(domain),
        "access_token_expires_at": None,
        "refresh_token": None,
        "refresh_token_expires_at": None,
    }
    shop, _ = await Shop.update_or_create(defaults=values, domain=domain)
    return shop
