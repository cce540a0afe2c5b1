"""Every answer says `nosniff`; a standalone HTML page (the html portal, error pages) may not be
framed; the embedded admin's shop-specific `frame-ancestors` is kept."""

from __future__ import annotations

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.storage.models import Shop
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient


async def test_the_standalone_portal_and_its_errors_cannot_be_framed(
    alice: ProxyClient, keyring: Keyring, shop: Shop
) -> None:
    await Shop.filter(pk=shop.pk).update(portal_format="html")
    page = await enter(alice, keyring, ALICE_ID)
    assert "<html" in page.lower()
    response = await alice.post("/orders", {"session": "forged"})
    assert response.status_code == 403
    for answer in (await alice.get(), response):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_an_unsigned_portal_request_gets_an_unframeable_error(
    alice: ProxyClient,
) -> None:
    response = await alice.http.get("/proxy/customer_portal")
    assert response.status_code == 401
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
