"""An open portal session ends when the merchant revokes the customer's links, when the shop
uninstalls, and when the customer is redacted; a redacted customer's old links stay refused,
with no personal data kept to remember it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopify_app.install import shops
from shopify_app.links import revocation
from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.storage.models import Customer, RedactedCustomer, Shop
from shopify_app.webhooks import compliance
from shopify_app.webhooks.verification import Delivery
from tests.conftest import TEST_SECRET
from tests.portal.conftest import enter, make_token
from tests.portal.proxy_client import ProxyClient, session_from


async def _open_session(alice: ProxyClient, keyring: Keyring) -> str:
    value = session_from(await enter(alice, keyring, ALICE_ID))
    assert (await alice.post("/orders", {"session": value})).status_code == 200
    return value


async def test_revoking_a_customers_links_ends_their_open_sessions(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    value = await _open_session(alice, keyring)
    await Customer.get_or_create(shop=shop, customer_id=ALICE_ID)  # a mint made the row
    await revocation.revoke_links(shop, ALICE_ID, datetime.now(UTC) + timedelta(seconds=1))
    refused = await alice.post("/orders", {"session": value})
    assert refused.status_code == 403 and "session" in refused.text.lower()


async def test_an_uninstall_ends_every_session_even_after_a_reinstall(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    value = await _open_session(alice, keyring)
    later = datetime.now(UTC) + timedelta(seconds=1)
    await shops.uninstall(DEMO_SHOP, later)
    await Shop.filter(pk=shop.pk).update(installed_at=later, uninstalled_at=None,
                                         access_token=shop.access_token)
    refused = await alice.post("/orders", {"session": value})
    assert refused.status_code == 403


async def test_a_redacted_customer_loses_sessions_and_old_links_for_good(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    value = await _open_session(alice, keyring)
    old_link = make_token(keyring, ALICE_ID)
    redact = Delivery("customers/redact", DEMO_SHOP, "wh-r",
                      {"shop_id": 1, "shop_domain": DEMO_SHOP, "customer": {"id": ALICE_ID}},
                      secret=TEST_SECRET)
    await compliance.on_customers_redact(redact, datetime.now(UTC) + timedelta(seconds=1))
    assert not await Customer.filter(shop=shop, customer_id=ALICE_ID).exists()

    assert (await alice.post("/orders", {"session": value})).status_code == 403
    link = await alice.get(token=old_link)
    assert link.status_code >= 400 and "revoked" in link.text.lower()
    # A contract webhook brings the customer's row back: the old link stays refused.
    await Customer.create(shop=shop, customer_id=ALICE_ID)
    assert (await alice.get(token=old_link)).status_code >= 400
    # What is kept names nobody: a keyed hash, not the id.
    rows = await RedactedCustomer.all().values()
    assert len(rows) == 1
    assert not any(str(ALICE_ID) in str(v) for v in rows[0].values())
