"""Revoking a customer's links, and the revocation check of a redemption.

Revocation is one timestamp per customer (`Customer.links_valid_after`): every link issued
before it is void, so the hot path never writes a row per mint.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from shopify_app.links import customers
from shopify_app.links.tokens import InvalidToken, PortalClaims
from shopify_app.storage.models import Customer, Shop

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


async def ensure_not_revoked(shop: Shop, claims: PortalClaims) -> None:
    """Raise `TokenRevoked` when the link was issued before the customer's revocation time."""
    rows = await Customer.filter(shop_id=shop.id, customer_id=claims.customer_id).values_list(
        "links_valid_after", flat=True
    )
    valid_after = rows[0] if rows else None
    if isinstance(valid_after, datetime) and claims.issued_at < valid_after:
        raise TokenRevoked("This link was revoked. Ask for a new one.")


async def revoke_customer_links(
    admin: AdminClient, shop: Shop, customer_id: int, now: datetime
) -> datetime:
    """The revoke endpoint's use case: an unknown customer is looked up first (404 when the shop
    has none), then every link issued so far is voided."""
    await customers.find_by_id(admin, shop, customer_id)
    return await revoke_links(shop, customer_id, now)
