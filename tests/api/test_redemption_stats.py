"""Mints and redemptions land on the same `LinkStat` row (shop, key, source, day): a link
minted through the API and redeemed through the portal's POST, end to end over HTTP."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID
from shopify_app.shopify import signatures
from shopify_app.storage.models import LinkStat, PortalRedemption
from tests.api.conftest import Api
from tests.conftest import TEST_SECRET

BASE = "/api/external/v2/manage-subscription-link"


def _proxy_url(shop: str) -> str:
    """The portal's URL as Shopify's app proxy calls it, signed."""
    pairs = [("shop", shop), ("logged_in_customer_id", ""), ("path_prefix", "/tools/recurring"),
             ("timestamp", str(int(time.time())))]
    signature = signatures.sign_proxy_query(pairs, TEST_SECRET)
    return f"/proxy/customer_portal?{urlencode([*pairs, ('signature', signature)])}"


async def _redeem(api: Api, link: str) -> None:
    [token] = parse_qs(urlsplit(link).query)["token"]
    response = await api.client.post(_proxy_url(api.shop.domain), data={"token": token})
    assert response.status_code == 200, response.text[:500]


async def test_redemptions_are_counted_on_the_minting_key_and_source(api: Api) -> None:
    api.now = datetime.now(UTC)  # the portal checks the link against the real clock
    _, second_key = await api_keys.create_key(api.shop, "helpdesk")
    minted = [
        (await api.get(f"{BASE}/{ALICE_ID}", source="klaviyo-winback")).json(),
        (await api.get(f"{BASE}/{BOB_ID}", source="klaviyo-winback")).json(),
        (await api.get(f"{BASE}/{ALICE_ID}", key=second_key, source="gorgias")).json(),
        (await api.get(f"{BASE}/{BOB_ID}", key=second_key)).json(),
    ]
    await _redeem(api, minted[0]["manageSubscriptionLink"])
    await _redeem(api, minted[2]["manageSubscriptionLink"])
    await _redeem(api, minted[3]["manageSubscriptionLink"])
    await api.flush_stats()
    second_id = (await api_keys.authenticate(second_key, api.now)).id
    rows = {(r.api_key_id, r.source): (r.mints, r.redemptions)
            for r in await LinkStat.filter(shop_id=api.shop.id)}
    assert rows == {
        (api.key_id, "klaviyo-winback"): (2, 1),
        (second_id, "gorgias"): (1, 1),
        (second_id, ""): (1, 1),
    }
    audited = {(r.api_key_id, r.source) for r in await PortalRedemption.all()}
    assert audited == {(api.key_id, "klaviyo-winback"), (second_id, "gorgias"), (second_id, "")}
