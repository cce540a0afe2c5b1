"""Reading subscriptions through the extension's backend, and who is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.sandbox.demo import (
    ALICE_ACTIVE_CONTRACT_ID,
    ALICE_ID,
    ALICE_PAUSED_CONTRACT_ID,
    BOB_CONTRACT_ID,
    OLGA_CONTRACT_ID,
    OTHER_SHOP,
)
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.portal.customer_account.conftest import API, Extension, session_token

INVALID = "invalid_session_token"


async def test_the_list_has_the_customers_subscriptions_with_line_titles(
    extension: Extension, store: Any
) -> None:
    response = await extension.get("/subscriptions")
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    by_id = {s["id"]: s for s in body["subscriptions"]}
    assert set(by_id) == {ALICE_ACTIVE_CONTRACT_ID, ALICE_PAUSED_CONTRACT_ID}
    active = by_id[ALICE_ACTIVE_CONTRACT_ID]
    titles = [line.title for line in store.contracts[ALICE_ACTIVE_CONTRACT_ID].terms.lines]
    assert [line["title"] for line in active["lines"]] == titles and titles
    assert active["status"] == "ACTIVE"
    assert "pause" in active["actions"] and "resume" not in active["actions"]
    assert "resume" in by_id[ALICE_PAUSED_CONTRACT_ID]["actions"]
    assert body["customer"]["firstName"] == "Alice"


async def test_one_subscription_with_its_upcoming_orders(extension: Extension) -> None:
    response = await extension.get(f"/subscriptions/{ALICE_ACTIVE_CONTRACT_ID}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["subscription"]["id"] == ALICE_ACTIVE_CONTRACT_ID
    assert body["subscription"]["upcoming"], "upcoming orders are listed"
    assert {"key": "WEEK:2", "interval": "WEEK", "count": 2} in body["frequencies"]


@pytest.mark.parametrize(
    "contract",
    [BOB_CONTRACT_ID, OLGA_CONTRACT_ID, 999999999, "0", "12abc", "-1", "9" * 5000],
)
async def test_another_customers_contract_answers_like_a_missing_one(
    extension: Extension, contract: int | str
) -> None:
    response = await extension.get(f"/subscriptions/{contract}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "contract_not_found"
    assert response.headers["access-control-allow-origin"] == "*"


async def test_the_shop_of_the_token_is_the_shop_served(
    http: httpx.AsyncClient, shop: Shop, store: Any
) -> None:
    """A token of another shop names that shop: Alice's id there finds nothing of this one."""
    token = session_token(ALICE_ID, shop=OTHER_SHOP)
    response = await http.get(f"{API}/subscriptions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["code"] == "shop_not_installed"


def _bearer(**kwargs: Any) -> Callable[[], dict[str, str]]:
    """Headers made when the test runs, not when it is collected: a token made at collection
    would expire before a test that runs minutes later in a long session."""
    return lambda: {"Authorization": f"Bearer {session_token(**kwargs)}"}


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        (lambda: {}, 401, "missing_session_token"),
        (lambda: {"Authorization": ""}, 401, "missing_session_token"),
        (lambda: {"Authorization": "Basic abc"}, 401, "invalid_session_token"),
        (lambda: {"Authorization": "Bearer "}, 401, "invalid_session_token"),
        (lambda: {"Authorization": "Bearer not-a-token"}, 401, "invalid_session_token"),
        (_bearer(customer_id=None), 401, "customer_required"),
        (_bearer(secret="x" * 32), 401, INVALID),
        (_bearer(ttl=-60), 401, "invalid_session_token"),
    ],
)
async def test_refused_callers_get_problem_json(
    http: httpx.AsyncClient,
    shop: Shop,
    headers: Callable[[], dict[str, str]],
    status: int,
    code: str,
) -> None:
    response = await http.get(f"{API}/subscriptions", headers=headers())
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.headers["access-control-allow-origin"] == "*"


async def test_two_authorization_headers_are_refused(http: httpx.AsyncClient, shop: Shop) -> None:
    token = session_token()
    response = await http.get(
        f"{API}/subscriptions",
        headers=[("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")],
    )
    assert (response.status_code, response.json()["code"]) == (401, "invalid_session_token")


async def test_an_uninstalled_shop_is_refused(extension: Extension, shop: Shop) -> None:
    from datetime import UTC, datetime

    shop.uninstalled_at = datetime.now(UTC)
    await shop.save()
    response = await extension.get("/subscriptions")
    assert (response.status_code, response.json()["code"]) == (403, "shop_not_installed")


async def test_without_app_credentials_the_backend_says_so(
    settings: Settings, database: str
) -> None:
    app = create_app(settings.with_changes(api_key=None, api_secret=None), manage_database=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://app.test") as http:
            response = await http.get(
                f"{API}/subscriptions", headers={"Authorization": f"Bearer {session_token()}"}
            )
    assert (response.status_code, response.json()["code"]) == (503, "app_not_configured")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nothing-here", 404, "not_found"),
        ("PUT", "/subscriptions", 405, "method_not_allowed"),
        ("DELETE", f"/subscriptions/{ALICE_ACTIVE_CONTRACT_ID}", 405, "method_not_allowed"),
    ],
)
async def test_unknown_paths_and_methods_are_problem_json(
    extension: Extension, method: str, path: str, status: int, code: str
) -> None:
    response = await extension.http.request(method, f"{API}{path}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


async def test_a_query_error_on_the_customers_own_contract_is_not_hidden(
    settings: Settings, store_transport: httpx.AsyncBaseTransport, shop: Shop
) -> None:
    """Only ids the customer does not hold become "not found"; a real failure stays one."""
    from shopify_app.portal.customer_account import service
    from shopify_app.portal.customer_account.guard import AccountCustomer
    from shopify_app.portal.errors import ContractNotFound
    from shopify_app.shopify.client import AdminClient
    from shopify_app.shopify.errors import ShopifyQueryError

    customer = AccountCustomer(shop=shop, customer_id=ALICE_ID)
    failure = ShopifyQueryError("boom")
    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings)
        with pytest.raises(ShopifyQueryError):
            raise await service._missing_unless_owned(
                admin, customer, ALICE_ACTIVE_CONTRACT_ID, failure
            )
        missing = await service._missing_unless_owned(admin, customer, BOB_CONTRACT_ID, failure)
    assert isinstance(missing, ContractNotFound)
