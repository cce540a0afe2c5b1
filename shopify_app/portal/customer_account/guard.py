"""Who is calling: the extension's `Authorization: Bearer` header becomes a signed-in customer
of an installed shop, or a 401 (bad token) / 403 (shop not installed) with a stable code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from shopify_app.errors import Forbidden
from shopify_app.install.flow import NotConfigured
from shopify_app.portal.customer_account import tokens
from shopify_app.settings import Settings
from shopify_app.storage.models import Shop

BEARER = "Bearer "


class ShopNotInstalled(Forbidden):
    code = "shop_not_installed"
    title = "The app is not installed on this shop"


@dataclass(frozen=True)
class AccountCustomer:
    """A customer signed in to the new customer accounts of an installed shop."""

    shop: Shop
    customer_id: int


async def require_customer(
    authorization: Sequence[str], settings: Settings, now: datetime
) -> AccountCustomer:
    """The verified caller from the request's `Authorization` header values."""
    if settings.sandbox or settings.api_key is None:
        raise NotConfigured("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to serve the extension.")
    if not authorization or not authorization[0].strip():
        raise tokens.MissingSessionToken("Send Authorization: Bearer <session token>.")
    if len(authorization) > 1 or not authorization[0].startswith(BEARER):
        raise tokens.InvalidSessionToken("Send one Authorization: Bearer <session token> header.")
    claims = tokens.verify(
        authorization[0][len(BEARER):].strip(),
        client_id=settings.api_key,
        secret=settings.secrets,
        now=now,
    )
    shop = await Shop.get_or_none(domain=claims.shop)
    if shop is None or not shop.installed:
        raise ShopNotInstalled("The app is not installed on this shop.")
    return AccountCustomer(shop=shop, customer_id=claims.customer_id)
