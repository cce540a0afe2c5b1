"""The swap pages' use case: the visitor's contract and line, the merchant's choices for it,
then the choice page or (a choice made) the confirmation page. Nothing changes here: the
confirmation's button runs the `swap` action (`actions.swap`), which checks it all again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from shopify_app.locales import i18n
from shopify_app.merchant import policy
from shopify_app.portal import refusals
from shopify_app.portal.actions.requests import text_field
from shopify_app.portal.actions.swap import line_of
from shopify_app.portal.errors import ActionDisabled, InvalidInput
from shopify_app.portal.views import reads, swap_pages
from shopify_app.portal.views.layout import Frame, Page
from shopify_app.portal.views.swap_choices import load_swap_choices
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop


async def open_swap(
    admin: AdminClient,
    frame: Frame,
    shop: Shop,
    customer_id: int,
    contract_id: int,
    form: Mapping[str, str],
    now: datetime,
) -> Page:
    if not policy.action_enabled(shop, "swap"):
        raise ActionDisabled("This store does not offer this change online.")
    detail = await reads.load_contract(admin, shop, customer_id, contract_id, now)
    if not policy.action_available(shop, "swap", detail.contract.status):
        raise ActionDisabled("This change is not possible for this subscription right now.")
    line = line_of(detail, text_field(form, "line_id"))
    choices = await load_swap_choices(admin, shop, line)
    wanted = text_field(form, "variant_id")
    if not wanted:
        return swap_pages.choices_page(frame, detail, line, choices)
    chosen = next((c for c in choices if c.variant_gid == wanted and c.available), None)
    if chosen is None:
        error = InvalidInput("Please choose one of the offered products.",
                             extra={"field": "variant_id"})
        message = refusals.refusal_text(i18n.catalogue(frame.t.locale), error)
        return swap_pages.choices_page(frame, detail, line, choices, message)
    return swap_pages.confirm_page(frame, detail, line, chosen)
