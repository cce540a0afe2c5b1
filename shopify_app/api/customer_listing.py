"""The customers listing of the external API, from the local mirror (no Admin API call).

Appstle's `subscription-contract-details/customers`, Spring-style: `page` counts from 0, `size`
defaults to 10 (at most 100), `sort=field[,asc|desc]` may repeat, by default `id,desc` (`id` is
Appstle's name of the customer id, accepted beside `customerId`). Filters: `name` (every word
found in the first or last name), `email` (contains), case-insensitive — for non-ASCII letters
only on PostgreSQL, SQLite folds ASCII only — and `activeMoreThanOneSubscription=true`. Only
customers with at least one contract are listed. Two queries a page: a count and the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from tortoise import Tortoise

from shopify_app.api.parameters import single
from shopify_app.errors import BadRequest
from shopify_app.storage.listing_indexes import SUBSCRIBER, TRIGRAM_EXPRESSIONS

Params = Sequence[tuple[str, str]]
DEFAULT_SIZE = 10  # Appstle: `page=0&size=10&sort=id,desc`
MAX_SIZE = 100
MAX_PAGE = 10**7
MAX_SORTS = 5
MAX_NAME_LENGTH = 255
MAX_EMAIL_LENGTH = 254
# From this many customers before a page, its ids are read first (`list_customers`).
DEEP_OFFSET = 1000
# SUBSCRIBER spelled so that the planner cannot match it to the sort indexes' predicate: a text
# filter's count then stays on the trigram index (`list_customers`).
_COUNTED_SUBSCRIBER = "GREATEST(active_subscriptions, inactive_subscriptions) > 0"
# Query parameters never copied into the `Link` header: the key is a secret.
_NOT_LINKED = frozenset({"api_key", "page", "size"})

# API field → (ordering columns, whether NULLs exist); NULLs always sort last.
SORT_FIELDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "customerId": (("customer_id",), False),
    "id": (("customer_id",), False),  # Appstle's documented default sorts by `id`
    "name": (("sort_first_name", "sort_last_name"), False),
    "email": (("email",), True),
    "activeSubscriptions": (("active_subscriptions",), False),
    "inActiveSubscriptions": (("inactive_subscriptions",), False),
    "nextOrderDate": (("next_order_date",), True),
    "lifetimeValue": (("sort_lifetime_value",), True),
}


class InvalidListingParameter(BadRequest):
    code = "invalid_parameter"
    title = "Invalid parameter"


def _invalid(parameter: str, detail: str) -> InvalidListingParameter:
    return InvalidListingParameter(detail, extra={"parameter": parameter})


@dataclass(frozen=True)
class Sort:
    field: str  # a key of SORT_FIELDS
    descending: bool = False


@dataclass(frozen=True)
class ListingQuery:
    page: int = 0
    size: int = DEFAULT_SIZE
    sorts: tuple[Sort, ...] = (Sort("customerId", descending=True),)  # Appstle: `id,desc`
    name: str | None = None
    email: str | None = None
    more_than_one_active: bool = False


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: int
    name: str | None
    email: str | None
    active_subscriptions: int
    inactive_subscriptions: int
    next_order_date: datetime | None
    lifetime_value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class CustomerPage:
    items: list[CustomerSummary]
    total: int
    query: ListingQuery

    @property
    def last_page(self) -> int:
        return max(0, -(-self.total // self.query.size) - 1)


def _number(params: Params, name: str, default: int, low: int, high: int) -> int:
    raw = single(params, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 9 or not low <= int(raw) <= high:
        raise _invalid(name, f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def _text(params: Params, name: str, limit: int) -> str | None:
    raw = single(params, name)
    text = raw.strip() if raw is not None else ""
    if len(text) > limit or any(not ch.isprintable() for ch in text):
        raise _invalid(name, f"{name} must be printable text of at most {limit} characters.")
    return text or None


def parse_sorts(values: Sequence[str]) -> tuple[Sort, ...]:
    """`name`, `name,desc`, `name,email,asc` (Spring: the direction applies to each field)."""
    if len(values) > MAX_SORTS:
        raise _invalid("sort", f"At most {MAX_SORTS} sort parameters.")
    sorts: list[Sort] = []
    for value in values:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        descending = False
        if parts and parts[-1].lower() in ("asc", "desc"):
            descending = parts.pop().lower() == "desc"
        if not parts:
            raise _invalid("sort", "sort must name a field, e.g. `name,asc`.")
        for field in parts:
            if field not in SORT_FIELDS:
                allowed = ", ".join(SORT_FIELDS)
                raise _invalid("sort", f"Unknown sort field {field[:40]!r}; one of {allowed}.")
            if all(sort.field != field for sort in sorts):
                sorts.append(Sort(field, descending))
    return tuple(sorts) or ListingQuery.sorts


def parse_query(params: Params) -> ListingQuery:
    """Validate the listing's query parameters (empty values count as absent)."""
    flag = (single(params, "activeMoreThanOneSubscription") or "false").lower()
    if flag not in ("true", "false"):
        raise _invalid("activeMoreThanOneSubscription",
                       "activeMoreThanOneSubscription must be true or false.")
    return ListingQuery(
        page=_number(params, "page", 0, 0, MAX_PAGE),
        size=_number(params, "size", DEFAULT_SIZE, 1, MAX_SIZE),
        sorts=parse_sorts([value for key, value in params if key == "sort" and value]),
        name=_text(params, "name", MAX_NAME_LENGTH),
        email=_text(params, "email", MAX_EMAIL_LENGTH),
        more_than_one_active=flag == "true",
    )


