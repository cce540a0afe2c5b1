"""A shop's merchant settings: what the embedded admin shows and changes.

Keys are the `Shop` field names. An update may name any subset of them; every value is checked
before anything is saved, so a bad field changes nothing (400 `invalid_setting`, naming it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from shopify_app.admin import catalog_settings
from shopify_app.errors import BadRequest
from shopify_app.links import minting
from shopify_app.locales import i18n
from shopify_app.merchant import appearance, cancel_settings, policy
from shopify_app.storage.models import Shop

LINK_POLICIES = ("single_use", "reusable")
PORTAL_FORMATS = ("liquid", "html")
INTERVALS = ("DAY", "WEEK", "MONTH", "YEAR")
MAX_FREQUENCIES = 20
MAX_FREQUENCY_COUNT = 365
MIN_RATE_LIMIT, MAX_RATE_LIMIT = 1, 10_000
MAX_CANCEL_INSTRUCTIONS = 2000
MAX_BULK_LINK_RATE_LIMIT = 1_000_000  # links a minute per key through the bulk endpoint


class InvalidSetting(BadRequest):
    code = "invalid_setting"
    title = "Invalid setting"


def _invalid(field: str, detail: str) -> InvalidSetting:
    return InvalidSetting(detail, extra={"field": field})


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def view(shop: Shop) -> dict[str, Any]:
    """The shop's effective settings, plus the choices the form offers."""
    return {
        "link_policy": shop.link_policy,
        "portal_format": shop.portal_format,
        "portal_actions": {a: policy.action_enabled(shop, a) for a in policy.ACTIONS},
        "allowed_frequencies": [
            {"interval": f.interval, "count": f.count} for f in policy.allowed_frequencies(shop)
        ],
        "mint_rate_limit": shop.mint_rate_limit,
        "bulk_link_rate_limit": shop.bulk_link_rate_limit,
        "default_locale": shop.default_locale,
        "link_lifetime_minutes": shop.link_lifetime_minutes,
        "accent_color": appearance.accent_of(shop),
        "button_style": shop.button_style,
        "cancel_instructions": shop.cancel_instructions,
        "cancel_flow": cancel_settings.view(shop),
        "swap_collection_id": shop.swap_collection_id,
        "addon_variants": shop.addon_variants if isinstance(shop.addon_variants, list) else [],
        "choices": {
            "link_policy": list(LINK_POLICIES),
            "portal_format": list(PORTAL_FORMATS),
            "actions": list(policy.ACTIONS),
            "intervals": list(INTERVALS),
            "locales": sorted(i18n.available()),
            "button_styles": list(appearance.BUTTON_STYLES),
            "link_lifetime_minutes": {"min": minting.MIN_EXPIRES_IN_MINUTES,
                                      "max": minting.MAX_EXPIRES_IN_MINUTES},
        },
    }


def _one_of(options: tuple[str, ...]) -> Callable[[str, object, Shop], object]:
    def check(field: str, value: object, shop: Shop) -> object:
        if value not in options:
            raise _invalid(field, f"{field} is one of {', '.join(options)}.")
        return value

    return check


def _actions(field: str, value: object, shop: Shop) -> object:
    if not isinstance(value, dict):
        raise _invalid(field, f"{field} maps action names to true or false.")
    merged = {a: policy.action_enabled(shop, a) for a in policy.ACTIONS}
    for name, enabled in value.items():
        if name not in policy.ACTIONS:
            raise _invalid(f"{field}.{name}"[:120], f"There is no portal action {name!r}."[:200])
        if not isinstance(enabled, bool):
            raise _invalid(f"{field}.{name}", f"{field}.{name} is true or false.")
        merged[name] = enabled
    return merged


def _frequencies(field: str, value: object, shop: Shop) -> object:
    if value is None:
        return None  # back to the defaults
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_FREQUENCIES:
        raise _invalid(field, f"{field} is a list of 1-{MAX_FREQUENCIES} frequencies.")
    result: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict) or set(item) != {"interval", "count"}:
            raise _invalid(where, f"{where} is {{\"interval\": ..., \"count\": ...}}.")
        interval, count = item["interval"], item["count"]
        if interval not in INTERVALS:
            raise _invalid(f"{where}.interval", f"An interval is one of {', '.join(INTERVALS)}.")
        if not _is_int(count) or not 1 <= count <= MAX_FREQUENCY_COUNT:
            raise _invalid(f"{where}.count", f"A count is 1-{MAX_FREQUENCY_COUNT}.")
        entry = {"interval": interval, "count": count}
        if entry in result:
            raise _invalid(where, f"{where} repeats a frequency.")
        result.append(entry)
    return result


