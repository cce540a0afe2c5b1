from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class SpentToken(Model):
    """The `jti` of a single-use link, inserted once: its key makes exactly one redeemer win."""

    jti = fields.CharField(max_length=64, primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="spent_tokens", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    expires_at = fields.DatetimeField()  # rows past this can be purged
    spent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "spent_tokens"


class PortalRedemption(Model):
    """Audit of a link (or a logged-in visit) turning into a portal session."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="redemptions", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    jti = fields.CharField(max_length=64, null=True)
    source = fields.CharField(max_length=64, default="")
    api_key_id = fields.IntField(default=0)
    client_hash = fields.CharField(max_length=64, default="")  # HMAC of the client address
    user_agent = fields.CharField(max_length=512, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "portal_redemptions"
        indexes = (("shop_id", "customer_id"),)


class PortalEvent(Model):
    """A self-service action of a customer, e.g. a cancellation with its reason for the merchant."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="portal_events", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    contract_id = fields.BigIntField(null=True)
    action = fields.CharField(max_length=64)
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "portal_events"
        indexes = (("shop_id", "customer_id"),)

