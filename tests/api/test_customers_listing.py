"""`GET /api/external/v2/subscription-contract-details/customers`: Appstle's customers listing,
answered from the local mirror with Spring paging, filters, sorting and problem+json errors."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from shopify_app.api import customer_listing
from shopify_app.api.customer_listing import parse_sorts
from shopify_app.mirror.sync import sync_shop
from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID, BOB_ID, CAROL_ID, EVE_ID, OTHER_SHOP
from shopify_app.storage.db import is_postgres
from shopify_app.storage.models import Customer, Shop
from tests.api.conftest import Api
from tests.api.openapi_check import check_answer
from tests.support.store import register_shop

URL = "/api/external/v2/subscription-contract-details/customers"
DAY = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)


async def add(shop: Shop, customer_id: int, first: str = "", last: str = "",
              email: str | None = None, *, active: int = 1, inactive: int = 0,
              next_order: datetime | None = None, spent: str | None = None) -> None:
    await Customer.create(
        shop=shop, customer_id=customer_id, first_name=first, last_name=last, email=email,
        active_subscriptions=active, inactive_subscriptions=inactive,
        next_order_date=next_order, lifetime_value=Decimal(spent) if spent else None,
        currency="USD" if spent else None,
    )


async def ids(api: Api, **params: str) -> list[int]:
    response = await api.get(URL, **params)
    assert response.status_code == 200, response.text
    return [item["customerId"] for item in response.json()]


def links(response: httpx.Response) -> dict[str, dict[str, str]]:
    """rel → the link's query parameters."""
    found = {}
    for target, rel in re.findall(r'<([^>]*)>; rel="(\w+)"', response.headers["link"]):
        assert urlsplit(target).path == URL
        found[rel] = dict(parse_qsl(urlsplit(target).query))
    return found


async def test_after_sync_the_demo_customers_are_listed(api: Api) -> None:
    await sync_shop(api.app.state.app_state.admin, api.shop)
    calls = len(api.shopify.requests)

    response = await api.get(URL)

    assert response.status_code == 200
    assert len(api.shopify.requests) == calls  # answered locally
    assert response.headers["x-total-count"] == "4"
    assert response.headers["cache-control"] == "no-store"
    assert "ratelimit-remaining" in response.headers
    body = response.json()
    # Appstle's default order: `id,desc`
    assert [c["customerId"] for c in body] == [EVE_ID, CAROL_ID, BOB_ID, ALICE_ID]
    alice = body[3]
    next_order = api.store.contracts[8100000000001].terms.next_billing_date
    assert alice == {
        "customerId": ALICE_ID, "name": "Alice Martin", "email": ALICE_EMAIL,
        "activeSubscriptions": 1, "nextOrderDate": next_order.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "inActiveSubscriptions": 1, "lifetimeValue": 138.91, "currency": "USD",
    }
    assert body[1]["nextOrderDate"] is None  # Carol: only a cancelled contract
    # The OpenAPI document describes it.
    document = (await api.client.get("/api/external/v2/openapi.json")).json()
    check_answer(document, URL, "get", response)


async def test_only_the_callers_shop_and_only_subscribers(api: Api) -> None:
    other = await register_shop(api.store, OTHER_SHOP)
    await add(api.shop, 1, "Mine", email="a@example.com")
    await add(api.shop, 2, "Lapsed", active=0, inactive=0)  # no contract: not a subscriber
    await add(other, 3, "Theirs", email="a@example.com")
    assert await ids(api) == [1]
    assert await ids(api, email="a@example.com") == [1]


@pytest.fixture
async def people(api: Api) -> Api:
    await add(api.shop, 10, "Alice", "Martin", "alice@example.com", active=2,
              next_order=DAY + timedelta(days=3), spent="100.00")
    await add(api.shop, 11, "bob", "Marley", "bob@shop.test", active=1,
              next_order=DAY, spent="20.5")
    await add(api.shop, 12, "Carol", "Smith", None, active=0, inactive=2, spent="9.99")
    await add(api.shop, 13, "Zoë", "100% Pure_Tea", "zoe@example.com", active=3, inactive=1,
              next_order=DAY + timedelta(days=1))
    await add(api.shop, 14, "", "", "nameless@example.com", active=1)
    return api


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [10, 11, 12, 13, 14]),
        ({"name": "alice"}, [10]),
        ({"name": "MAR"}, [10, 11]),  # first or last name, any case
        ({"name": "ali mart"}, [10]),  # every word, across first and last name
        ({"name": "ali smith"}, []),
        ({"name": "MARTIN alice"}, [10]),  # words in any order
        ({"name": "tea"}, [13]),  # within a last name of several words
        ({"name": "e m"}, [10, 11]),  # one-letter words (no trigram: not the index's business)
        ({"name": "cemar"}, []),  # never across the first and the last name
        ({"name": "%"}, [13]),  # LIKE wildcards are literal
        ({"name": "_"}, [13]),
        ({"name": "  "}, [10, 11, 12, 13, 14]),  # blank: no filter
        ({"email": "EXAMPLE.COM"}, [10, 13, 14]),
        ({"email": "shop.test"}, [11]),
        ({"activeMoreThanOneSubscription": "true"}, [10, 13]),
        ({"activeMoreThanOneSubscription": "FALSE"}, [10, 11, 12, 13, 14]),
        ({"activeMoreThanOneSubscription": "true", "name": "zo"}, [13]),
    ],
)
async def test_filters(people: Api, params: dict[str, str], expected: list[int]) -> None:
    response = await people.get(URL, sort="customerId", **params)
    assert [item["customerId"] for item in response.json()] == expected
    # The total: counted, or (PostgreSQL, no text filter) read from the trigger's counter.
    assert response.headers["x-total-count"] == str(len(expected))


