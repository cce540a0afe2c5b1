"""What a signed body must say before its unsigned headers are believed.

Shopify's HMAC covers the body only: `X-Shopify-Topic` and `X-Shopify-Shop-Domain` can be changed
by anyone holding one captured delivery. So the shop a payload names must be the header's shop,
and a topic whose handler destroys data accepts only a body of that topic's own shape (an order
of this shop, re-sent as `shop/redact`, is refused).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shopify_app.errors import Unauthorized
from shopify_app.shopify import gids
from shopify_app.shopify.domains import normalize_shop_domain

# Payload fields that name the shop (by myshopify domain, or by Shopify's numeric id).
DOMAIN_FIELDS = ("shop_domain", "myshopify_domain")
SHOP_ID_FIELD = "shop_id"


class ShopMismatch(Unauthorized):
    code = "webhook_shop_mismatch"
    title = "The webhook names another shop"


class PayloadMismatch(Unauthorized):
    code = "webhook_payload_mismatch"
    title = "The webhook body does not match its topic"


def _is_id(value: object) -> bool:
    return gids.numeric_id(value) is not None and not isinstance(value, bool)


def _names_shop(payload: Mapping[str, Any], *fields: str) -> bool:
    return any(isinstance(payload.get(name), str) for name in fields)


def _shop_resource(payload: Mapping[str, Any]) -> bool:
    """`app/uninstalled` sends the Shop resource: its id and its myshopify domain (`domain` is
    the primary one, which is the myshopify domain unless the shop has its own)."""
    named = payload.get("myshopify_domain") or payload.get("domain")
    return _is_id(payload.get("id")) and normalize_shop_domain(str(named or "")) is not None \
        and "shop_id" not in payload


def _shop_redaction(payload: Mapping[str, Any]) -> bool:
    return _is_id(payload.get(SHOP_ID_FIELD)) and _names_shop(payload, "shop_domain") \
        and "customer" not in payload


def _customer_redaction(payload: Mapping[str, Any]) -> bool:
    customer = payload.get("customer")
    return _is_id(payload.get(SHOP_ID_FIELD)) and _names_shop(payload, "shop_domain") \
        and isinstance(customer, Mapping) and _is_id(customer.get("id"))


# Topics whose handler deletes or revokes: each accepts only its own shape. A new destructive
# topic adds its check here beside its handler entry.
DESTRUCTIVE_SHAPES: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "app/uninstalled": _shop_resource,
    "shop/redact": _shop_redaction,
    "customers/redact": _customer_redaction,
}


def payload_shop_id(payload: Mapping[str, Any]) -> int | None:
    return gids.numeric_id(payload.get(SHOP_ID_FIELD))


def check_payload(topic: str, shop_domain: str, payload: object) -> Mapping[str, Any]:
    """The payload as a mapping, when its shop fields agree with the header and, for a
    destructive topic, it has that topic's shape; else `ShopMismatch` / `PayloadMismatch`."""
    shape = DESTRUCTIVE_SHAPES.get(topic)
    if not isinstance(payload, dict):
        if shape is not None:
            raise PayloadMismatch(f"A {topic} webhook carries a JSON object.")
        return {}
    for name in DOMAIN_FIELDS:
        value = payload.get(name)
        if value is not None and normalize_shop_domain(str(value)) != shop_domain:
            raise ShopMismatch("The webhook body names another shop than its header.")
    # `domain` names the shop in the Shop resource (`app/`, `shop/` topics) but is its primary
    # domain, a custom one for many shops: only a myshopify domain there can be compared.
    domain = normalize_shop_domain(str(payload.get("domain") or ""))
    if topic.startswith(("app/", "shop/")) and domain is not None and domain != shop_domain:
        raise ShopMismatch("The webhook body names another shop than its header.")
    if shape is not None and not shape(payload):
        raise PayloadMismatch(f"The webhook body is not a {topic} payload.")
    return payload
