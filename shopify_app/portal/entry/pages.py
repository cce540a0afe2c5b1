"""Pages shown before (or instead of) the portal: the continue page and the friendly page.

The continue page answers GET/HEAD on a link: it holds the token in a POST form that a tiny
script submits at once, with a visible button for browsers without script. Email scanners
fetch it and stop there, so they never spend a single-use link.

The friendly page renders any portal error: what happened in plain words, and a way forward
(the store's account login, and back to the portal when the session still works).
"""

from __future__ import annotations

from shopify_app.errors import AppError
from shopify_app.portal.views.layout import Frame, Page, document, post_form
from shopify_app.portal.views.markup import Markup, join, render

# Codes with their own wording in the catalogue; the rest read as `error.generic`.
KNOWN_CODES = frozenset(
    {
        "proxy_signature_invalid",
        "shop_not_installed",
        "login_required",
        "invalid_token",
        "token_expired",
        "token_revoked",
        "token_spent",
        "token_mismatch",
        "session_required",
        "session_invalid",
        "session_expired",
        "form_replayed",
        "contract_not_found",
        "order_not_found",
        "action_disabled",
        "invalid_input",
        "shopify_user_error",
        "shopify_unavailable",
        "not_found",
        "unknown_action",
        "method_not_allowed",
    }
)


def continue_page(frame: Frame, token: str) -> Page:
    t = frame.t.t
    form = post_form(
        frame,
        "",
        t("continue.button"),
        testid="continue-button",
        hidden_fields={"token": token},
        form_class="",
    )
    # The script looks for this id to submit it; rename both together.
    form = Markup(
        form.replace('<form method="post"', '<form id="sp-continue-form" method="post"', 1)
    )
    body = render(
        "<h1>$h</h1><p>$p</p>$form", h=t("continue.title"), p=t("continue.body"), form=form
    )
    return document(frame, t("continue.title"), body)


def friendly_page(frame: Frame, error: AppError, *, login_url: str | None) -> Page:
    t = frame.t.t
    code = error.code if error.code in KNOWN_CODES else "generic"
    ways: list[Markup] = []
    if frame.session_value:
        ways.append(post_form(frame, "", t("friendly.back"), testid="back-to-portal"))
    if login_url:
        ways.append(
            render(
                '<a class="sp-button" href="$href" data-testid="login-link">$l</a>',
                href=login_url,
                l=t("friendly.login"),
            )
        )
    # Shopify's own refusal text is meant for the customer; our details stay generic.
    detail = (
        error.detail if code in ("shopify_user_error", "invalid_input") else t(f"error.{code}.body")
    )
    body = render(
        '<section class="sp-card" data-testid="friendly" data-code="$code"'
        ' aria-labelledby="sp-heading"><h1 id="sp-heading" tabindex="-1">$h</h1>'
        '<p role="alert" data-testid="friendly-message">$d</p>'
        '<div class="sp-actions">$ways</div></section>',
        code=error.code,
        h=t(f"error.{code}.title"),
        d=detail,
        ways=join(ways),
    )
    return document(frame, t(f"error.{code}.title"), body, status=error.status)