@pytest.mark.parametrize(
    ("sorts", "expected"),
    [
        (["name,asc"], [14, 10, 11, 12, 13]),  # lower-cased: "bob" among capitals
        (["name,desc"], [13, 12, 11, 10, 14]),
        (["name"], [14, 10, 11, 12, 13]),
        (["customerId,desc"], [14, 13, 12, 11, 10]),
        (["nextOrderDate,asc"], [11, 13, 10, 12, 14]),  # no date: last, both ways
        (["nextOrderDate,desc"], [10, 13, 11, 12, 14]),
        (["lifetimeValue,desc"], [10, 11, 12, 13, 14]),  # as numbers: 100 > 20.5 > 9.99
        (["lifetimeValue,asc"], [12, 11, 10, 13, 14]),
        (["email,asc"], [10, 11, 14, 13, 12]),
        (["activeSubscriptions,desc", "name,asc"], [13, 10, 14, 11, 12]),
        (["inActiveSubscriptions,desc,", "customerId,desc"], [12, 13, 14, 11, 10]),
        (["activeSubscriptions,inActiveSubscriptions,desc"], [13, 10, 11, 14, 12]),
        (["", "customerId"], [10, 11, 12, 13, 14]),  # empty values ignored
        (["id,desc"], [14, 13, 12, 11, 10]),  # Appstle's name of the customer id
        (["id"], [10, 11, 12, 13, 14]),
    ],
)
async def test_sorting(people: Api, sorts: list[str], expected: list[int]) -> None:
    response = await people.client.get(URL, params=[("sort", s) for s in sorts],
                                       headers=people.headers())
    assert response.status_code == 200, response.text
    assert [item["customerId"] for item in response.json()] == expected


async def test_paging_covers_every_customer_once_with_links(api: Api) -> None:
    for n in range(45):
        await add(api.shop, 1000 + n, f"Person{n:02d}", email=f"p{n}@example.com")
    seen: list[int] = []
    for page in range(3):
        response = await api.get(URL, page=str(page), size="20", sort="name,desc",
                                 email="example")
        assert response.headers["x-total-count"] == "45"
        seen += [item["customerId"] for item in response.json()]
        rels = links(response)
        assert rels["first"] == {"email": "example", "sort": "name,desc", "page": "0",
                                 "size": "20"}
        assert rels["last"]["page"] == "2"
        assert rels.get("next", {}).get("page") == (str(page + 1) if page < 2 else None)
        assert rels.get("prev", {}).get("page") == (str(page - 1) if page > 0 else None)
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 45
    beyond = await api.get(URL, page="3", size="20")
    assert beyond.status_code == 200 and beyond.json() == []
    assert links(beyond)["prev"]["page"] == "2"
    default = await api.get(URL)
    # Appstle's defaults: 10 a page, `id,desc`
    assert len(default.json()) == 10 and links(default)["last"]["size"] == "10"
    assert [c["customerId"] for c in default.json()] == seen[:10]


