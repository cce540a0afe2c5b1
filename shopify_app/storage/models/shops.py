from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from shopify_app.storage.sealed import SealedTextField

DEFAULT_PROXY_PREFIX = "tools"
DEFAULT_PROXY_SUBPATH = "recurring"


def default_portal_actions() -> dict[str, bool]:
    return {}


class Shop(Model):
    """One installed (or once installed) store and its offline credentials."""

    id = fields.IntField(primary_key=True)
    domain = fields.CharField(max_length=255, unique=True)  # the myshopify domain
    # Shopify's numeric shop id, learnt from a webhook that names it beside the domain: a later
    # webhook naming another id for this shop is a replay (see webhooks/payloads.py).
    shopify_id = fields.BigIntField(null=True)
    primary_domain = fields.CharField(max_length=255, null=True)  # custom domain, if any
    name = fields.CharField(max_length=255, default="")
    timezone = fields.CharField(max_length=64, default="UTC")
    currency = fields.CharField(max_length=8, default="USD")
    scopes = fields.TextField(default="")
    installed_at = fields.DatetimeField(null=True)
    uninstalled_at = fields.DatetimeField(null=True)
    proxy_prefix = fields.CharField(max_length=32, default=DEFAULT_PROXY_PREFIX)
    proxy_subpath = fields.CharField(max_length=255, default=DEFAULT_PROXY_SUBPATH)

    # Sealed at rest (AES-GCM, see storage/sealed): a database dump alone opens no store.
    access_token = SealedTextField(null=True)
    access_token_expires_at = fields.DatetimeField(null=True)
    refresh_token = SealedTextField(null=True)
    refresh_token_expires_at = fields.DatetimeField(null=True)
    # SQLite has no row locks: a refresh takes a lease by a conditional UPDATE of these.
    refresh_lease_owner = fields.CharField(max_length=64, null=True)
    refresh_lease_until = fields.DatetimeField(null=True)

    # merchant settings
    link_policy = fields.CharField(max_length=16, default="single_use")  # or "reusable"
    portal_format = fields.CharField(max_length=16, default="liquid")  # or "html"
    portal_actions: Any = fields.JSONField(default=default_portal_actions)  # action -> enabled
    allowed_frequencies: Any = fields.JSONField(null=True)  # [{"interval": "WEEK", "count": 2}]
    mint_rate_limit = fields.IntField(default=120)  # mints per minute per API key
    bulk_link_rate_limit = fields.IntField(default=10_000)  # bulk-minted links a minute per key
    default_locale = fields.CharField(max_length=16, default="en")
    link_lifetime_minutes = fields.IntField(default=120)  # a link's life when none is asked
    accent_color = fields.CharField(max_length=7, default="#1f5f8b")  # "#rrggbb", the portal's
    button_style = fields.CharField(max_length=16, default="rounded")  # rounded square pill
    # Shown in the portal instead of the cancel button when customers may not cancel there.
    cancel_instructions = fields.TextField(default="")
    cancel_flow: Any = fields.JSONField(null=True)  # reasons and offers (merchant.cancel_reasons)
    # Swap choices come from this collection (a gid), else from each line's own product.
    swap_collection_id = fields.CharField(max_length=80, null=True)
    addon_variants: Any = fields.JSONField(default=list)  # [{"id": variant gid, "title": ...}]

    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "shops"

    @property
    def installed(self) -> bool:
        return self.installed_at is not None and self.uninstalled_at is None

    @property
    def storefront_host(self) -> str:
        return self.primary_domain or self.domain


class OAuthState(Model):
    """A `state` nonce handed to Shopify at install, spent once on the callback."""

    nonce = fields.CharField(max_length=64, primary_key=True)
    shop_domain = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "oauth_states"
