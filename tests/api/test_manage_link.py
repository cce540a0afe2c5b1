from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shopify_app.links.tokens import keyring_from_settings, verify
from shopify_app.sandbox.demo import (
    ALICE_EMAIL,
    ALICE_ID,
    BOB_ID,
    CAROL_EMAIL,
    DAVE_EMAIL,
    DAVE_ID,
    DEMO_PRIMARY_DOMAIN,
    DEMO_SHOP,
    OLGA_EMAIL,
    OLGA_ID,
)
from shopify_app.settings import Settings
from shopify_app.storage.models import Customer, LinkStat
from tests.api.conftest import Api

BASE = "/api/external/v2/manage-subscription-link"


def token_of(link: str) -> str:
    [token] = parse_qs(urlsplit(link).query)["token"]
    return token


async def test_mint_by_path_answers_the_full_shape(api: Api, settings: Settings) -> None:
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"manageSubscriptionLink", "tokenExpirationTime", "expiresInMinutes",
                         "customerId", "portalUrl"}
    assert body["customerId"] == ALICE_ID and body["expiresInMinutes"] == 120
    assert body["portalUrl"] == f"https://{DEMO_PRIMARY_DOMAIN}/tools/recurring/customer_portal"
    assert body["manageSubscriptionLink"].startswith(body["portalUrl"] + "?token=")
    assert body["tokenExpirationTime"] == "2026-05-04T12:00:00Z"
    claims = verify(keyring_from_settings(settings), token_of(body["manageSubscriptionLink"]),
                    now=api.now, shop=DEMO_SHOP, customer_id=ALICE_ID)
    assert claims.api_key_id == api.key_id and claims.source == ""
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["ratelimit-limit"] == "120"
    assert "deprecation" not in response.headers


async def test_mint_by_query_answers_the_appstle_shape(api: Api) -> None:
    response = await api.get(BASE, customerId=str(BOB_ID))
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"manageSubscriptionLink", "tokenExpirationTime"}


