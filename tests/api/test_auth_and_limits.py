from __future__ import annotations

from datetime import timedelta

import pytest

from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_EMAIL, ALICE_ID, OTHER_SHOP
from shopify_app.storage.models import ApiKey, Customer, LinkStat
from tests.api.conftest import Api
from tests.support.store import register_shop

BASE = "/api/external/v2/manage-subscription-link"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"X-API-Key": ""}, "missing_api_key"),
        ({"X-API-Key": "   "}, "missing_api_key"),
        ({"X-API-Key": "ssp_deadbeef_" + "x" * 43}, "invalid_api_key"),
        ({"X-API-Key": "sk_live_whatever"}, "invalid_api_key"),
    ],
)
async def test_missing_and_unknown_keys_are_401(
    api: Api, headers: dict[str, str], code: str
) -> None:
    response = await api.client.get(f"{BASE}/{ALICE_ID}", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == code
    assert response.headers["www-authenticate"].startswith("ApiKey")
    assert response.headers["content-type"] == "application/problem+json"
    assert api.key not in response.text


async def test_a_revoked_key_stops_working(api: Api) -> None:
    await api_keys.revoke(api.key_id, api.now)
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_a_revoked_key_is_refused_once_its_cache_entry_ages_out(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    await api_keys.revoke(api.key_id, api.now)  # another process: this app's cache holds it
    api.now += timedelta(seconds=11)
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_the_key_of_an_uninstalled_shop_is_refused(api: Api) -> None:
    api.shop.uninstalled_at = api.now
    await api.shop.save()
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "shop_uninstalled"


async def test_the_deprecated_query_parameter_works_and_says_so(api: Api) -> None:
    response = await api.client.get(BASE, params={"customerId": str(ALICE_ID), "api_key": api.key})
    assert response.status_code == 200
    assert response.headers["deprecation"] == "true"
    assert "sunset" in response.headers and 'rel="deprecation"' in response.headers["link"]
    bad = await api.client.get(BASE, params={"customerId": str(ALICE_ID), "api_key": "nope"})
    assert bad.status_code == 401 and bad.headers["deprecation"] == "true"
    twice = await api.client.get(f"{BASE}?customerId={ALICE_ID}&api_key={api.key}&api_key=x")
    assert twice.status_code == 400 and twice.json()["code"] == "ambiguous_parameter"


async def test_last_used_is_recorded(api: Api) -> None:
    await api.get(f"{BASE}/{ALICE_ID}")
    assert (await ApiKey.get(id=api.key_id)).last_used_at == api.now


async def test_a_key_of_shop_b_cannot_mint_for_shop_a(api: Api) -> None:
    other = await register_shop(api.store, OTHER_SHOP)
    _, other_key = await api_keys.create_key(other, "b")
    response = await api.get(f"{BASE}/{ALICE_ID}", key=other_key)
    assert response.status_code == 404 and response.json()["code"] == "customer_not_found"
    by_email = await api.get(BASE, key=other_key, emailId=ALICE_EMAIL)
    # The other shop has its own Alice (same email): the link is for *that* customer.
    assert by_email.status_code == 200
    assert await Customer.filter(shop_id=api.shop.id).count() == 0


async def test_rate_limit_429_with_headers(api: Api) -> None:
    api.shop.mint_rate_limit = 3
    await api.shop.save()
    api.now = api.now.replace(second=15)
    remaining = []
    for _ in range(3):
        response = await api.get(f"{BASE}/{ALICE_ID}")
        assert response.status_code == 200
        remaining.append(response.headers["ratelimit-remaining"])
    assert remaining == ["2", "1", "0"]
    limited = await api.get(f"{BASE}/{ALICE_ID}")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["content-type"] == "application/problem+json"
    assert limited.headers["retry-after"] == "45"
    assert limited.headers["ratelimit-limit"] == "3"
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.headers["ratelimit-reset"] == "45"
    api.now += timedelta(seconds=45)
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200


async def test_errors_after_authentication_carry_rate_limit_headers(api: Api) -> None:
    response = await api.get(BASE)
    assert response.status_code == 400 and response.headers["ratelimit-limit"] == "120"


@pytest.mark.parametrize("fault", ["http_500", "http_503", "http_429", "throttled"])
async def test_shopify_failing_during_lookup_is_503_and_records_nothing(
    api: Api, fault: str
) -> None:
    api.store.faults.push(None, fault, times=5)
    for response in (await api.get(f"{BASE}/{ALICE_ID}"), await api.get(BASE, emailId=ALICE_EMAIL)):
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "shopify_unavailable"
        assert int(response.headers["retry-after"]) >= 1
    await api.flush_stats()
    assert await Customer.all().count() == 0
    assert await LinkStat.all().count() == 0


@pytest.mark.parametrize("fault", ["http_500", "http_429", "throttled"])
async def test_shopify_failing_during_a_revoke_lookup_is_503_and_records_nothing(
    api: Api, fault: str
) -> None:
    api.store.faults.push(None, fault, times=5)
    response = await api.client.post(f"{BASE}/revoke?customerId={ALICE_ID}",
                                     headers=api.headers())
    assert response.status_code == 503 and response.json()["code"] == "shopify_unavailable"
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-limit"] == "120"
    assert await Customer.all().count() == 0


@pytest.mark.parametrize(
    "sent",
    ["ssp_deadbeef_" + "S3cr3tPart" * 4, "ssp_" + "Z" * 120, "sk_live_S3cr3tPart",
     "ssp_deadbeef_S3cr3tPart\u00e9"],
)
async def test_a_refused_key_is_never_echoed(api: Api, sent: str) -> None:
    for response in (
        await api.client.get(f"{BASE}/{ALICE_ID}", headers=[(b"X-API-Key", sent.encode())]),
        await api.client.get(BASE, params={"customerId": str(ALICE_ID), "api_key": sent}),
    ):
        assert response.status_code == 401
        shown = response.text + "".join(response.headers.values())
        assert "S3cr3tPart" not in shown and "Z" * 20 not in shown
