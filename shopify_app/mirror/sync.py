"""Import a shop's subscription contracts and their customers from the Admin API.

Pages through `subscriptionContracts` (200 a page, see the operation), and for each page, in
one transaction: upserts the contracts' mirror rows, then the customers (email lower-cased,
names, lifetime value) with counters recomputed from the mirror. Running it again is
idempotent. A contract Shopify no longer returns is left as it is: nothing is deleted (its
webhooks still update it, and `customers/redact` / `shop/redact` remove it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from shopify_app.errors import AppError
from shopify_app.mirror import imports
from shopify_app.mirror.contracts import (
    ContractRow,
    CustomerProfile,
    claim_customers,
    parse_amount,
    recount_customers,
    upsert_contracts,
)
from shopify_app.shopify.client import throttle_wait
from shopify_app.shopify.gids import numeric_id, parse_datetime
from shopify_app.storage.models import Customer, ImportRun

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient
    from shopify_app.storage.models import Shop

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)

OPERATION = "SubscriptionContracts"
MAX_PAGES = 100_000  # 20 million contracts: beyond, a cursor that never ends is a bug


@dataclass(frozen=True)
class SyncProgress:
    """Where a sync stands after a page (Shopify gives no contract count up front)."""

    shop: str
    pages: int = 0
    contracts: int = 0
    customers: int = 0  # the shop's customers in the mirror
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


def customer_profile(customer_id: int, node: Mapping[str, Any]) -> CustomerProfile:
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
        profiles[customer_id] = customer_profile(customer_id, customer)
    return Page(contracts, profiles, skipped)


async def store_page(shop: Shop, page: Page) -> None:
    """One page, all or nothing: a failure mid-sync keeps the pages before it."""
    async with in_transaction():
        # Customers first: the order every writer of the mirror follows (see claim_customers).
        await claim_customers(shop.id, list(page.profiles), page.profiles)
        await upsert_contracts(shop.id, page.contracts)
        await recount_customers(shop.id, list(page.profiles))


def pause_for_bucket(cost: Mapping[str, Any]) -> float:
    """Seconds to wait before asking for another page of the same cost: what Shopify's leaky
    bucket lacks (`throttleStatus`), at its restore rate. 0 when it has room or says nothing."""
    return throttle_wait({"extensions": {"cost": cost}}) or 0.0


def _spent(cost: Mapping[str, Any]) -> int:
    value = cost.get("actualQueryCost", cost.get("requestedQueryCost"))
    return int(value) if isinstance(value, int | float) else 0


async def sync_shop(
    admin: AdminClient,
    shop: Shop,
    *,
    progress: ProgressCallback | None = None,
    resume: bool = True,
    sleep: Sleep = asyncio.sleep,
    clock: Clock = utc_now,
) -> SyncProgress:
    """Import every contract of `shop` and its customers; returns the final tally.

    The cursor is saved with each page (`import_runs`): an import that died (killed, or
    Shopify failing after the client's retries, which raises `ShopifyUnavailable`) continues
    after its last stored page on the next call. A finished import is started over, which
    corrects whatever the mirror missed (reconciliation). Between pages it waits for Shopify's
    cost bucket to hold another page rather than be throttled."""
    run = await imports.begin(shop.id, clock(), resume=resume)
    try:
        return await _pages(admin, shop, run, progress, sleep, clock)
    except AppError as exc:
        await imports.fail(run, exc.detail or exc.code, clock())
        raise


async def _pages(admin: AdminClient, shop: Shop, run: ImportRun,
                 progress: ProgressCallback | None, sleep: Sleep, clock: Clock) -> SyncProgress:
    while True:
        after = run.cursor
        data, cost = await admin.query_with_cost(shop, OPERATION, {"after": after})
        connection = data.get("subscriptionContracts") or {}
        page = parse_page(connection.get("nodes") or [])
        info = connection.get("pageInfo") or {}
        cursor = info.get("endCursor")
        more = bool(info.get("hasNextPage"))
        if more and (not isinstance(cursor, str) or not cursor or cursor == after):
            raise SyncFailed("Shopify announced another page without a new cursor.")
        if more and run.pages + 1 >= MAX_PAGES:
            raise SyncFailed(f"Stopped after {MAX_PAGES} pages: Shopify's cursor never ended.")
        now = clock()
        async with in_transaction() as conn:
            await store_page(shop, page)  # a savepoint inside the page's transaction
            run.cursor = cursor if more else None  # type: ignore[assignment]
            run.pages += 1
            run.contracts += len(page.contracts)
            run.skipped += page.skipped
            run.cost += _spent(cost)
            run.customers = await Customer.filter(shop_id=shop.id).using_db(conn).count()
            run.updated_at = now
            if not more:
                run.status, run.finished_at = imports.DONE, now
            await imports.save_page(run, conn)
        state = SyncProgress(
            shop=shop.domain, pages=run.pages, contracts=run.contracts,
            customers=run.customers, skipped=run.skipped, done=not more,
        )
        if progress is not None:
            progress(state)
        if not more:
            return state
        wait = pause_for_bucket(cost)
        if wait > 0:
            run.waited_seconds += wait
            await sleep(wait)
