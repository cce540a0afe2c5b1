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
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from tortoise.expressions import Q, RawSQL
from tortoise.functions import Lower
from tortoise.queryset import QuerySet

from shopify_app.api.parameters import single
from shopify_app.errors import BadRequest
from shopify_app.storage.models import Customer

Params = Sequence[tuple[str, str]]
DEFAULT_SIZE = 10  # Appstle: `page=0&size=10&sort=id,desc`
MAX_SIZE = 100
MAX_PAGE = 10**7
MAX_SORTS = 5
MAX_NAME_LENGTH = 255
MAX_EMAIL_LENGTH = 254
# Query parameters never copied into the `Link` header: the key is a secret.
_NOT_LINKED = frozenset({"api_key", "page", "size"})

# API field → (ordering expressions, whether NULLs exist); NULLs always sort last.
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
_NULL_FLAGS = {"email": "email", "nextOrderDate": "next_order_date",
               "lifetimeValue": "lifetime_value"}


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


def _filtered(shop_id: int, query: ListingQuery) -> QuerySet[Customer]:
    rows = Customer.filter(shop_id=shop_id).filter(
        Q(active_subscriptions__gt=0) | Q(inactive_subscriptions__gt=0)
    )
    for word in (query.name or "").split():
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if query.email:
        rows = rows.filter(email__icontains=query.email)
    if query.more_than_one_active:
        rows = rows.filter(active_subscriptions__gt=1)
    return rows


def _ordered(rows: QuerySet[Customer], sorts: Sequence[Sort]) -> QuerySet[Customer]:
    # Portable across SQLite and PostgreSQL: names compared lower-cased, amounts as numbers
    # (SQLite keeps decimals as text), NULLs last in both directions.
    rows = rows.annotate(
        sort_first_name=Lower("first_name"),
        sort_last_name=Lower("last_name"),
        sort_lifetime_value=RawSQL('CAST("lifetime_value" AS DOUBLE PRECISION)'),
        **{f"null_{column}": RawSQL(f'CASE WHEN "{column}" IS NULL THEN 1 ELSE 0 END')
           for column in _NULL_FLAGS.values()},
    )
    ordering: list[str] = []
    for sort in sorts:
        expressions, nullable = SORT_FIELDS[sort.field]
        if nullable:
            ordering.append(f"null_{_NULL_FLAGS[sort.field]}")
        ordering.extend(("-" if sort.descending else "") + e for e in expressions)
    if all(sort.field not in ("customerId", "id") for sort in sorts):
        ordering.append("customer_id")  # a total order: pages never overlap
    return rows.order_by(*ordering)


def _summary(row: Customer) -> CustomerSummary:
    name = " ".join(part for part in (row.first_name, row.last_name) if part)
    return CustomerSummary(
        customer_id=row.customer_id, name=name or None, email=row.email,
        active_subscriptions=row.active_subscriptions,
        inactive_subscriptions=row.inactive_subscriptions,
        next_order_date=row.next_order_date, lifetime_value=row.lifetime_value,
        currency=row.currency,
    )


async def list_customers(shop_id: int, query: ListingQuery) -> CustomerPage:
    """One page of the shop's subscribing customers and the total across pages."""
    rows = _filtered(shop_id, query)
    total = await rows.count()
    found: list[Customer] = []
    if query.page * query.size < total:
        found = await _ordered(rows, query.sorts).offset(query.page * query.size).limit(
            query.size
        )
    return CustomerPage([_summary(row) for row in found], total, query)


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