def _rate_limit(field: str, value: object, shop: Shop) -> object:
    if not _is_int(value) or not MIN_RATE_LIMIT <= value <= MAX_RATE_LIMIT:
        raise _invalid(field, f"{field} is a whole number {MIN_RATE_LIMIT}-{MAX_RATE_LIMIT}.")
    return value


def _bulk_rate_limit(field: str, value: object, shop: Shop) -> object:
    if not _is_int(value) or not MIN_RATE_LIMIT <= value <= MAX_BULK_LINK_RATE_LIMIT:
        raise _invalid(
            field, f"{field} is a whole number {MIN_RATE_LIMIT}-{MAX_BULK_LINK_RATE_LIMIT}."
        )
    return value


def _locale(field: str, value: object, shop: Shop) -> object:
    if not isinstance(value, str) or value not in i18n.available():
        raise _invalid(field, f"{field} is one of {', '.join(sorted(i18n.available()))}.")
    return value


def _lifetime(field: str, value: object, shop: Shop) -> object:
    low, high = minting.MIN_EXPIRES_IN_MINUTES, minting.MAX_EXPIRES_IN_MINUTES
    if not _is_int(value) or not low <= value <= high:
        raise _invalid(field, f"A link lifetime is {low}-{high} minutes.")
    return value


def _color(field: str, value: object, shop: Shop) -> object:
    if not isinstance(value, str) or not appearance.is_color(value.lower()):
        raise _invalid(field, "A colour is written #rrggbb, e.g. #1f5f8b.")
    return value.lower()


def _text(field: str, value: object, shop: Shop) -> object:
    if not isinstance(value, str) or len(value) > MAX_CANCEL_INSTRUCTIONS:
        raise _invalid(field, f"{field} is text of at most {MAX_CANCEL_INSTRUCTIONS} characters.")
    return value.strip()


_CHECKS: dict[str, Callable[[str, object, Shop], object]] = {
    "link_policy": _one_of(LINK_POLICIES),
    "portal_format": _one_of(PORTAL_FORMATS),
    "portal_actions": _actions,
    "allowed_frequencies": _frequencies,
    "mint_rate_limit": _rate_limit,
    "bulk_link_rate_limit": _bulk_rate_limit,
    "default_locale": _locale,
    "link_lifetime_minutes": _lifetime,
    "accent_color": _color,
    "button_style": _one_of(tuple(appearance.BUTTON_STYLES)),
    "cancel_instructions": _text,
    "cancel_flow": cancel_settings.check,
    "swap_collection_id": catalog_settings.check_swap_collection,
    "addon_variants": catalog_settings.check_addon_variants,
}


def _check_together(shop: Shop, checked: dict[str, object]) -> None:
    """Rules across fields, on the settings as they would be after the update."""
    actions = checked.get("portal_actions", {a: policy.action_enabled(shop, a)
                                             for a in policy.ACTIONS})
    instructions = checked.get("cancel_instructions", shop.cancel_instructions)
    cancel_on = isinstance(actions, dict) and actions.get("cancel", True) is not False
    # Several jurisdictions require online cancellation: when customers cannot cancel in the
    # portal, it must tell them how to.
    if not cancel_on and not str(instructions or "").strip():
        raise _invalid("cancel_instructions",
                       "Tell customers how to cancel when the portal cannot cancel for them.")


async def update(shop: Shop, changes: Mapping[str, object]) -> dict[str, Any]:
    """Apply a partial update (all fields checked first) and return the new `view`."""
    checked: dict[str, object] = {}
    for field, value in changes.items():
        check = _CHECKS.get(field)
        if check is None:
            raise _invalid(field[:100], f"There is no setting {field[:100]!r}.")
        checked[field] = check(field, value, shop)
    _check_together(shop, checked)
    if checked:
        for field, value in checked.items():
            setattr(shop, field, value)
        await shop.save(update_fields=[*checked, "updated_at"])
    return view(shop)