def _like(text: str) -> str:
    """`%text%` with LIKE's wildcards taken literally (escaped with a backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Sql:
    """One listing query's WHERE clause and parameters, in the connection's dialect."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def param(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"

    def contains(self, column: str, text: str) -> str:
        # PostgreSQL: ILIKE folds every letter and is served by the trigram indexes
        # (pg_trgm, made by `migrate`); SQLite's LIKE folds ASCII letters only.
        operator = "ILIKE" if self.postgres else "LIKE"
        return f"{column} {operator} {self.param(_like(text))} ESCAPE '\\'"


def _where(sql: _Sql, shop_id: int, query: ListingQuery, subscriber: str = SUBSCRIBER) -> str:
    clauses = [f"shop_id = {sql.param(shop_id)}", subscriber]
    for word in (query.name or "").split():
        # In the first or the last name: a word has no space, so it is found in the two
        # joined by one only where it is found in either (one trigram index on PostgreSQL).
        clauses.append(sql.contains(f"({TRIGRAM_EXPRESSIONS['name']})", word))
    if query.email:
        clauses.append(sql.contains("email", query.email))
    if query.more_than_one_active:
        clauses.append("active_subscriptions > 1")
    return " AND ".join(clauses)


def _order_by(sorts: Sequence[Sort], postgres: bool) -> str:
    """Empty values last in both directions; ties by customer id. Each order matches an index
    on PostgreSQL (`storage/listing_indexes.py`), so a page reads only its own rows."""
    terms: list[str] = []
    for sort in sorts:
        direction = "DESC" if sort.descending else "ASC"
        nulls = " NULLS LAST" if SORT_FIELDS[sort.field][1] else ""
        for expression in _SORT_SQL[sort.field](postgres):
            terms.append(f"{expression} {direction}{nulls}")
    if all(sort.field not in ("customerId", "id") for sort in sorts):
        terms.append("customer_id ASC")  # a total order: pages never overlap
    return ", ".join(terms)


_SORT_SQL: dict[str, Any] = {
    "customerId": lambda pg: ("customer_id",),
    "id": lambda pg: ("customer_id",),
    "name": lambda pg: ("lower(first_name)", "lower(last_name)"),
    "email": lambda pg: ("email",),
    "activeSubscriptions": lambda pg: ("active_subscriptions",),
    "inActiveSubscriptions": lambda pg: ("inactive_subscriptions",),
    "nextOrderDate": lambda pg: ("next_order_date",),
    # SQLite keeps decimals as text: compared as numbers there.
    "lifetimeValue": lambda pg: ("lifetime_value",) if pg else (
        "CAST(lifetime_value AS REAL)",),
}
_COLUMNS = ("customer_id, first_name, last_name, email, active_subscriptions, "
            "inactive_subscriptions, next_order_date, lifetime_value, currency")


