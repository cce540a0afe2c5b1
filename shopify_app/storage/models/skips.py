"""Billing cycles we know were skipped (or unskipped): a hint for the overview, which reads only
each contract's `nextBillingDate` — Shopify keeps that date on a skipped cycle. The overview looks
up the real next order (one small query) only where a card's date is a skipped cycle's date;
Shopify stays the source of truth, a row only says when to look."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from shopify_app.storage.models.shops import Shop


class SkippedCycle(Model):
    """One per (contract, cycle). `skipped` is the latest state we heard of, `event_at` when it
    happened (the customer's action or the webhook's trigger time): an older event arriving late
    never overwrites a newer one. Purged once `expected_at` has passed."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="skipped_cycles", on_delete=fields.CASCADE
    )
    shop_id: int  # the foreign key's column, set by Tortoise
    contract_id = fields.BigIntField()
    cycle_index = fields.IntField()
    expected_at = fields.DatetimeField()  # the cycle's billingAttemptExpectedDate
    skipped = fields.BooleanField(default=True)
    event_at = fields.DatetimeField()

    class Meta:
        table = "skipped_cycles"
        unique_together = (("shop_id", "contract_id", "cycle_index"),)
        indexes = (("expected_at",),)
