"""The card on a subscription: brand, last digits and expiry, and a warning when it expires
before the next order (it would fail to bill), with the way to update it right there."""

from __future__ import annotations

from shopify_app.portal.views.layout import Frame
from shopify_app.portal.views.markup import Markup, render
from shopify_app.portal.views.viewmodels import Contract


def expires_before_next_order(contract: Contract) -> bool:
    payment = contract.payment
    if payment is None or payment.revoked or contract.status != "ACTIVE":
        return False
    return payment.expires_before(contract.next_billing_date)


def payment_text(frame: Frame, contract: Contract) -> Markup:
    t = frame.t.t
    payment = contract.payment
    if payment is None:
        return Markup("")
    card = t("contract.card", brand=payment.brand or t("contract.card_generic"),
             last=payment.last_digits)
    expiry = (
        render('<span class="sp-muted" data-testid="card-expiry">$e</span>',
               e=t("contract.card_expiry", expiry=payment.expiry))
        if payment.expiry
        else Markup("")
    )
    warning = (
        render('<p class="sp-warning" data-testid="card-expires-warning">$w</p>',
               w=t("contract.card_expires_before"))
        if expires_before_next_order(contract)
        else Markup("")
    )
    return render("$card $expiry$warning", card=card, expiry=expiry, warning=warning)
