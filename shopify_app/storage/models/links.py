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



class ShortLink(Model):
    """A short portal link (`…/l/{code}`) for SMS. Only the code's SHA-256 is stored, and the
    link token is sealed under a key derived from the code: the table alone opens nothing."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="short_links", on_delete=fields.CASCADE
    )
    code_hash = fields.CharField(max_length=64, unique=True)
    sealed_token = fields.TextField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "short_links"


class IdempotentRequest(Model):
    """A bulk mint remembered under its `Idempotency-Key` for a day, per API key: a retried
    request gets the same answer. The key is stored hashed and the answer (which holds bearer
    links) sealed under a key derived from the app secret and the Idempotency-Key."""

    id = fields.BigIntField(primary_key=True)
    api_key_id = fields.IntField()
    key_hash = fields.CharField(max_length=64)
    body_hash = fields.CharField(max_length=64)
    sealed_answer = fields.TextField(null=True)  # None while the first request still runs
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "idempotent_requests"
        unique_together = (("api_key_id", "key_hash"),)
