"""GET/HEAD of a link never spends it; bad links get the friendly page with a way forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopify_app.links import revocation
from shopify_app.links.tokens import Keyring, verify
from shopify_app.portal.entry import spending
from shopify_app.sandbox.demo import ALICE_ID, BOB_ID, OTHER_SHOP
from shopify_app.storage.models import Customer, PortalRedemption, Shop, SpentToken
from tests.portal.conftest import make_token
from tests.portal.proxy_client import ProxyClient


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_looking_at_a_link_never_spends_it(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop, method: str
) -> None:
    token = make_token(keyring, ALICE_ID)
    for _ in range(3):  # a scanner, a preview, the person
        response = await visitor.get(token=token, method=method)
        assert response.status_code == 200
    assert await SpentToken.all().count() == 0
    assert await PortalRedemption.all().count() == 0
    if method == "GET":
        page = response.text
        assert (
            'id="sp-continue-form" method="post" action="/tools/recurring/customer_portal"' in page
        )
        assert 'name="token"' in page and token in page
        assert 'data-testid="continue-button"' in page  # for browsers without script
        assert "auto.submit()" in page
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
    else:
        assert response.text == ""


async def test_link_locale_is_honoured(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop
) -> None:
    response = await visitor.get(token=make_token(keyring, ALICE_ID, locale="fr-CA"))
    assert "Continuer vers mes abonnements" in response.text
    assert 'lang="fr"' in response.text


def _tampered(token: str, part: int) -> str:
    pieces = token.split(".")
    piece = pieces[part] or "AAAA"
    middle = len(piece) // 2
    pieces[part] = piece[:middle] + ("g" if piece[middle] != "g" else "A") + piece[middle + 1 :]
    return ".".join(pieces)


@pytest.mark.parametrize("part", [0, 2, 3, 4], ids=["header", "iv", "ciphertext", "tag"])
async def test_a_tampered_byte_in_any_part(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop, part: int
) -> None:
    response = await visitor.get(token=_tampered(make_token(keyring, ALICE_ID), part))
    assert response.status_code == 401
    assert 'data-code="invalid_token"' in response.text
    assert 'data-testid="login-link"' in response.text


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("expired", 401, "token_expired"),
        ("other shop", 403, "token_mismatch"),
        ("other logged-in customer", 403, "token_mismatch"),
        ("revoked", 401, "token_revoked"),
        ("spent", 410, "token_spent"),
        ("garbage", 401, "invalid_token"),
    ],
)
async def test_unusable_links_get_a_friendly_page(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop, case: str, status: int, code: str
) -> None:
    now = datetime.now(UTC)
    token = make_token(keyring, ALICE_ID)
    if case == "expired":
        token = make_token(keyring, ALICE_ID, now=now - timedelta(hours=3), ttl=timedelta(hours=1))
    elif case == "other shop":
        token = make_token(keyring, ALICE_ID, shop=OTHER_SHOP)
    elif case == "other logged-in customer":
        visitor.customer_id = BOB_ID
    elif case == "revoked":
        await Customer.create(shop=bare_shop, customer_id=ALICE_ID, email="alice@example.com")
        await revocation.revoke_links(bare_shop, ALICE_ID, now + timedelta(seconds=1))
    elif case == "spent":
        jti = verify(keyring, token, now=now).jti
        await spending.spend(
            jti, shop=bare_shop, customer_id=ALICE_ID, expires_at=now, now=now
        )
    elif case == "garbage":
        token = "not-a-token"
    response = await visitor.get(token=token)
    assert response.status_code == status
    assert f'data-code="{code}"' in response.text
    assert (
        'href="https://shop.demo.test/account/login?return_url=/tools/recurring/customer_portal"'
        in response.text
    )
    assert token not in response.text  # never echo a token back


async def test_reusable_shops_keep_spent_links_working(
    visitor: ProxyClient, keyring: Keyring, bare_shop: Shop
) -> None:
    bare_shop.link_policy = "reusable"
    await bare_shop.save()
    now = datetime.now(UTC)
    token = make_token(keyring, ALICE_ID)
    jti = verify(keyring, token, now=now).jti
    await spending.spend(jti, shop=bare_shop, customer_id=ALICE_ID, expires_at=now, now=now)
    assert (await visitor.get(token=token)).status_code == 200
