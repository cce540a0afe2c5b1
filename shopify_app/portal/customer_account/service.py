"""The extension's use cases: the proxy portal's own reads and action registry, called with
the customer the session token names. No second copy of any rule lives here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shopify_app.merchant import policy
from shopify_app.portal.actions import registry
from shopify_app.portal.actions.swap import line_of
from shopify_app.portal.customer_account import line_payloads, payloads
from shopify_app.portal.customer_account.guard import AccountCustomer
from shopify_app.portal.errors import ActionDisabled, ContractNotFound, InvalidInput
from shopify_app.portal.views import reads
from shopify_app.portal.views.read_cache import ReadCache
from shopify_app.portal.views.swap_choices import load_swap_choices
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyQueryError

MAX_FIELDS = 20
MAX_FIELD_LENGTH = 1000


async def list_subscriptions(admin: AdminClient, customer: AccountCustomer) -> dict[str, Any]:
    """The customer's subscriptions with their lines (one Admin API request)."""
    data = await reads.load_overview(admin, customer.shop, customer.customer_id)
    return payloads.overview(customer.shop, data)


async def _missing_unless_owned(
    admin: AdminClient, customer: AccountCustomer, contract_id: int, error: ShopifyQueryError
) -> ContractNotFound:
    """Shopify answers an id the shop does not have (never existed, another shop's) with a
    GraphQL error, not null. Unless the contract is the customer's, that is the same "not
    found" as someone else's: an id's existence cannot be probed. Only on this error path."""
    overview = await reads.load_overview(admin, customer.shop, customer.customer_id)
    if any(contract.id == contract_id for contract in overview.contracts):
        raise error
    return ContractNotFound("We could not find this subscription.")


missing_unless_owned = _missing_unless_owned  # for the cancel flow's steps


async def show_subscription(
    admin: AdminClient,
    customer: AccountCustomer,
    contract_id: int,
    now: datetime,
    offers_cache: ReadCache | None = None,
) -> dict[str, Any]:
    """One subscription with its upcoming orders; another customer's is "not found". The
    shop's add-on offers through `offers_cache` when given (they are the same for everyone)."""
    try:
        data = await reads.load_contract(
            admin, customer.shop, customer.customer_id, contract_id, now, offers_cache
        )
    except ShopifyQueryError as error:
        raise await _missing_unless_owned(admin, customer, contract_id, error) from None
    return payloads.detail(customer.shop, data, now.date())


def form_of(body: object) -> dict[str, str]:
    """The action's fields from a JSON body: an object of strings (numbers are written as
    text, as a form would send them), or `InvalidInput`."""
    if body is None:
        return {}
    if not isinstance(body, Mapping) or len(body) > MAX_FIELDS:
        raise InvalidInput("Send a JSON object of fields.", code="invalid_body")
    form: dict[str, str] = {}
    for name, value in body.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidInput(f"The field {name} must be text.", extra={"field": str(name)[:64]})
        text = str(value)
        if len(text) > MAX_FIELD_LENGTH:
            raise InvalidInput(f"The field {name} is too long.", extra={"field": str(name)[:64]})
        form[str(name)] = text
    return form


async def act(
    admin: AdminClient,
    customer: AccountCustomer,
    contract_id: int,
    action: str,
    form: Mapping[str, str],
    now: datetime,
) -> dict[str, Any]:
    """Run one portal action through the registry (toggles, status, draft flow, audit), then
    answer the subscription as it now stands with the success message's key."""
    request = registry.ActionRequest(
        shop=customer.shop,
        customer_id=customer.customer_id,
        contract_id=contract_id,
        action=action,
        form=form,
        now=now,
    )
    try:
        result = await registry.perform(admin, request)
    except ShopifyQueryError as error:
        raise await _missing_unless_owned(admin, customer, contract_id, error) from None
    shown = await show_subscription(admin, customer, contract_id, now)
    return {**shown, "message": result.message_key, "messageParams": dict(result.params)}


async def swap_options(
    admin: AdminClient, customer: AccountCustomer, contract_id: int, line_gid: str, now: datetime
) -> dict[str, Any]:
    """What one of the customer's lines may become, each with its new price (the swap page's
    list, `views.swap_choices`); the `swap` action accepts exactly these."""
    if not policy.action_enabled(customer.shop, "swap"):
        raise ActionDisabled("This store does not offer this change online.")
    try:
        detail = await reads.load_contract(
            admin, customer.shop, customer.customer_id, contract_id, now
        )
    except ShopifyQueryError as error:
        raise await _missing_unless_owned(admin, customer, contract_id, error) from None
    if not policy.action_available(customer.shop, "swap", detail.contract.status):
        raise ActionDisabled("This change is not possible for this subscription right now.")
    line = line_of(detail, line_gid[:MAX_FIELD_LENGTH])
    choices = await load_swap_choices(admin, customer.shop, line)
    return line_payloads.swap_options(line, choices)
