"""Changes a customer asked for that happen later or must happen once: a pause with a resume
date (carried out by the `resume_contract` job and the `resume_due` sweep) and the claim that
makes "order now" bill a billing cycle at most once, whatever the number of clicks or processes.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from shopify_app.storage.models.shops import Shop


class ScheduledResume(Model):
    """One per contract: the date a paused contract is to be resumed. `status` is `pending`
    until the resume ran (`done`) or had nothing to do (`void`: cancelled, resumed or paused by
    hand meanwhile); `running` while one worker holds it."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="scheduled_resumes", on_delete=fields.CASCADE
    )
    shop_id: int  # the foreign key's column, set by Tortoise
    customer_id = fields.BigIntField()
    contract_id = fields.BigIntField()
    resume_on = fields.DateField()
    resume_at = fields.DatetimeField()  # the moment the resume is due (start of `resume_on`, UTC)
    status = fields.CharField(max_length=16, default="pending")
    outcome = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "scheduled_resumes"
        unique_together = (("shop_id", "contract_id"),)
        indexes = (("status", "resume_at"), ("shop_id", "customer_id"))


class OrderNowClaim(Model):
    """Taken before `subscriptionBillingCycleCharge` is sent: the primary-key-like unique pair
    (contract, cycle) lets exactly one request of any number charge a cycle. A claim Shopify
    refused is deleted (nothing was billed); one whose outcome is unknown stays (never risk a
    second charge)."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="order_now_claims", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    contract_id = fields.BigIntField()
    cycle_index = fields.IntField()
    status = fields.CharField(max_length=16, default="sending")  # sending | billed | unknown
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_now_claims"
        unique_together = (("shop_id", "contract_id", "cycle_index"),)
