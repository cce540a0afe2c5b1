"""Shop domains: only `<name>.myshopify.com`, validated before any URL is built from one.

Shopify's libraries accept a few spellings; we accept the strictest common subset (see
SHOPIFY.md): the bare myshopify domain, lower-cased, and the admin URL
`https://admin.shopify.com/store/<name>`, which names the same shop.
"""

from __future__ import annotations

import re

from shopify_app.errors import BadRequest

_SHOP_NAME = r"[a-z0-9][a-z0-9-]*[a-z0-9]"
_MYSHOPIFY = re.compile(rf"{_SHOP_NAME}\.myshopify\.com")
_ADMIN_URL = re.compile(rf"https://admin\.shopify\.com/store/({_SHOP_NAME})/?")
MAX_LENGTH = 255


class InvalidShop(BadRequest):
    code = "invalid_shop"
    title = "Invalid shop domain"


def normalize_shop_domain(raw: str | None) -> str | None:
    """The canonical `<name>.myshopify.com` for `raw`, or None when it names no shop."""
    if not raw or len(raw) > MAX_LENGTH:
        return None
    # `fullmatch` on the exact input: whitespace, newlines, `@`, ports, paths and suffixes like
    # `x.myshopify.com.evil.com` all fail; nothing is stripped that could hide them.
    value = raw.lower()
    if _MYSHOPIFY.fullmatch(value):
        return value
    admin = _ADMIN_URL.fullmatch(value)
    if admin:
        return f"{admin.group(1)}.myshopify.com"
    return None


def is_valid_shop_domain(raw: str | None) -> bool:
    return normalize_shop_domain(raw) is not None


def require_shop_domain(raw: str | None) -> str:
    """Like `normalize_shop_domain`, raising `InvalidShop` (400, code `invalid_shop`)."""
    shop = normalize_shop_domain(raw)
    if shop is None:
        raise InvalidShop("The shop must be a <name>.myshopify.com domain.")
    return shop
