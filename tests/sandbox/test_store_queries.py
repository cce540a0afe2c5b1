"""Reads from the simulated store, through the app's own operations."""

from __future__ import annotations

import httpx
import pytest

from shopify_app.sandbox import demo
from shopify_app.sandbox.records import gid
from shopify_app.sandbox.store import SimulatedStore
from tests.sandbox.conftest import Admin


def customer_gid(customer_id: int) -> str:
    return gid("Customer", customer_id)


def contract_gid(contract_id: int) -> str:
    return gid("SubscriptionContract", contract_id)


async def test_shop_info(admin: Admin, other_admin: Admin) -> None:
    shop = (await admin.run("ShopInfo"))["shop"]
    assert shop == {
        "name": demo.DEMO_SHOP_NAME,
        "myshopifyDomain": demo.DEMO_SHOP,
        "primaryDomain": {
            "host": demo.DEMO_PRIMARY_DOMAIN,
            "url": f"https://{demo.DEMO_PRIMARY_DOMAIN}",
        },
        "ianaTimezone": demo.DEMO_TIMEZONE,
        "currencyCode": "USD",
    }
    other = (await other_admin.run("ShopInfo"))["shop"]
    assert other["primaryDomain"]["host"] == demo.OTHER_SHOP


async def test_customer_by_id_with_contracts(admin: Admin) -> None:
    customer = (await admin.run("CustomerById", id=customer_gid(demo.ALICE_ID)))["customer"]
    assert customer["displayName"] == "Alice Martin"
    assert customer["defaultEmailAddress"] == {"emailAddress": demo.ALICE_EMAIL}
    statuses = [c["status"] for c in customer["subscriptionContracts"]["nodes"]]
    assert statuses == ["ACTIVE", "PAUSED"]


@pytest.mark.parametrize(
    "customer_id",
    [demo.OLGA_ID, 999, 0],
    ids=["other-shop", "unknown", "zero"],
)
async def test_customer_outside_the_shop_is_null(admin: Admin, customer_id: int) -> None:
    assert (await admin.run("CustomerById", id=customer_gid(customer_id)))["customer"] is None


async def test_customer_id_of_another_kind_is_null(admin: Admin) -> None:
    data = await admin.run("CustomerById", id=gid("Order", demo.ALICE_ID))
    assert data["customer"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("email:alice@example.com", [demo.ALICE_ID]),
        ("email:ALICE@Example.COM", [demo.ALICE_ID]),
        ('email:"bob@example.com"', [demo.BOB_ID]),
        ("email:olga@example.com", []),  # another shop's customer
        ("email:nobody@example.com", []),
        ("Martin", [demo.ALICE_ID]),
    ],
)
async def test_customers_by_email(admin: Admin, query: str, expected: list[int]) -> None:
    nodes = (await admin.run("CustomersByEmail", query=query))["customers"]["nodes"]
    assert [n["id"] for n in nodes] == [customer_gid(i) for i in expected]


async def test_same_email_in_each_shop_stays_apart(other_admin: Admin) -> None:
    data = await other_admin.run("CustomersByEmail", query=f"email:{demo.ALICE_EMAIL}")
    assert [n["id"] for n in data["customers"]["nodes"]] == [customer_gid(demo.OTHER_ALICE_ID)]


async def test_portal_overview(admin: Admin) -> None:
    customer = (await admin.run("PortalOverview", customerId=customer_gid(demo.ALICE_ID)))[
        "customer"
    ]
    active, paused = customer["subscriptionContracts"]["nodes"]
    assert customer["subscriptionContracts"]["pageInfo"]["hasNextPage"] is False
    assert (active["status"], paused["status"]) == ("ACTIVE", "PAUSED")
    assert active["nextBillingDate"] == "2026-03-15T12:00:00Z"
    assert active["billingPolicy"] == {"interval": "MONTH", "intervalCount": 1}
    first_line = active["lines"]["nodes"][0]
    assert first_line["currentPrice"] == {"amount": "24.0", "currencyCode": "USD"}
    assert first_line["id"] == demo.line_id(demo.ALICE_ACTIVE_CONTRACT_ID, 1)
    assert active["lines"]["pageInfo"]["hasNextPage"] is False
    assert active["discounts"]["nodes"][0]["value"] == {
        "__typename": "SubscriptionDiscountPercentageValue",
        "percentage": 10,
    }


async def test_portal_orders(admin: Admin) -> None:
    customer = (await admin.run("PortalOrders", customerId=customer_gid(demo.ALICE_ID)))[
        "customer"
    ]
    orders = customer["orders"]["nodes"]
    assert [o["name"] for o in orders] == ["#1003", "#1002", "#1001"]  # newest first
    assert orders[0]["totalPriceSet"]["shopMoney"] == {"amount": "43.11", "currencyCode": "USD"}


async def test_injection_names_are_returned_verbatim(admin: Admin) -> None:
    customer = (await admin.run("CustomerById", id=customer_gid(demo.EVE_ID)))["customer"]
    assert customer["firstName"] == "{{ shop.name }}"
    assert customer["lastName"] == "<script>alert(1)</script>"


