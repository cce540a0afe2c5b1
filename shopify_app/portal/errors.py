"""Portal failures, each with a stable code. The friendly page picks its wording by code."""

from __future__ import annotations

from shopify_app.errors import AppError, Conflict, Forbidden, Gone, NotFound, Unauthorized


class ProxySignatureInvalid(Unauthorized):
    code = "proxy_signature_invalid"
    title = "This page must be opened through the store"


class ShopNotInstalled(NotFound):
    code = "shop_not_installed"
    title = "This store does not offer the portal"


class LoginRequired(Unauthorized):
    code = "login_required"
    title = "Please sign in"


class TokenSpent(Gone):
    code = "token_spent"
    title = "This link was already used"


class TokenMismatch(Forbidden):
    """A link for another shop, or for a customer other than the logged-in one."""

    code = "token_mismatch"
    title = "This link is not for this account"


class SessionRequired(Forbidden):
    code = "session_required"
    title = "Your session is missing"


class SessionInvalid(Forbidden):
    code = "session_invalid"
    title = "Your session is not valid here"


class SessionExpired(Forbidden):
    code = "session_expired"
    title = "Your session has expired"


class FormReplayed(Conflict):
    """The per-page nonce of a change form was already spent (resubmission or replay)."""

    code = "form_replayed"
    title = "This form was already submitted"


class ContractNotFound(NotFound):
    code = "contract_not_found"
    title = "Subscription not found"


class ActionDisabled(Forbidden):
    code = "action_disabled"
    title = "This change is not available"


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"
    title = "Please check your input"
