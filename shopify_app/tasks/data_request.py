"""`customers/data_request`: assemble everything we hold about one customer of a shop into one
document (`customer_data_exports`), for the merchant to hand over.

Every table with a `customer_id` and a shop key is read (found from the models, so a table
added later is included), its rows serialised as JSON-safe values. The export itself holds the
customer's data: `customers/redact` deletes it with the rest.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from shopify_app.storage.models import CustomerDataExport, Shop

logger = logging.getLogger("shopify_app.tasks.data_request")

# Columns that identify our rows, not the person, and say nothing to them.
_INTERNAL = frozenset({"id", "shop_id"})


def customer_tables() -> list[type[Model]]:
    found = []
    for app in Tortoise.apps.values():
        for model in app.values():
            fields = model._meta.fields_map
            if model is CustomerDataExport:
                continue
            if "customer_id" in fields and ("shop" in fields or "shop_domain" in fields):
                found.append(model)
    return sorted(found, key=lambda model: model._meta.db_table)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


async def assemble(shop: Shop, customer_id: int) -> dict[str, list[dict[str, Any]]]:
    """{table: [row, ...]} of every row about `customer_id` in `shop`."""
    document: dict[str, list[dict[str, Any]]] = {}
    for model in customer_tables():
        fields = model._meta.fields_map
        query = (model.filter(shop_id=shop.pk, customer_id=customer_id) if "shop" in fields
                 else model.filter(shop_domain=shop.domain, customer_id=customer_id))
        rows = await query.values()
        document[model._meta.db_table] = [
            {name: _plain(value) for name, value in row.items() if name not in _INTERNAL}
            for row in rows
        ]
    return document


async def answer_data_request(shop_domain: str, customer_id: int, request_id: str,
                              now: datetime) -> int | None:
    """Store the export for the request; its id, or None for a shop we do not know. Asked again
    for the same request (a retried job), the export is rewritten, not duplicated."""
    shop = await Shop.get_or_none(domain=shop_domain)
    if shop is None:
        return None
    document = await assemble(shop, customer_id)
    await CustomerDataExport.filter(shop_id=shop.pk, customer_id=customer_id,
                                    request_id=request_id).delete()
    export = await CustomerDataExport.create(shop_id=shop.pk, customer_id=customer_id,
                                             request_id=request_id, data=document,
                                             created_at=now)
    rows = sum(len(found) for found in document.values())
    logger.info("customer data request %s for %s: %d rows assembled", request_id or "-",
                shop_domain, rows)
    export_id: int = export.pk
    return export_id
