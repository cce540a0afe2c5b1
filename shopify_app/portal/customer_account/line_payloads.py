"""The extension's JSON for swaps and one-time add-ons (camelCase, as `payloads`)."""

from __future__ import annotations

from typing import Any

from shopify_app.portal.views.addon_reads import AddOn, OfferedAddOn
from shopify_app.portal.views.swap_choices import SwapChoice
from shopify_app.portal.views.viewmodels import ContractDetail, Cycle, Line, Money


def _money(value: Money) -> dict[str, str]:
    return {"amount": f"{value.amount:.2f}", "currencyCode": value.currency}


def _addon(addon: AddOn) -> dict[str, Any]:
    return {
        "id": addon.gid,
        "title": addon.title,
        "variantTitle": addon.variant_title,
        "quantity": addon.quantity,
        "price": _money(addon.price),
    }


def cycle_addons(detail: ContractDetail, cycle: Cycle) -> list[dict[str, Any]]:
    return [_addon(a) for a in detail.addons.get(cycle.index, [])]


def offers(detail: ContractDetail) -> list[dict[str, Any]]:
    return [_offer(o) for o in detail.offered_addons if o.available]


def _offer(offer: OfferedAddOn) -> dict[str, Any]:
    return {"variantId": offer.variant_gid, "label": offer.label, "price": _money(offer.price)}


def swap_options(line: Line, choices: list[SwapChoice]) -> dict[str, Any]:
    return {
        "line": {"id": line.gid, "title": line.title, "variantTitle": line.variant_title,
                 "price": _money(line.price)},
        "choices": [
            {
                "variantId": c.variant_gid,
                "label": c.label,
                "price": _money(c.price),
                "available": c.available,
            }
            for c in choices
        ],
    }
