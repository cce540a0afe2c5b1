"""A refused change in the customer's language.

Shopify's `userErrors` carry a stable `code` (and the field it concerns) next to an English
`message`. Known codes read from the catalogue (`shopify.<field>.<CODE>` first, then
`shopify.<CODE>`); Shopify's own text is shown only for a code we do not know yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shopify_app.errors import AppError
from shopify_app.locales.i18n import Catalogue
from shopify_app.portal.views import formatting
from shopify_app.shopify.errors import ShopifyUserErrors


def _field_name(error: dict[str, Any]) -> str:
    field = error.get("field")
    if isinstance(field, list) and field:
        return str(field[-1])
    return ""


def user_error_text(catalogue: Catalogue, error: dict[str, Any]) -> str:
    code = error.get("code")
    if isinstance(code, str) and code:
        for key in (f"shopify.{_field_name(error)}.{code}", f"shopify.{code}"):
            try:
                return catalogue.t(key)
            except KeyError:
                continue
    return str(error.get("message") or "")


def refusal_text(catalogue: Catalogue, exc: AppError) -> str:
    """The sentence a refused change shows on the page."""
    t = catalogue.t
    if isinstance(exc, ShopifyUserErrors):
        texts = [user_error_text(catalogue, e) for e in exc.user_errors if isinstance(e, dict)]
        detail = " ".join(dict.fromkeys(text for text in texts if text)) or exc.detail
        return t("flash.refused", detail=detail)
    field, reason = exc.extra.get("field"), exc.extra.get("reason")
    if reason in ("date_past", "date_too_far"):
        # A sentence that says why, with the days in the customer's language.
        days = {
            k: formatting.day(catalogue, date.fromisoformat(str(exc.extra[k])))
            for k in ("date", "last")
        }
        return t(f"flash.{reason}", **days)
    try:  # a refusal with its own code and sentence (e.g. order_already_placed)
        return t(f"flash.{exc.code}")
    except KeyError:
        pass
    try:
        return t("flash.invalid_field", field=t(f"field.{field}")) if field else t("flash.invalid")
    except KeyError:
        return t("flash.invalid")
