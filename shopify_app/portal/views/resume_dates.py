""""Paused until <date>": the resume dates customers chose (`ScheduledResume`), attached to the
contracts a page shows. One indexed query per page, none when nothing is paused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from shopify_app.portal.views.viewmodels import Contract, ContractDetail, Overview
from shopify_app.storage.models import ScheduledResume


async def _dates(shop_id: int, customer_id: int, contract_ids: list[int]) -> dict[int, date]:
    if not contract_ids:
        return {}
    rows = await ScheduledResume.filter(
        shop_id=shop_id, customer_id=customer_id, contract_id__in=contract_ids, status="pending"
    ).values_list("contract_id", "resume_on")
    return {int(cid): day for cid, day in rows}


def _with(contract: Contract, dates: dict[int, date]) -> Contract:
    day = dates.get(contract.id)
    return replace(contract, resume_on=day) if day is not None else contract


async def on_detail(detail: ContractDetail, shop_id: int, customer_id: int) -> ContractDetail:
    if detail.contract.status != "PAUSED":
        return detail
    dates = await _dates(shop_id, customer_id, [detail.contract.id])
    return replace(detail, contract=_with(detail.contract, dates))


async def on_overview(overview: Overview, shop_id: int) -> Overview:
    paused = [c.id for c in overview.contracts if c.status == "PAUSED"]
    dates = await _dates(shop_id, overview.customer_id, paused)
    if not dates:
        return overview
    return replace(overview, contracts=[_with(c, dates) for c in overview.contracts])
