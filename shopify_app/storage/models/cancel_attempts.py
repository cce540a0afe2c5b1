"""One customer's way through the cancel flow: the reason, the offer shown, the answer.

A row is made when the customer picks a reason and updated at each later step, so the
merchant's report counts saves (an offer accepted) against cancellations per reason. It holds
no personal data beyond what `PortalEvent` keeps: ids, the reason and its optional free text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class CancelAttempt(Model):
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="cancel_attempts", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    contract_id = fields.BigIntField()
    reason_key = fields.CharField(max_length=40)
    reason_label = fields.CharField(max_length=80)  # as the merchant named it then
    reason_text = fields.CharField(max_length=500, default="")  # "other": the customer's words
    offer_kind = fields.CharField(max_length=24, null=True)  # the offer shown, if any
    offer_response = fields.CharField(max_length=16, null=True)  # accepted | declined
    outcome = fields.CharField(max_length=16, default="open")  # open | saved | cancelled
    created_at = fields.DatetimeField()  # the reason chosen (the clock is injected)
    responded_at = fields.DatetimeField(null=True)  # the offer accepted or declined
    ended_at = fields.DatetimeField(null=True)  # saved or cancelled

    class Meta:
        table = "cancel_attempts"
        indexes = (("shop_id", "created_at"), ("shop_id", "customer_id"))
