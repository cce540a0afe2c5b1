from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopify_app.links.tokens import InvalidToken, Keyring, issue, verify
from shopify_app.portal.entry import sessions
from shopify_app.portal.errors import SessionExpired, SessionInvalid

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SHOP = "demo-shop.myshopify.com"


def _open(
    keyring: Keyring,
    value: str,
    *,
    now: datetime = NOW,
    shop: str = SHOP,
    logged_in: int | None = None,
) -> sessions.PortalSession:
    return sessions.open_value(keyring, value, now=now, shop=shop, logged_in_customer_id=logged_in)


def test_round_trip_and_renewal(keyring: Keyring) -> None:
    sealed = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="fr")
    opened = _open(keyring, sealed.value)
    assert (opened.shop, opened.customer_id, opened.locale) == (SHOP, 7, "fr")
    assert opened.sid == sealed.session.sid and opened.nonce == sealed.session.nonce
    later = NOW + timedelta(minutes=20)
    renewed = sessions.renew(keyring, opened, now=later)
    assert renewed.session.sid == opened.sid
    assert renewed.session.nonce != opened.nonce  # one change per rendered page
    assert renewed.session.expires_at == later + sessions.SESSION_TTL  # sliding
    assert _open(keyring, renewed.value, now=later + timedelta(minutes=25)).customer_id == 7


def test_sliding_is_capped(keyring: Keyring) -> None:
    session = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en").session
    late = NOW + sessions.MAX_SESSION_AGE - timedelta(minutes=5)
    renewed = sessions.renew(keyring, session, now=late)
    assert renewed.session.expires_at == NOW + sessions.MAX_SESSION_AGE


def test_expired(keyring: Keyring) -> None:
    sealed = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en")
    with pytest.raises(SessionExpired):
        _open(keyring, sealed.value, now=NOW + sessions.SESSION_TTL + timedelta(minutes=1))


@pytest.mark.parametrize(
    ("shop", "logged_in"),
    [("other-shop.myshopify.com", None), (SHOP, 8)],
    ids=["another shop", "another logged-in customer"],
)
def test_bound_to_shop_and_customer(keyring: Keyring, shop: str, logged_in: int | None) -> None:
    sealed = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en")
    with pytest.raises(SessionInvalid):
        _open(keyring, sealed.value, shop=shop, logged_in=logged_in)
    assert _open(keyring, sealed.value, logged_in=7).customer_id == 7


def test_every_tampered_byte_is_refused(keyring: Keyring) -> None:
    value = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en").value
    for index in range(0, len(value), 7):
        if value[index] == ".":
            continue
        swapped = "g" if value[index] != "g" else "A"  # differs in the high bits
        with pytest.raises(SessionInvalid):
            _open(keyring, value[:index] + swapped + value[index + 1 :])


def test_link_tokens_and_sessions_do_not_mix(keyring: Keyring) -> None:
    link = issue(keyring, shop=SHOP, customer_id=7, now=NOW, ttl=timedelta(hours=1)).token
    with pytest.raises(SessionInvalid):
        _open(keyring, link)
    session_value = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en").value
    with pytest.raises(InvalidToken):
        verify(keyring, session_value, now=NOW)


def test_another_keyring_cannot_open(keyring: Keyring) -> None:
    value = sessions.start(keyring, shop=SHOP, customer_id=7, now=NOW, locale="en").value
    stranger = Keyring([("hkdf1", b"\x01" * 32)])
    with pytest.raises(SessionInvalid):
        _open(stranger, value)
