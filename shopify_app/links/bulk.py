"""Many links in one call, for campaigns: one result per item, in order.

Items are resolved together (one query for the ids, one for the emails the app knows), so a
batch of known customers costs a few queries and no Admin API call; an unknown customer is
looked up as a single mint would. The loop yields to the event loop every `YIELD_EVERY` items,
so a 1,000-item batch never holds other requests up for long. Short links of the batch are
stored in one statement. Each item is its own mint: the same customer twice gets two links.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from shopify_app.errors import AppError, ServiceUnavailable
from shopify_app.links import customers, minting, short_links
from shopify_app.links.minting import MintedLink, Minter, MintOptions
from shopify_app.storage.models import Customer, Shop

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient

MAX_ITEMS = 1000
YIELD_EVERY = 50
_CHUNK = 500  # ids per IN (...) query


class BulkItem(NamedTuple):
    """One customer, by id or (when no id) by email, and its mint's options."""

    customer_id: int | None
    email: str | None
    options: MintOptions


class BulkResult(NamedTuple):
    item: BulkItem | None  # None: the item could not be read
    link: MintedLink | None
    error: AppError | None


@lru_cache(maxsize=4)
def _existing_ids_sql(dialect: str) -> str:
    # Written once per database kind for a full chunk (short chunks repeat their last id):
    # the ORM building an IN of 500 parameters cost ~8 us an item, more than the query.
    placeholders = [0] * _CHUNK
    return Customer.filter(shop_id=0, customer_id__in=placeholders).values_list(
        "customer_id", flat=True
    ).sql()


async def _existing_ids(shop: Shop, ids: set[int]) -> set[int]:
    """Which of `ids` the app knows as the shop's customers, `_CHUNK` per query."""
    db = Customer._meta.db
    sql = _existing_ids_sql(db.capabilities.dialect)
    found: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        chunk += [chunk[-1]] * (_CHUNK - len(chunk))
        _, rows = await db.execute_query(sql, [shop.id, *chunk])
        found.update(int(row[0]) for row in rows)
    return found


async def _local_emails(shop: Shop, emails: set[str]) -> dict[str, int]:
    """Address → customer id, for the addresses a local subscriber has (as `find_by_email`
    picks: most active, then most inactive subscriptions, then lowest id)."""
    best: dict[str, int] = {}
    ordered = sorted(emails)
    for start in range(0, len(ordered), _CHUNK):
        rows = (
            await Customer.filter(shop_id=shop.id, email__in=ordered[start : start + _CHUNK])
            .order_by("-active_subscriptions", "-inactive_subscriptions", "customer_id")
        )
        for row in rows:
            if row.email and row.active_subscriptions + row.inactive_subscriptions > 0:
                best.setdefault(row.email, row.customer_id)
    return best


def _email(item: BulkItem) -> str | None:
    try:
        return customers.normalise_email(item.email) if item.email is not None else None
    except AppError:
        return None


async def mint_many(
    admin: AdminClient, shop: Shop, items: Sequence[BulkItem | AppError], minter: Minter, *,
    now: datetime,
) -> list[BulkResult]:
    """A link (or the item's error) for every item. A shop whose portal cannot be reached
    fails the whole batch (`portal_not_configured`) before anything is minted."""
    base = minting.portal_url(shop)
    wanted = [i for i in items if isinstance(i, BulkItem)]
    existing = await _existing_ids(shop, {i.customer_id for i in wanted if i.customer_id})
    by_email = await _local_emails(shop, {e for i in wanted if (e := _email(i)) is not None})
    shopify_down: ServiceUnavailable | None = None
    checked: set[MintOptions] = set()  # a campaign repeats one set of options
    results: list[BulkResult] = []
    for index, item in enumerate(items):
        if index and index % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        if not isinstance(item, BulkItem):
            results.append(BulkResult(None, None, item))
            continue
        try:
            if item.options not in checked:
                minting.check_options(item.options)
                checked.add(item.options)
            customer_id = item.customer_id
            if customer_id is None:
                assert item.email is not None
                customer_id = by_email.get(customers.normalise_email(item.email))
            needs_shopify = customer_id is None or customer_id not in existing
            if needs_shopify and shopify_down is not None:
                raise shopify_down  # one outage answer per batch, not a retry per item
            if customer_id is None:
                assert item.email is not None
                customer_id = (await customers.find_by_email(admin, shop, item.email)).customer_id
            elif needs_shopify:
                await customers.ensure_known(admin, shop, customer_id, known=minter.known, now=now)
            existing.add(customer_id)
            link = await minting.issue_link(shop, base, customer_id, item.options, minter, now=now)
            results.append(BulkResult(item, link, None))
        except ServiceUnavailable as exc:
            shopify_down = exc
            results.append(BulkResult(item, None, exc))
        except AppError as exc:
            results.append(BulkResult(item, None, exc))
    return await _with_short_links(shop, base, results)


async def _with_short_links(
    shop: Shop, base: str, results: list[BulkResult]
) -> list[BulkResult]:
    wanted = [
        index for index, r in enumerate(results)
        if r.link is not None and r.item is not None and r.item.options.short
    ]
    if not wanted:
        return results
    links = [results[index].link for index in wanted]
    codes = await short_links.create_many(
        shop, [short_links.ShortLinkRequest(link.token, link.expires_at) for link in links if link]
    )
    for index, code in zip(wanted, codes, strict=True):
        result = results[index]
        assert result.link is not None
        link = result.link._replace(short_url=short_links.short_url(base, code))
        results[index] = result._replace(link=link)
    return results