async def test_deep_pages_read_the_ids_first_in_the_same_order(
    api: Api, database: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On PostgreSQL a page far enough down reads its ids from the sort index, then their rows:
    the same customers in the same order as a direct read, for every sort, ties and empty
    values included, never another shop's customer with the same id."""
    if not is_postgres(database):
        pytest.skip("the ids-first read is PostgreSQL's")
    other = await Shop.create(domain="other-deep.myshopify.com", installed_at=DAY)
    for n in range(30):
        await add(api.shop, 500 + n, ["Ann", "bob", "Ann", "Cy"][n % 4], f"L{n % 3}",
                  None if n % 5 == 0 else f"c{n % 7}@example.com", active=n % 3,
                  inactive=1 if n % 4 == 0 else 0,
                  next_order=None if n % 6 == 0 else DAY + timedelta(days=n % 4),
                  spent=None if n % 8 == 0 else str(n % 5))
        await add(other, 500 + n, "Zed", email=f"z{n}@example.com", active=2)
    subscribers = {500 + n for n in range(30) if n % 3 or n % 4 == 0}

    async def walk(deep_offset: int, params: dict[str, str]) -> list[int]:
        # The service itself: the walks' hundreds of pages would outrun the key's rate limit.
        monkeypatch.setattr(customer_listing, "DEEP_OFFSET", deep_offset)
        seen: list[int] = []
        for page in range(5):
            query = customer_listing.parse_query([*params.items(), ("page", str(page)),
                                                  ("size", "7")])
            found = await customer_listing.list_customers(api.shop.pk, query)
            seen += [customer.customer_id for customer in found.items]
        return seen

    for field in customer_listing.SORT_FIELDS:
        for direction in ("asc", "desc"):
            for extra in ({}, {"activeMoreThanOneSubscription": "true"}):
                params = {"sort": f"{field},{direction}", **extra}
                caplog.clear()
                with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
                    deep = await walk(0, params)
                assert any("JOIN (" in r.getMessage() for r in caplog.records), params
                direct = await walk(10**9, params)
                assert deep == direct, params
                expected = subscribers if not extra else {
                    500 + n for n in range(30) if n % 3 == 2}
                assert len(deep) == len(expected) and set(deep) == expected, params


async def test_an_empty_listing_has_one_page(api: Api) -> None:
    response = await api.get(URL)
    assert response.json() == [] and response.headers["x-total-count"] == "0"
    assert set(links(response)) == {"first", "last"}


async def test_the_deprecated_key_parameter_never_reaches_the_links(api: Api) -> None:
    await add(api.shop, 1, "A")
    response = await api.client.get(URL, params={"api_key": api.key, "size": "1"})
    assert response.status_code == 200
    assert response.headers["deprecation"] == "true"
    assert api.key not in response.headers["link"] and "api_key" not in response.headers["link"]


@pytest.mark.parametrize(
    ("params", "parameter", "code"),
    [
        ([("page", "-1")], "page", "invalid_parameter"),
        ([("page", "abc")], "page", "invalid_parameter"),
        ([("page", "1e3")], "page", "invalid_parameter"),
        ([("page", "99999999999999999999")], "page", "invalid_parameter"),
        ([("page", "\u0661")], "page", "invalid_parameter"),  # Arabic-Indic digit one
        ([("size", "0")], "size", "invalid_parameter"),
        ([("size", "101")], "size", "invalid_parameter"),
        ([("size", "2"), ("size", "3")], "size", "ambiguous_parameter"),
        ([("sort", "password,asc")], "sort", "invalid_parameter"),
        ([("sort", "name,sideways")], "sort", "invalid_parameter"),
        ([("sort", "asc")], "sort", "invalid_parameter"),
        ([("sort", "name")] * 6, "sort", "invalid_parameter"),
        ([("activeMoreThanOneSubscription", "yes")], "activeMoreThanOneSubscription",
         "invalid_parameter"),
        ([("name", "a\x00b")], "name", "invalid_parameter"),
        ([("name", "x" * 256)], "name", "invalid_parameter"),
        ([("name", "a"), ("name", "b")], "name", "ambiguous_parameter"),
        ([("email", "e" * 255)], "email", "invalid_parameter"),
    ],
)
async def test_bad_parameters_are_problems(
    api: Api, params: list[tuple[str, str]], parameter: str, code: str
) -> None:
    response = await api.client.get(URL, params=params, headers=api.headers())
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["parameter"], body["status"]) == (code, parameter, 400)
    assert "ratelimit-limit" in response.headers


@pytest.mark.parametrize(
    ("key", "code"), [(None, "missing_api_key"), ("sk_nope", "invalid_api_key")]
)
async def test_the_key_is_required(api: Api, key: str | None, code: str) -> None:
    headers = {"X-API-Key": key} if key else {}
    response = await api.client.get(URL, headers=headers)
    assert response.status_code == 401 and response.json()["code"] == code


async def test_a_page_costs_the_same_queries_whatever_its_size(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(30):
        await add(api.shop, 2000 + n, f"N{n}", next_order=DAY, spent="1")
    await api.get(URL)  # the key is cached, the limiter warm
    await api.get(URL)  # the change signal has seen the limiter's write (storage/signals.py)

    async def queries(size: str) -> int:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            response = await api.get(URL, size=size, sort="lifetimeValue,desc")
        assert len(response.json()) == int(size)
        # The listing's own queries; the guard's (key, change signal) come and go with caches.
        tables = ("FROM CUSTOMERS", "FROM SHOP_SUBSCRIBER_COUNTS")
        return sum(1 for r in caplog.records
                   if any(t in r.getMessage().upper().replace('"', "") for t in tables))

    small, large = await queries("2"), await queries("30")
    assert small == large == 2  # the count and the page


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["name"], [("name", False)]),
        (["name,DESC"], [("name", True)]),
        (["name , asc"], [("name", False)]),
        (["name,email,desc"], [("name", True), ("email", True)]),
        (["name,desc", "name,asc"], [("name", True)]),  # the first mention wins
        ([], [("customerId", True)]),  # Appstle's default: `id,desc`
    ],
)
def test_parse_sorts(values: list[str], expected: list[tuple[str, bool]]) -> None:
    assert [(s.field, s.descending) for s in parse_sorts(values)] == expected
