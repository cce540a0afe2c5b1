"""A contract with more lines or discounts than a page reads (the contract page: 10 lines and 5
discounts, within its 60-point budget) says so: "and N more products", "and more discounts",
and no estimated total computed from a part of them."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.sandbox.records import Discount
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from
from tests.portal.test_view_costs import requested_cost


def _grow(store: Any, lines: int, discounts: int) -> None:
    terms = store.contracts[ACTIVE].terms
    first = terms.lines[0]
    terms.lines = [
        replace(first, id=f"gid://shopify/SubscriptionLine/line-{n}", title=f"Product {n}")
        for n in range(lines)
    ]
    terms.discounts = [
        Discount(
            id=f"gid://shopify/SubscriptionManualDiscount/d{n}", title=f"Offer {n}", percentage=1
        )
        for n in range(discounts)
    ]


async def _page(client: ProxyClient, keyring: Keyring) -> str:
    page = await enter(client, keyring, ALICE_ID)
    response = await client.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert response.status_code == 200, response.text
    return response.text


async def test_twelve_lines_and_six_discounts_say_how_many_more(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    _grow(store, 12, 6)
    page = await _page(alice, keyring)
    lines = re.findall(r"<strong>Product (\d+)</strong>", page)
    assert lines == [str(n) for n in range(10)]
    assert 'data-testid="more-lines">and 2 more products<' in page
    assert "Product 0 + 11 more" in page  # the heading counts every line
    discounts = re.findall(r"<li>Offer (\d+) ", page)
    assert discounts == [str(n) for n in range(5)]
    assert 'data-testid="more-discounts">and more discounts<' in page
    assert 'data-testid="estimated-total"' not in page  # never a total from a part


async def test_a_contract_within_the_limits_shows_no_more_notes(
    alice: ProxyClient, keyring: Keyring, store: Any
) -> None:
    _grow(store, 10, 5)
    page = await _page(alice, keyring)
    assert len(re.findall(r"<strong>Product (\d+)</strong>", page)) == 10
    assert "more-lines" not in page and "more-discounts" not in page
    assert "Product 0 + 9 more" in page
    assert 'data-testid="estimated-total"' in page


async def test_the_page_stays_within_its_budget(store: Any) -> None:
    _grow(store, 12, 6)
    cost = await requested_cost(
        store,
        "PortalContract",
        {
            "contractId": f"gid://shopify/SubscriptionContract/{ACTIVE}",
            "cyclesStart": "2026-03-01T00:00:00Z",
            "cyclesEnd": "2027-03-02T00:00:00Z",
        },
    )
    assert cost <= 60


async def test_french_counts(alice: ProxyClient, keyring: Keyring, store: Any) -> None:
    _grow(store, 11, 0)
    page = await enter(alice, keyring, ALICE_ID, locale="fr")
    response = await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})
    assert 'data-testid="more-lines">et 1 autre produit<' in response.text
