"""The admin's cancel flow sections: the reasons editor (with their offers) and the report.

Rendered by the server so a person reads every heading and hint without script;
`static/cancel_flow.js` fills them from `/admin/api/settings` and `/admin/api/cancel-flow/report`.
"""

from __future__ import annotations

import json

# What the merchant reads for each offer kind (the script shows only the kinds the API lists).
OFFER_LABELS: dict[str, str] = {
    "": "No offer",
    "pause": "Pause instead",
    "skip": "Skip the next order",
    "change_frequency": "Change how often orders come",
    "swap": "Swap for another product",
    "discount": "A discount code",
}
# The portal action each offer runs: an offer whose action is off is not shown to customers.
OFFER_ACTION_LABELS: dict[str, str] = {
    "pause": "Pause a subscription",
    "skip": "Skip an order",
    "change_frequency": "Change how often orders come",
    "swap": "Swap a product",
    "discount": "Apply a discount code",
}


def words() -> str:
    data = {"offers": OFFER_LABELS, "actions": OFFER_ACTION_LABELS}
    return json.dumps(data).replace("<", "\\u003c")


def editor() -> str:
    return (
        "<p class=hint id=reasons-hint>Customers choose one of these reasons when they cancel in "
        "the portal. A reason can carry one offer, shown before they confirm; offers apply at "
        "once when accepted.</p>"
        "<form id=reasons-form novalidate aria-describedby=reasons-hint>"
        "<ol id=reason-list class=reason-list><li>Loading…</li></ol>"
        "<div class=actions><s-button id=add-reason type=button>Add a reason</s-button>"
        "<s-button id=save-reasons type=submit variant=primary>Save reasons</s-button>"
        "<p id=reasons-msg class=msg role=status></p></div></form>"
        f"<script type=application/json id=cancel-flow-data>{words()}</script>"
    )


def report() -> str:
    return (
        "<p id=saves-summary></p><div id=saves-chart class=chart></div>"
        "<p id=saves-msg class=msg role=status></p>"
        "<div class=scroll tabindex=0 role=region aria-label='Saves and cancellations by reason'>"
        "<table><thead><tr><th scope=col>Reason</th><th scope=col class=num>Started</th>"
        "<th scope=col class=num>Offer shown</th><th scope=col class=num>Saved</th>"
        "<th scope=col class=num>Cancelled</th><th scope=col class=num>Save rate</th>"
        "</tr></thead><tbody id=saves-rows></tbody></table></div>"
    )
