"""Pause until a date: the resume is stored durably, scheduled as a job, found again by the
periodic sweep after a restart, idempotent, and does nothing when the customer changed their
mind (cancelled, resumed or paused again) meanwhile. Clocks are injected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from shopify_app.app import create_app
from shopify_app.jobs import queue
from shopify_app.links.tokens import keyring_from_settings
from shopify_app.portal.actions.pause_until import resume_moment
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID as ACTIVE
from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.storage.models import PortalEvent, ScheduledResume
from shopify_app.tasks import resumes
from shopify_app.tasks.registry import register
from shopify_app.tasks.worker import run_pending
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from
from tests.support.store import register_shop


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def app_client(
    database: str, settings: Settings, store_transport: httpx.AsyncBaseTransport, clock: Clock,
    store: SimulatedStore,
) -> AsyncIterator[tuple[httpx.AsyncClient, AdminClient]]:
    await register_shop(store, DEMO_SHOP)
    settings = settings.with_changes(shopify_max_attempts=1)
    app = create_app(settings, manage_database=False, http_transport=store_transport,
                     jobs=True, worker=False, clock=clock)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://app.example.test"
    ) as client:
        yield client, app.state.app_state.admin


async def _pause_until(client: httpx.AsyncClient, settings: Settings, day: date) -> httpx.Response:
    alice = ProxyClient(client, DEMO_SHOP)
    page = await enter(alice, keyring_from_settings(settings), ALICE_ID)
    page = (await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})).text
    return await alice.post(f"/contracts/{ACTIVE}/pause_until",
                            {"session": session_from(page), "resume_on": day.isoformat()})


async def test_pause_until_resumes_on_the_day_and_only_once(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock,
) -> None:
    client, admin = app_client
    day = clock.now.date() + timedelta(days=10)
    answer = await _pause_until(client, settings, day)
    assert answer.status_code == 200, answer.text
    assert 'data-testid="paused-until">Paused until' in answer.text
    terms = store.contracts[ACTIVE].terms
    assert terms.status == "PAUSED"
    assert terms.next_billing_date == datetime.combine(day, datetime.min.time(), UTC).replace(
        hour=12)
    row = await ScheduledResume.get(contract_id=ACTIVE)
    assert (row.status, row.resume_on, row.resume_at) == ("pending", day, resume_moment(day))

    # The day before: nothing happens, by the job or by the sweep.
    assert await resumes.resume_one(admin, row.id, resume_moment(day) - timedelta(hours=1)) \
        == "not_due"
    assert await resumes.resume_due(admin, resume_moment(day) - timedelta(hours=1)) == {}
    assert terms.status == "PAUSED"

    # The day: resumed once, however many runs (the job and the sweep both come by).
    on_the_day = resume_moment(day) + timedelta(minutes=3)
    assert await resumes.resume_one(admin, row.id, on_the_day) == "resumed"
    assert await resumes.resume_one(admin, row.id, on_the_day) == "not_due"
    assert await resumes.resume_due(admin, on_the_day) == {}
    assert terms.status == "ACTIVE"
    assert await PortalEvent.filter(action="auto_resume", contract_id=ACTIVE).count() == 1
    assert (await ScheduledResume.get(id=row.id)).status == "done"


async def test_two_workers_at_once_resume_once(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock,
) -> None:
    client, admin = app_client
    day = clock.now.date() + timedelta(days=3)
    await _pause_until(client, settings, day)
    row = await ScheduledResume.get(contract_id=ACTIVE)
    activations: list[str] = []
    store_requests = store.requests
    due = resume_moment(day) + timedelta(minutes=1)
    outcomes = await asyncio.gather(*(resumes.resume_one(admin, row.id, due) for _ in range(4)))
    activations = [op for _, op in store_requests if op == "SubscriptionContractActivate"]
    assert sorted(outcomes) == ["not_due", "not_due", "not_due", "resumed"]
    assert len(activations) == 1


@pytest.mark.parametrize("change", ["cancelled_in_shopify", "resumed_by_hand", "paused_again"])
async def test_a_resume_the_customer_overrode_does_nothing(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock, change: str,
) -> None:
    client, admin = app_client
    day = clock.now.date() + timedelta(days=5)
    await _pause_until(client, settings, day)
    row = await ScheduledResume.get(contract_id=ACTIVE)
    terms = store.contracts[ACTIVE].terms
    if change == "cancelled_in_shopify":
        terms.status = "CANCELLED"
        expected = "contract_cancelled"
    else:
        # The customer resumed by hand in the portal (then, for "paused_again", paused again
        # with no date: their latest choice wins, the contract stays paused).
        alice = ProxyClient(client, DEMO_SHOP)
        page = await enter(alice, keyring_from_settings(settings), ALICE_ID)
        page = (await alice.post(f"/contracts/{ACTIVE}", {"session": session_from(page)})).text
        page = (await alice.post(f"/contracts/{ACTIVE}/resume",
                                 {"session": session_from(page)})).text
        if change == "paused_again":
            await alice.post(f"/contracts/{ACTIVE}/pause", {"session": session_from(page)})
        expected = "changed_by_customer"
    status_before = terms.status
    outcome = await resumes.resume_one(admin, row.id, resume_moment(day) + timedelta(minutes=1))
    assert outcome == expected
    assert terms.status == status_before
    row = await ScheduledResume.get(id=row.id)
    assert (row.status, row.outcome) == ("void", expected)
    assert await PortalEvent.filter(action="auto_resume").count() == 0


async def test_the_job_is_scheduled_and_a_restart_loses_no_resume(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock, store_transport: httpx.AsyncBaseTransport,
) -> None:
    client, _ = app_client
    day = clock.now.date() + timedelta(days=7)
    await _pause_until(client, settings, day)
    row = await ScheduledResume.get(contract_id=ACTIVE)
    app = queue.current()
    assert app is not None
    jobs = await app.job_manager.list_jobs_async(task=queue.RESUME_CONTRACT)
    (job,) = jobs
    assert job.task_kwargs == {"resume_id": row.id}
    assert job.scheduled_at == resume_moment(day)
    # Not due yet: the worker leaves it.
    await run_pending(app)
    assert store.contracts[ACTIVE].terms.status == "PAUSED"

    # "Restart": a new process's queue. On SQLite the in-memory job died with the old one; on
    # PostgreSQL it is still in the table. Either way the row is durable and the periodic
    # sweep (what the new process runs every five minutes) resumes the contract on the day.
    async with httpx.AsyncClient(transport=store_transport) as http:
        admin = AdminClient(http, settings.with_changes(shopify_max_attempts=1))
        fresh = queue.make_app(settings.database_url)
        register(fresh, admin, clock=lambda: resume_moment(day) + timedelta(minutes=5),
                 sleep=asyncio.sleep)
        async with queue.open_queue(fresh):
            left = await fresh.job_manager.list_jobs_async(task=queue.RESUME_CONTRACT)
            assert len(left) == (1 if queue.is_durable(fresh) else 0)
            await queue.defer(queue.RESUME_DUE, timestamp=0)  # the periodic tick
            await run_pending(fresh)
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"
    assert (await ScheduledResume.get(id=row.id)).status == "done"


async def test_the_resume_job_runs_through_the_queue(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock,
) -> None:
    client, _ = app_client
    day = clock.now.date() + timedelta(days=2)
    await _pause_until(client, settings, day)
    row = await ScheduledResume.get(contract_id=ACTIVE)
    app = queue.current()
    assert app is not None
    clock.now = resume_moment(day) + timedelta(seconds=30)  # the app's clock reaches the day
    await queue.defer(queue.RESUME_CONTRACT, resume_id=row.id)  # as procrastinate hands it over
    await run_pending(app)
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"


async def test_the_sweep_takes_back_a_claim_a_dead_worker_left(
    app_client: tuple[httpx.AsyncClient, AdminClient], settings: Settings,
    store: SimulatedStore, clock: Clock,
) -> None:
    client, admin = app_client
    day = clock.now.date() + timedelta(days=2)
    await _pause_until(client, settings, day)
    due = resume_moment(day) + timedelta(minutes=1)
    await ScheduledResume.filter(contract_id=ACTIVE).update(status="running", updated_at=due)
    assert await resumes.resume_due(admin, due + timedelta(minutes=5)) == {}  # still held
    later = due + resumes.STALE_CLAIM + timedelta(minutes=1)
    assert await resumes.resume_due(admin, later) == {"resumed": 1}
    assert store.contracts[ACTIVE].terms.status == "ACTIVE"


