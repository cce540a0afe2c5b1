from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class WebhookDelivery(Model):
    """A received `X-Shopify-Webhook-Id`: the primary key drops redeliveries."""

    webhook_id = fields.CharField(max_length=128, primary_key=True)
    shop_domain = fields.CharField(max_length=255)
    topic = fields.CharField(max_length=128)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_deliveries"
