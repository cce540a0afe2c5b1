"""What a page shows, each in ONE Admin API request.

`load_overview` (subscriptions and order history) runs `PortalOverview`; `load_contract`
(a contract with its upcoming orders) runs `PortalContract` and is also the ownership check
every action starts with: a contract that is not the visitor's is "not found", whoever owns it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shopify_app.portal.errors import ContractNotFound
from shopify_app.portal.views.parsing import (
    CONTRACT_GID,
    CUSTOMER_GID,
    parse_detail,
    parse_overview,
)
from shopify_app.portal.views.viewmodels import ContractDetail, Overview
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyQueryError
from shopify_app.storage.models import Shop

UPCOMING_WINDOW = timedelta(days=366)


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def load_overview(admin: AdminClient, shop: Shop, customer_id: int) -> Overview:
    data = await admin.query(shop, "PortalOverview", {"customerId": f"{CUSTOMER_GID}{customer_id}"})
    return parse_overview(data, customer_id)


async def load_contract(
    admin: AdminClient, shop: Shop, customer_id: int, contract_id: int, now: datetime
) -> ContractDetail:
    """The contract with its upcoming cycles, or `ContractNotFound` unless it is the customer's."""
    if contract_id <= 0:
        raise ContractNotFound("We could not find this subscription.")
    variables = {
        "contractId": f"{CONTRACT_GID}{contract_id}",
        "cyclesStart": _iso(now),
        "cyclesEnd": _iso(now + UPCOMING_WINDOW),
    }
    try:
        data = await admin.query(shop, "PortalContract", variables)
    except ShopifyQueryError as exc:
        # A missing (or another shop's) contract makes its billing cycles a top-level error
        # rather than null: answered like another customer's contract, no existence oracle.
        if "does not exist" in exc.detail.lower():
            raise ContractNotFound("We could not find this subscription.") from None
        raise
    detail = parse_detail(data)
    # Someone else's id answers exactly like a missing one: no probing for contract ids.
    if detail is None or detail.contract.customer_id != customer_id:
        raise ContractNotFound("We could not find this subscription.")
    return detail
