"""Where a shop lives: `SHOPIFY_ADMIN_ORIGIN` with `{shop}` filled, for OAuth and the Admin API."""

from __future__ import annotations

from shopify_app.settings import Settings


def shop_origin(settings: Settings, shop_domain: str) -> str:
    """`https://a.myshopify.com` in production, the simulated store in tests and the sandbox."""
    return settings.admin_origin.replace("{shop}", shop_domain)


def graphql_url(settings: Settings, shop_domain: str) -> str:
    return f"{shop_origin(settings, shop_domain)}/admin/api/{settings.api_version}/graphql.json"
