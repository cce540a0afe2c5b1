from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class LinkStat(Model):
    """Mints and redemptions per shop, key, source and day: which flows drive portal visits."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="link_stats", on_delete=fields.CASCADE
    )
    api_key_id = fields.IntField(default=0)  # 0: not minted through a key
    source = fields.CharField(max_length=64, default="")
    day = fields.DateField()
    mints = fields.IntField(default=0)
    redemptions = fields.IntField(default=0)

    class Meta:
        table = "link_stats"
        unique_together = (("shop", "api_key_id", "source", "day"),)