async def test_portal_contract_with_upcoming_cycles(admin: Admin) -> None:
    data = await admin.run(
        "PortalContract",
        contractId=contract_gid(demo.ALICE_ACTIVE_CONTRACT_ID),
        cyclesStart="2026-03-10T09:00:00Z",
        cyclesEnd="2027-03-10T09:00:00Z",
    )
    assert data["subscriptionContract"]["customer"]["id"] == customer_gid(demo.ALICE_ID)
    cycles = data["subscriptionBillingCycles"]["nodes"]
    assert [c["cycleIndex"] for c in cycles] == [4, 5, 6, 7, 8, 9]  # `first: 6`
    assert [c["billingAttemptExpectedDate"][:10] for c in cycles[:3]] == [
        "2026-03-15",
        "2026-04-15",
        "2026-05-15",
    ]
    assert not any(c["skipped"] for c in cycles)
    assert {c["status"] for c in cycles} == {"UNBILLED"}


async def test_other_shops_contract_is_null(admin: Admin) -> None:
    response = await admin.post(
        "query($id: ID!) { subscriptionContract(id: $id) { id } }",
        {"id": contract_gid(demo.OLGA_CONTRACT_ID)},
    )
    assert response.json()["data"] == {"subscriptionContract": None}


async def test_billing_cycles_need_exactly_one_selector(admin: Admin) -> None:
    response = await admin.post(
        "query($id: ID!) { subscriptionBillingCycles(contractId: $id, first: 3) "
        "{ nodes { cycleIndex } } }",
        {"id": contract_gid(demo.BOB_CONTRACT_ID)},
    )
    assert "exactly one" in response.json()["errors"][0]["message"].lower()


async def test_index_range_includes_billed_cycles(admin: Admin) -> None:
    response = await admin.post(
        "query($id: ID!) { subscriptionBillingCycles(contractId: $id, first: 10, "
        "billingCyclesIndexRangeSelector: {startIndex: 0, endIndex: 5}) "
        "{ nodes { cycleIndex status } } }",
        {"id": contract_gid(demo.ALICE_ACTIVE_CONTRACT_ID)},
    )
    nodes = response.json()["data"]["subscriptionBillingCycles"]["nodes"]
    assert [(n["cycleIndex"], n["status"]) for n in nodes] == [
        (1, "BILLED"),
        (2, "BILLED"),
        (3, "BILLED"),
        (4, "UNBILLED"),
        (5, "UNBILLED"),
    ]


async def test_pagination(admin: Admin) -> None:
    query = (
        "query($after: String) { subscriptionContracts(first: 2, after: $after) "
        "{ pageInfo { hasNextPage endCursor } nodes { id } } }"
    )
    seen: list[str] = []
    after = None
    for _ in range(10):
        page = (await admin.post(query, {"after": after})).json()["data"]["subscriptionContracts"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 5  # the demo shop's contracts, none of the other shop's
    assert len(set(seen)) == 5


@pytest.mark.parametrize(
    ("token", "status"),
    [("", 401), ("wrong", 401), (demo.OTHER_ACCESS_TOKEN, 401), (demo.DEMO_ACCESS_TOKEN, 200)],
)
async def test_access_token_is_required(
    store_client: httpx.AsyncClient, token: str, status: int
) -> None:
    response = await store_client.post(
        f"/shops/{demo.DEMO_SHOP}/admin/api/2026-01/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": token},
    )
    assert response.status_code == status


async def test_unknown_shop_is_404(store_client: httpx.AsyncClient) -> None:
    response = await store_client.post(
        "/shops/nope.myshopify.com/admin/api/2026-01/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": demo.DEMO_ACCESS_TOKEN},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    ["{ shop { nope } }", "{ shop { name ", "{ customers(first: 1) { nodes { email } } }"],
    ids=["unknown-field", "syntax", "outside-the-subset"],
)
async def test_invalid_queries_answer_errors(admin: Admin, query: str) -> None:
    response = await admin.post(query)
    assert response.status_code == 200
    assert response.json()["errors"]


async def test_responses_carry_cost_and_throttle_status(admin: Admin) -> None:
    body = (await admin.post("{ shop { name primaryDomain { host } } }")).json()
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0


async def test_nodes_by_id_cost_their_objects_per_id(admin: Admin) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on ProductVariant { product { id } } } }"
    for count in (1, 5):
        ids = [f"gid://shopify/ProductVariant/{n}" for n in range(count)]
        body = (await admin.post(query, {"ids": ids})).json()
        assert body["extensions"]["cost"]["requestedQueryCost"] == 2 * count


async def test_queries_over_the_cost_cap_are_refused(admin: Admin) -> None:
    query = (
        "{ customers(first: 250) { nodes { subscriptionContracts(first: 250) "
        "{ nodes { billingPolicy { interval } } } } } }"
    )
    error = (await admin.post(query)).json()["errors"][0]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"


async def test_every_call_is_recorded(admin: Admin, store: SimulatedStore) -> None:
    await admin.run("ShopInfo")
    assert store.requests[-1] == (demo.DEMO_SHOP, "ShopInfo")
