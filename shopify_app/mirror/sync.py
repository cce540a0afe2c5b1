"""Import a shop's subscription contracts and their customers from the Admin API.

Pages through `subscriptionContracts` (200 a page, see the operation), and for each page, in
one transaction: upserts the contracts' mirror rows, then the customers (email lower-cased,
names, lifetime value) with counters recomputed from the mirror. Running it again is
idempotent. A contract Shopify no longer returns is left as it is: nothing is deleted (its
webhooks still update it, and `customers/redact` / `shop/redact` remove it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from shopify_app.errors import AppError
from shopify_app.mirror.contracts import (
    ContractRow,
    CustomerProfile,
    claim_customers,
    parse_amount,
    recount_customers,
    upsert_contracts,
)
from shopify_app.shopify.gids import numeric_id, parse_datetime

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient
    from shopify_app.storage.models import Shop

OPERATION = "SubscriptionContracts"
MAX_PAGES = 100_000  # 20 million contracts: beyond, a cursor that never ends is a bug


@dataclass(frozen=True)
class SyncProgress:
    """Where a sync stands after a page (Shopify gives no contract count up front)."""

    shop: str
    pages: int = 0
    contracts: int = 0
    customers: int = 0  # distinct customers written so far
    skipped: int = 0  # contracts without a customer (deleted customers)
    done: bool = False


ProgressCallback = Callable[[SyncProgress], None]


class SyncFailed(AppError):
    status = 502
    code = "sync_failed"
    title = "Sync failed"


@dataclass(frozen=True)
class Page:
    contracts: list[ContractRow]
    profiles: dict[int, CustomerProfile]
    skipped: int


def _profile(customer_id: int, node: Mapping[str, Any]) -> CustomerProfile:
    email = (node.get("defaultEmailAddress") or {}).get("emailAddress")
    spent = node.get("amountSpent") or {}
    currency = spent.get("currencyCode")
    return CustomerProfile(
        customer_id=customer_id,
        email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
        first_name=str(node.get("firstName") or ""),
        last_name=str(node.get("lastName") or ""),
        lifetime_value=parse_amount(spent.get("amount")),
        currency=currency if isinstance(currency, str) else None,
    )


def parse_page(nodes: Sequence[Mapping[str, Any]]) -> Page:
    """Mirror rows and customer profiles of one page of `subscriptionContracts` nodes."""
    contracts: list[ContractRow] = []
    profiles: dict[int, CustomerProfile] = {}
    skipped = 0
    for node in nodes:
        customer = node.get("customer") or {}
        contract_id = numeric_id(node.get("id"))
        customer_id = numeric_id(customer.get("id"))
        if contract_id is None or customer_id is None:
            skipped += 1
            continue
        contracts.append(ContractRow(
            contract_id=contract_id,
            customer_id=customer_id,
            status=str(node.get("status") or "").lower(),
            next_billing_date=parse_datetime(node.get("nextBillingDate")),
            currency=str(node.get("currencyCode") or ""),
            updated_at=parse_datetime(node.get("updatedAt")),
        ))
        profiles[customer_id] = _profile(customer_id, customer)
    return Page(contracts, profiles, skipped)


async def store_page(shop: Shop, page: Page) -> None:
    """One page, all or nothing: a failure mid-sync keeps the pages before it."""
    async with in_transaction():
        # Customers first: the order every writer of the mirror follows (see claim_customers).
        await claim_customers(shop.id, list(page.profiles), page.profiles)
        await upsert_contracts(shop.id, page.contracts)
        await recount_customers(shop.id, list(page.profiles))


async def sync_shop(
    admin: AdminClient, shop: Shop, *, progress: ProgressCallback | None = None
) -> SyncProgress:
    """Import every contract of `shop` and its customers; returns the final tally.

    Shopify failing (after the client's retries) raises `ShopifyUnavailable`; what was
    imported so far stays, and running again picks everything up (idempotent)."""
    state = SyncProgress(shop=shop.domain)
    customers: set[int] = set()
    after: str | None = None
    while True:
        data = await admin.query(shop, OPERATION, {"after": after})
        connection = data.get("subscriptionContracts") or {}
        page = parse_page(connection.get("nodes") or [])
        await store_page(shop, page)
        customers.update(page.profiles)
        info = connection.get("pageInfo") or {}
        cursor = info.get("endCursor")
        more = bool(info.get("hasNextPage"))
        if more and (not isinstance(cursor, str) or not cursor or cursor == after):
            raise SyncFailed("Shopify announced another page without a new cursor.")
        state = SyncProgress(
            shop=shop.domain, pages=state.pages + 1,
            contracts=state.contracts + len(page.contracts), customers=len(customers),
            skipped=state.skipped + page.skipped, done=not more,
        )
        if progress is not None:
            progress(state)
        if not more:
            return state
        if state.pages >= MAX_PAGES:
            raise SyncFailed(f"Stopped after {MAX_PAGES} pages: Shopify's cursor never ended.")
        after = cursor
