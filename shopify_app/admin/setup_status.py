"""What the merchant sees first: is everything set up? Install, scopes, app proxy, imported
contracts (and the first import's progress), the last webhook, a customer to try the portal as.

Plain facts for the page to word; times are ISO 8601 to the second, never raw ids alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopify_app.errors import AppError
from shopify_app.install.flow import SCOPES
from shopify_app.links import minting
from shopify_app.mirror.imports import NOT_STARTED, import_progress
from shopify_app.storage.models import Customer, Shop, SubscriptionContract, WebhookDelivery


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(microsecond=0).isoformat().replace(
        "+00:00", "Z")


def _portal(shop: Shop) -> dict[str, Any]:
    try:
        url = minting.portal_url(shop)
    except AppError as error:  # a broken proxy setting is a fact to show, not a failure
        return {"url": None, "path": None, "problem": error.detail}
    path = f"/{shop.proxy_prefix}/{shop.proxy_subpath}/{minting.PORTAL_PATH}"
    return {"url": url, "path": path, "problem": None}


async def _test_customer(shop: Shop) -> dict[str, Any] | None:
    customer = await Customer.filter(shop_id=shop.id, active_subscriptions__gt=0).order_by(
        "customer_id").first()
    if customer is None:
        return None
    name = f"{customer.first_name} {customer.last_name}".strip()
    return {"customer_id": customer.customer_id, "name": name or customer.email or "",
            "email": customer.email}


async def setup_status(shop: Shop) -> dict[str, Any]:
    given = {s.strip() for s in shop.scopes.split(",") if s.strip()}
    # In the order the app asks for them (it reads better), then any others.
    granted = [s for s in SCOPES if s in given] + sorted(given - set(SCOPES))
    progress = await import_progress(shop.id)
    webhook = await WebhookDelivery.filter(shop_domain=shop.domain).order_by(
        "-received_at").first()
    return {
        "installed": shop.installed,
        "installed_at": iso(shop.installed_at),
        "scopes": granted,
        "missing_scopes": [s for s in SCOPES if granted and s not in granted],
        "portal": _portal(shop),
        "contracts": await SubscriptionContract.filter(shop_id=shop.id).count(),
        "customers": await Customer.filter(shop_id=shop.id).count(),
        "import": None if progress.status == NOT_STARTED.status else {
            "state": progress.status, "started_at": iso(progress.started_at),
            "pages": progress.pages, "contracts": progress.contracts,
        },
        "last_webhook": None if webhook is None else {
            "topic": webhook.topic, "received_at": iso(webhook.received_at)},
        "test_customer": await _test_customer(shop),
    }
