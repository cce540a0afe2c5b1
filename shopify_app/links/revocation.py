"""Revoking a customer's links, and the revocation check of a redemption.

Revocation is one timestamp per customer (`Customer.links_valid_after`): every link issued
before it is void, so the hot path never writes a row per mint.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from shopify_app.links import customers
from shopify_app.links.tokens import InvalidToken, PortalClaims
from shopify_app.storage.models import Customer, RedactedCustomer, Shop

if TYPE_CHECKING:
    from shopify_app.shopify.client import AdminClient


class TokenRevoked(InvalidToken):
    code = "token_revoked"
    title = "Revoked link"


def _floor_ms(moment: datetime) -> datetime:
    return datetime.fromtimestamp(math.floor(moment.timestamp() * 1000) / 1000, tz=UTC)


async def revoke_links(shop: Shop, customer_id: int, now: datetime) -> datetime:
    """Void every link of this customer issued before `now` (to the millisecond, the precision
    of a token's `iat`) and return that cut-off. A customer without a local row has no link to
    void (every mint creates the row first), so that is a no-op, not an error."""
    cutoff = _floor_ms(now)
    await Customer.filter(shop_id=shop.id, customer_id=customer_id).update(
        links_valid_after=cutoff
    )
    return cutoff


@lru_cache(maxsize=4)
def _subject_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"redacted-customer/v1", hashlib.sha256).digest()


def redacted_subject(secret: str, shop_domain: str, customer_id: int) -> str:
    """What a redaction keeps of a customer: a keyed hash of shop and id, which a database dump
    alone cannot turn back into the customer (the key comes from the app secret)."""
    message = f"{shop_domain}\n{customer_id}".encode()
    return hmac.new(_subject_key(secret), message, hashlib.sha256).hexdigest()


async def remember_redaction(shop: Shop, customer_id: int, secret: str, now: datetime) -> None:
    """`customers/redact`: the customer's rows go, their links and sessions issued so far stay
    void (a row created again later, e.g. by a contract webhook, does not bring them back)."""
    subject = redacted_subject(secret, shop.domain, customer_id)
    updated = await RedactedCustomer.filter(shop_id=shop.id, subject=subject).update(
        redacted_at=_floor_ms(now))
    if not updated:
        with contextlib.suppress(IntegrityError):  # a concurrent copy recorded it
            await RedactedCustomer.create(shop_id=shop.id, subject=subject,
                                          redacted_at=_floor_ms(now))


async def valid_after(
    shop: Shop, customer_id: int, secrets: Sequence[str]
) -> datetime | None:
    """The instant before which every link and portal session of the customer is void: their
    latest revocation or redaction, None when there was neither."""
    rows = await Customer.filter(shop_id=shop.id, customer_id=customer_id).values_list(
        "links_valid_after", flat=True
    )
    found: list[object] = list(rows)
    subjects = [redacted_subject(secret, shop.domain, customer_id) for secret in secrets]
    if subjects:
        found += await RedactedCustomer.filter(
            shop_id=shop.id, subject__in=subjects).values_list("redacted_at", flat=True)
    return max((moment for moment in found if isinstance(moment, datetime)), default=None)


async def ensure_not_revoked(
    shop: Shop, claims: PortalClaims, secrets: Sequence[str] = ()
) -> None:
    """Raise `TokenRevoked` when the link was issued before the customer's revocation time
    (or their redaction, looked up under each of `secrets`)."""
    cutoff = await valid_after(shop, claims.customer_id, secrets)
    if cutoff is not None and claims.issued_at < cutoff:
        raise TokenRevoked("This link was revoked. Ask for a new one.")


async def revoke_customer_links(
    admin: AdminClient, shop: Shop, customer_id: int, now: datetime
) -> datetime:
    """The revoke endpoint's use case: an unknown customer is looked up first (404 when the shop
    has none), then every link issued so far is voided."""
    await customers.find_by_id(admin, shop, customer_id)
    return await revoke_links(shop, customer_id, now)
