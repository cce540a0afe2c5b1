from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from shopify_app.storage.models.shops import Shop


class Customer(Model):
    """What we know locally of a subscribing customer: enough to mint without Shopify."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="customers", on_delete=fields.CASCADE
    )
    customer_id = fields.BigIntField()  # Shopify's numeric customer id
    email = fields.CharField(max_length=320, null=True)  # lower-cased
    first_name = fields.CharField(max_length=255, default="")
    last_name = fields.CharField(max_length=255, default="")
    active_subscriptions = fields.IntField(default=0)
    inactive_subscriptions = fields.IntField(default=0)
    next_order_date = fields.DatetimeField(null=True)
    # Shopify's Customer.amountSpent (null until sync reads it), in `currency`.
    lifetime_value = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    currency = fields.CharField(max_length=8, null=True)
    # When Shopify's profile (names, email, amount spent) was as written here: the read time of a
    # sync, the event time of a `customers/update`; an older event changes nothing.
    profile_updated_at = fields.DatetimeField(null=True)
    # Every link issued before this instant is void (revocation without a row per mint).
    links_valid_after = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customers"
        unique_together = (("shop", "customer_id"),)
        indexes = (("shop_id", "email"),)



class RedactedCustomer(Model):
    """A customer Shopify asked us to forget (`customers/redact`): their links and sessions
    stay refused. No personal data: `subject` is a keyed hash of shop and customer id."""

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "models.Shop", related_name="redacted_customers", on_delete=fields.CASCADE
    )
    subject = fields.CharField(max_length=64)
    redacted_at = fields.DatetimeField()

    class Meta:
        table = "redacted_customers"
        unique_together = (("shop", "subject"),)