def _summary(row: dict[str, Any]) -> CustomerSummary:
    name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
    value = row["lifetime_value"]
    moment = row["next_order_date"]
    if isinstance(moment, str):  # SQLite answers text
        moment = datetime.fromisoformat(moment)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return CustomerSummary(
        customer_id=row["customer_id"], name=name or None, email=row["email"],
        active_subscriptions=row["active_subscriptions"],
        inactive_subscriptions=row["inactive_subscriptions"],
        next_order_date=moment,
        lifetime_value=Decimal(str(value)) if value is not None else None,
        currency=row["currency"],
    )


async def list_customers(shop_id: int, query: ListingQuery) -> CustomerPage:
    """One page of the shop's subscribing customers and the total across pages: two queries,
    the count and the page (none when the page lies past the end)."""
    conn = Tortoise.get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    text_filter = bool((query.name or "").split() or query.email)
    if postgres and not text_filter:
        # No text filter: the count a trigger keeps (storage/listing_indexes.py), one row read.
        column = "multi_active" if query.more_than_one_active else "subscribers"
        counted = await conn.execute_query_dict(
            f"SELECT {column} AS total FROM shop_subscriber_counts "  # noqa: S608
            "WHERE shop_id = $1", [shop_id])
    else:
        # A text filter's matches, counted from the trigram index. The subscriber condition
        # is spelled so that it does not match the sort indexes' own (PostgreSQL then reads
        # the index alone, but tests the filter on every subscriber of the shop: 35 ms
        # instead of 12 for a broad name at 100,000 subscribers).
        count_sql = _Sql(postgres)
        where = _where(count_sql, shop_id, query, _COUNTED_SUBSCRIBER if postgres else SUBSCRIBER)
        counted = await conn.execute_query_dict(
            f"SELECT count(*) AS total FROM customers WHERE {where}",  # noqa: S608
            count_sql.values)
    total = int(counted[0]["total"]) if counted else 0
    rows: list[dict[str, Any]] = []
    skipped = query.page * query.size
    if skipped < total:
        sql = _Sql(postgres)
        where = _where(sql, shop_id, query)
        order = _order_by(query.sorts, postgres)
        limit, offset = sql.param(query.size), sql.param(skipped)
        page = f"WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        if postgres and not text_filter and skipped >= DEEP_OFFSET:
            # A deep page: its ids from the sort index alone (an index-only scan: each customer
            # before the page costs an index entry, not a table row), then their rows. A
            # shallow page is read directly: the join costs more to plan than it saves.
            rows = await conn.execute_query_dict(
                f"SELECT {_COLUMNS} FROM customers JOIN ("  # noqa: S608
                f"SELECT shop_id, customer_id FROM customers {page}"
                f") AS page USING (shop_id, customer_id) ORDER BY {order}", sql.values)
        else:
            rows = await conn.execute_query_dict(
                f"SELECT {_COLUMNS} FROM customers {page}", sql.values)  # noqa: S608
    return CustomerPage([_summary(row) for row in rows], total, query)


def pagination_links(path: str, params: Params, page: CustomerPage) -> str:
    """RFC 8288 `Link` header with `first`, `prev`, `next` and `last` (as JHipster/Appstle
    send it), keeping the caller's filters and sorting, never the `api_key`."""
    kept = [(key, value) for key, value in params if key not in _NOT_LINKED]
    size = page.query.size

    def url(number: int) -> str:
        return f"{path}?{urlencode([*kept, ('page', str(number)), ('size', str(size))])}"

    links = []
    current, last = page.query.page, page.last_page
    if current < last:
        links.append(f'<{url(current + 1)}>; rel="next"')
    if current > 0:
        links.append(f'<{url(min(current - 1, last))}>; rel="prev"')
    links.append(f'<{url(last)}>; rel="last"')
    links.append(f'<{url(0)}>; rel="first"')
    return ", ".join(links)
