from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class ImportRun(Model):
    """Where a shop's import of contracts stands: one row per shop, rewritten page by page.

    The cursor is saved in the same transaction as the page it follows, so a killed import
    resumes after the last page it stored, and never stores a page twice (it would be harmless:
    the mirror's writes are idempotent)."""

    id = fields.IntField(primary_key=True)
    shop: fields.OneToOneRelation[Shop] = fields.OneToOneField(
        "models.Shop", related_name="import_run", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=16, default="pending")  # pending, running, done, failed
    cursor = fields.TextField(null=True)  # endCursor of the last stored page; None: from the top
    pages = fields.IntField(default=0)
    contracts = fields.IntField(default=0)
    customers = fields.IntField(default=0)  # customer rows written (a customer may count twice)
    skipped = fields.IntField(default=0)
    cost = fields.IntField(default=0)  # Admin API points actually spent (extensions.cost)
    waited_seconds = fields.FloatField(default=0.0)  # paused for the cost bucket
    error = fields.CharField(max_length=255, default="")
    started_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_runs"


class CustomerDataExport(Model):
    """The answer to a `customers/data_request`: everything we hold about the customer,
    assembled by a background job for the merchant to hand over."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="data_exports", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()
    request_id = fields.CharField(max_length=64, default="")
    data: Any = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "customer_data_exports"
        indexes = (("shop_id", "customer_id"),)