async def test_a_known_customer_costs_no_admin_api_call(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    assert len(api.shopify.requests) == 1  # the first mint looked Alice up, once
    assert await Customer.filter(shop_id=api.shop.id, customer_id=ALICE_ID).count() == 1
    for _ in range(3):
        assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    assert (await api.get(BASE, emailId=ALICE_EMAIL.upper())).status_code == 200
    assert len(api.shopify.requests) == 1


async def test_a_gid_is_normalised(api: Api) -> None:
    response = await api.get(BASE, customerId=f"gid://shopify/Customer/{ALICE_ID}")
    assert response.status_code == 200
    path = await api.get(f"{BASE}/gid://shopify/Customer/{ALICE_ID}")
    assert path.status_code == 200 and path.json()["customerId"] == ALICE_ID


@pytest.mark.parametrize(
    "raw", ["0", "-1", "abc", "1e3", "1" * 30, "gid://shopify/Order/1", "+5", " 5", "5.0",
            "٣", "9223372036854775808"]
)
async def test_bad_customer_ids(api: Api, raw: str) -> None:
    for response in (await api.get(BASE, customerId=raw), await api.get(f"{BASE}/{raw}")):
        assert response.status_code == 400, (raw, response.text)
        assert response.json()["code"] == "invalid_customer_id"
        assert response.headers["content-type"] == "application/problem+json"
    assert api.shopify.requests == []


async def test_neither_parameter_is_missing_customer(api: Api) -> None:
    for params in ({}, {"customerId": "", "emailId": ""}):
        response = await api.get(BASE, **params)
        assert response.status_code == 400 and response.json()["code"] == "missing_customer"


async def test_customer_id_wins_over_email(api: Api) -> None:
    response = await api.get(BASE, customerId=str(BOB_ID), emailId=ALICE_EMAIL)
    assert response.status_code == 200
    claims = verify(keyring_from_settings(api.app.state.app_state.settings),
                    token_of(response.json()["manageSubscriptionLink"]), now=api.now)
    assert claims.customer_id == BOB_ID


@pytest.mark.parametrize(
    ("email", "status", "code"),
    [
        (ALICE_EMAIL, 200, None),
        ("ALICE@Example.COM", 200, None),
        (CAROL_EMAIL, 200, None),  # a cancelled subscription is still a subscription
        (DAVE_EMAIL, 400, "email_not_found"),  # a customer, but no subscriptions
        ("nobody@example.com", 400, "email_not_found"),
        (OLGA_EMAIL, 400, "email_not_found"),  # the other shop's subscriber
        ("alice @example.com", 400, "invalid_email"),
        ("alice@example.com bob@example.com", 400, "invalid_email"),
        ("a" * 490 + "@example.com", 400, "invalid_email"),
        ('alice"@example.com', 400, "invalid_email"),
        ("not-an-email", 400, "invalid_email"),
        ("ålice@exämple.com", 400, "email_not_found"),
    ],
)
async def test_email_lookup(api: Api, email: str, status: int, code: str | None) -> None:
    response = await api.get(BASE, emailId=email)
    assert response.status_code == status, response.text
    if code:
        assert response.json()["code"] == code


async def test_email_lookup_remembers_the_customer(api: Api) -> None:
    assert (await api.get(BASE, emailId=ALICE_EMAIL)).status_code == 200
    row = await Customer.get(shop_id=api.shop.id, customer_id=ALICE_ID)
    assert row.email == ALICE_EMAIL and row.active_subscriptions == 1
    assert row.inactive_subscriptions == 1


@pytest.mark.parametrize("customer_id", [OLGA_ID, 999999999])
async def test_other_shops_and_unknown_customers_are_404(api: Api, customer_id: int) -> None:
    for response in (await api.get(f"{BASE}/{customer_id}"),
                     await api.get(BASE, customerId=str(customer_id))):
        assert response.status_code == 404 and response.json()["code"] == "customer_not_found"
    assert await Customer.filter(customer_id=customer_id).count() == 0


async def test_a_customer_without_subscriptions_gets_a_link_by_id(api: Api) -> None:
    assert (await api.get(f"{BASE}/{DAVE_ID}")).status_code == 200


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"expiresInMinutes": "4"}, "expiresInMinutes"),
        ({"expiresInMinutes": "10081"}, "expiresInMinutes"),
        ({"expiresInMinutes": "abc"}, "expiresInMinutes"),
        ({"expiresInMinutes": "-5"}, "expiresInMinutes"),
        ({"expiresInMinutes": "1e3"}, "expiresInMinutes"),
        ({"expiresInMinutes": "9" * 40}, "expiresInMinutes"),
        ({"destination": "admin"}, "destination"),
        ({"destination": "Orders"}, "destination"),
        ({"source": "Klaviyo"}, "source"),
        ({"source": "x" * 65}, "source"),
        ({"source": "a b"}, "source"),
        ({"source": "<script>"}, "source"),
        ({"locale": "english"}, "locale"),
    ],
)
async def test_bad_options(api: Api, params: dict[str, str], parameter: str) -> None:
    response = await api.get(f"{BASE}/{ALICE_ID}", **params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "invalid_parameter" and body["parameter"] == parameter
    assert await LinkStat.all().count() == 0


async def test_options_are_carried_into_the_token(api: Api) -> None:
    response = await api.get(f"{BASE}/{ALICE_ID}", expiresInMinutes="10080",
                             destination="payment", source="klaviyo-winback", locale="fr-CA")
    body = response.json()
    assert body["expiresInMinutes"] == 10080
    assert body["tokenExpirationTime"] == "2026-05-11T10:00:00Z"
    claims = verify(keyring_from_settings(api.app.state.app_state.settings),
                    token_of(body["manageSubscriptionLink"]), now=api.now + timedelta(days=6))
    assert (claims.destination, claims.source, claims.locale) == (
        "payment", "klaviyo-winback", "fr-CA")


@pytest.mark.parametrize(
    "query",
    [
        f"customerId={ALICE_ID}&customerId={BOB_ID}",
        f"customerId={ALICE_ID}&emailId=a@b.co&emailId=c@d.co",
        f"customerId={ALICE_ID}&source=a&source=b",
        f"customerId={ALICE_ID}&expiresInMinutes=10&expiresInMinutes=20",
    ],
)
async def test_repeated_parameters_are_ambiguous(api: Api, query: str) -> None:
    response = await api.client.get(f"{BASE}?{query}", headers=api.headers())
    assert response.status_code == 400 and response.json()["code"] == "ambiguous_parameter"


async def test_mints_are_counted_per_source_and_key(api: Api) -> None:
    for source in ("klaviyo", "klaviyo", "gorgias", ""):
        params = {"source": source} if source else {}
        assert (await api.get(f"{BASE}/{ALICE_ID}", **params)).status_code == 200
    await api.flush_stats()
    rows = {(r.api_key_id, r.source): r.mints for r in await LinkStat.all()}
    assert rows == {(api.key_id, "klaviyo"): 2, (api.key_id, "gorgias"): 1, (api.key_id, ""): 1}


async def test_portal_not_configured(api: Api) -> None:
    api.shop.proxy_prefix = "nonsense"
    await api.shop.save()
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 409 and response.json()["code"] == "portal_not_configured"


async def test_link_host_falls_back_to_the_myshopify_domain(api: Api) -> None:
    api.shop.primary_domain = None
    api.shop.proxy_prefix, api.shop.proxy_subpath = "apps", "portal"
    await api.shop.save()
    body = (await api.get(f"{BASE}/{ALICE_ID}")).json()
    assert body["portalUrl"] == f"https://{DEMO_SHOP}/apps/portal/customer_portal"


async def test_a_percent_encoded_gid_in_the_path_is_normalised(api: Api) -> None:
    response = await api.get(f"{BASE}/gid%3A%2F%2Fshopify%2FCustomer%2F{ALICE_ID}")
    assert response.status_code == 200, response.text
    assert response.json()["customerId"] == ALICE_ID


async def test_customer_id_wins_even_over_an_unusable_email(api: Api) -> None:
    response = await api.get(BASE, customerId=f"gid://shopify/Customer/{BOB_ID}",
                             emailId="not an email")
    assert response.status_code == 200, response.text
    claims = verify(keyring_from_settings(api.app.state.app_state.settings),
                    token_of(response.json()["manageSubscriptionLink"]), now=api.now)
    assert claims.customer_id == BOB_ID
    bad_id = await api.get(BASE, customerId="abc", emailId=ALICE_EMAIL)
    assert bad_id.status_code == 400 and bad_id.json()["code"] == "invalid_customer_id"


@pytest.mark.parametrize(
    "fields",
    [{"proxy_prefix": "nonsense"}, {"proxy_subpath": ""}, {"proxy_subpath": "../admin"},
     {"primary_domain": "evil.com/path"}],
)
async def test_an_unusable_portal_setting_refuses_every_mint_before_shopify(
    api: Api, fields: dict[str, str]
) -> None:
    for name, value in fields.items():
        setattr(api.shop, name, value)
    await api.shop.save()
    for response in (await api.get(f"{BASE}/{ALICE_ID}"),
                     await api.get(BASE, customerId=str(BOB_ID)),
                     await api.get(BASE, emailId=ALICE_EMAIL)):
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "portal_not_configured"
        assert response.headers["ratelimit-limit"] == "120"
    assert api.shopify.requests == []
    await api.flush_stats()
    assert await LinkStat.all().count() == 0 and await Customer.all().count() == 0


async def test_portal_url_uses_the_stored_subpath_with_a_custom_domain(api: Api) -> None:
    api.shop.proxy_prefix, api.shop.proxy_subpath = "a", "members/portal"
    await api.shop.save()
    body = (await api.get(f"{BASE}/{ALICE_ID}")).json()
    assert body["portalUrl"] == f"https://{DEMO_PRIMARY_DOMAIN}/a/members/portal/customer_portal"
    assert body["manageSubscriptionLink"].startswith(body["portalUrl"] + "?token=")
