from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class SubscriptionContract(Model):
    """Local mirror of a subscription contract, filled by sync and by webhooks.

    Holds what the customer counters and the customers listing need, not the contract itself.
    """

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="subscription_contracts", on_delete=fields.CASCADE
    )
    contract_id = fields.BigIntField()  # Shopify's numeric contract id
    customer_id = fields.BigIntField()  # Shopify's numeric customer id
    status = fields.CharField(max_length=16)  # lower case: active, paused, cancelled...
    next_billing_date = fields.DatetimeField(null=True)
    currency = fields.CharField(max_length=8, default="")
    # When Shopify last changed the contract as far as we know: its updatedAt on sync, the
    # delivery time of a webhook.
    updated_at = fields.DatetimeField(null=True)
    # The webhook payload's `revision_id` (increasing per contract): when both sides have one,
    # it orders updates, whatever the (second-precision) timestamps say.
    revision_id = fields.BigIntField(null=True)

    class Meta:
        table = "subscription_contracts"
        unique_together = (("shop", "contract_id"),)
        indexes = (("shop_id", "customer_id"),)
