from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class ApiKey(Model):
    """An external API key of a merchant. Only its SHA-256 hash is stored."""

    id = fields.IntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="api_keys", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100)
    prefix = fields.CharField(max_length=32)  # the visible start of the key, for lists
    key_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_keys"


class RateLimitWindow(Model):
    """A fixed one-minute window counter per key, shared by every worker via the database."""

    id = fields.BigIntField(primary_key=True)
    api_key: fields.ForeignKeyRelation[ApiKey] = fields.ForeignKeyField(
        "models.ApiKey", related_name="windows", on_delete=fields.CASCADE
    )
    # What is counted: 0 requests (`mint_rate_limit`), 1 bulk link items (`bulk_link_rate_limit`)
    bucket = fields.SmallIntField(default=0)
    window_start = fields.BigIntField()  # unix minute
    count = fields.IntField(default=0)

    class Meta:
        table = "rate_limit_windows"
        unique_together = (("api_key", "bucket", "window_start"),)

