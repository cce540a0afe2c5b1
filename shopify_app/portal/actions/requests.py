"""What every self-service action receives, and the form checks they share.

`actions` dispatches; `status_actions` and `contract_edits` hold the handlers. Keeping the
request type here lets both handler modules use it without importing the dispatcher.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.viewmodels import ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import Shop


@dataclass(frozen=True)
class ActionRequest:
    shop: Shop
    customer_id: int
    contract_id: int
    action: str
    form: Mapping[str, str]
    now: datetime


@dataclass(frozen=True)
class Outcome:
    """What a handler returns when its success message is not `flash.<action>` as is."""

    detail: str  # the `PortalEvent.detail` to record
    message_key: str
    params: Mapping[str, object] = field(default_factory=dict)


# A handler runs the mutation(s) and returns the `PortalEvent.detail` to record (or an Outcome).
Handler = Callable[[AdminClient, ActionRequest, ContractDetail], Awaitable[str | Outcome]]


def text_field(form: Mapping[str, str], name: str, limit: int = 255) -> str:
    """The stripped value of `name` (empty if absent), or `InvalidInput` if too long."""
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"The field {name} is too long.", extra={"field": name})
    return value


def int_field(form: Mapping[str, str], name: str) -> int | None:
    """The whole number in `name`, None if empty, or `InvalidInput` if not digits."""
    raw = text_field(form, name, 12)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise InvalidInput(f"The field {name} must be a whole number.", extra={"field": name})
    return int(raw)
