"""Changing the delivery address: of one subscription, or of all the customer's live ones.

The address is checked once for its country (`addresses.validation`, the server's word); an
invalid one changes nothing anywhere. Each subscription then takes it through its own draft
(`subscriptionContractUpdate` → `subscriptionDraftUpdate` → `subscriptionDraftCommit`), so a
subscription is changed whole or not at all.

All at once (the "all my subscriptions" box, a per-shop setting): the subscription on screen
first, then the customer's other ACTIVE/PAUSED ones (as Shopify listed them when the action
loaded the contract: its first 10). Shopify has no transaction across contracts, so one that
Shopify refuses (say `STALE_CONTRACT`: someone edited it meanwhile) does not undo those
already changed (undoing would be more writes that can fail too): the others are still
tried, and the customer is told exactly which changed and which did not (`PartlyChanged`),
to retry the rest. A failure that is not a refusal (Shopify unreachable after retries) stops
there: the rest are reported as not changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from shopify_app.errors import AppError
from shopify_app.merchant import policy
from shopify_app.portal.actions.contract_edits import _draft
from shopify_app.portal.actions.requests import ActionRequest, Outcome
from shopify_app.portal.addresses.validation import validate
from shopify_app.portal.views.address_form import ALL_SETTING, ALL_SUBSCRIPTIONS
from shopify_app.portal.views.parsing import CONTRACT_GID
from shopify_app.portal.views.reads import load_overview
from shopify_app.portal.views.viewmodels import ContractDetail
from shopify_app.shopify.client import AdminClient
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.storage.models import PortalEvent


class PartlyChanged(AppError):
    """Some subscriptions took the new address, others did not. `extra`: `changed` (ids),
    `failed` (`{id, title, code, message}` each, in order)."""

    status = 409
    code = "address_partly_changed"
    title = "The address changed on some subscriptions only"


@dataclass(frozen=True)
class _Failure:
    contract_id: int
    error: AppError


async def _apply(admin: AdminClient, req: ActionRequest, contract_id: int, address: object) -> None:
    draft_input = {"deliveryMethod": {"shipping": {"address": address}}}
    await _draft(
        admin,
        req.shop,
        f"{CONTRACT_GID}{contract_id}",
        [("SubscriptionDraftUpdate", {"input": draft_input}, "subscriptionDraftUpdate")],
    )


def _summary(address: dict[str, str]) -> dict[str, str]:
    return {"city": address.get("city", ""), "countryCode": address.get("countryCode", "")}


async def change_address(
    admin: AdminClient, req: ActionRequest, detail: ContractDetail
) -> str | Outcome:
    address, _ = validate(req.form)
    others = [i for i in detail.live_ids if i != detail.contract.id]
    every = req.form.get(ALL_SUBSCRIPTIONS) == "1" and policy.action_enabled(
        req.shop, ALL_SETTING
    )
    if not every or not others:
        await _apply(admin, req, detail.contract.id, address)
        return json.dumps(_summary(address))
    changed: list[int] = []
    failures: list[_Failure] = []
    for contract_id in [detail.contract.id, *others]:
        if failures and not isinstance(failures[-1].error, ShopifyUserErrors):
            failures.append(_Failure(contract_id, failures[-1].error))  # not tried
            continue
        try:
            await _apply(admin, req, contract_id, address)
        except AppError as error:
            failures.append(_Failure(contract_id, error))
        else:
            changed.append(contract_id)
    event = json.dumps({**_summary(address), "all": True})
    if not failures:
        for contract_id in others:  # the dispatcher records the one on screen
            await _record(req, contract_id, event)
        return Outcome(event, "flash.change_address_all", {"count": len(changed)})
    if not changed:
        raise failures[0].error
    for contract_id in changed:
        await _record(req, contract_id, event)
    raise await _partly(admin, req, detail, changed, failures)


async def _record(req: ActionRequest, contract_id: int, detail: str) -> None:
    await PortalEvent.create(
        shop_id=req.shop.id,
        customer_id=req.customer_id,
        contract_id=contract_id,
        action=req.action,
        detail=detail,
    )


async def _partly(
    admin: AdminClient,
    req: ActionRequest,
    detail: ContractDetail,
    changed: list[int],
    failures: list[_Failure],
) -> PartlyChanged:
    """The report, with each subscription named by its products (one more read, only here)."""
    titles = {detail.contract.id: detail.contract.lines[0].title if detail.contract.lines else ""}
    try:
        overview = await load_overview(admin, req.shop, req.customer_id)
        titles.update({c.id: c.lines[0].title for c in overview.contracts if c.lines})
    except AppError:
        pass  # the ids will do
    failed = []
    for failure in failures:
        errors = getattr(failure.error, "user_errors", [])
        code = next((str(e.get("code")) for e in errors if e.get("code")), failure.error.code)
        failed.append(
            {
                "id": failure.contract_id,
                "title": titles.get(failure.contract_id, ""),
                "code": code,
                "message": failure.error.detail[:300],
            }
        )
    return PartlyChanged(
        "The address changed on some subscriptions only.",
        extra={
            "changed": [{"id": i, "title": titles.get(i, "")} for i in changed],
            "failed": failed,
        },
    )
