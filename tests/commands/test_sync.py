"""`python -m shopify_app sync SHOP`: the command, its summary and its progress bar."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from shopify_app.commands.sync import ProgressBar, sync
from shopify_app.mirror.sync import SyncProgress
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.settings import Settings
from shopify_app.storage import db
from shopify_app.storage.models import Customer, Shop, SubscriptionContract
from tests.support.live import python_module
from tests.support.store import register_shop
from tests.test_cli import clean_env


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def registered(settings: Settings, store: SimulatedStore) -> str:
    await db.init(settings.database_url)
    try:
        await register_shop(store, DEMO_SHOP)
    finally:
        await db.close()
    return DEMO_SHOP


async def mirror_counts(settings: Settings) -> tuple[int, int]:
    await db.init(settings.database_url)
    try:
        return await SubscriptionContract.all().count(), await Customer.all().count()
    finally:
        await db.close()


async def test_sync_prints_progress_on_stderr_and_a_summary_on_stdout(
    settings: Settings, registered: str, store_transport: httpx.ASGITransport,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = io.StringIO()
    status = await sync(settings, registered, transport=store_transport,
                        progress=ProgressBar(log, tty=False))

    assert status == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith(f"synced {DEMO_SHOP}: 5 contracts, 4 customers in 1 pages")
    assert "left as they are" in out
    assert log.getvalue() == f"[done] sync {DEMO_SHOP}: page 1, 5 contracts, 4 customers\n"
    assert await mirror_counts(settings) == (5, 4)

    # Again: the same rows, the same summary.
    assert await sync(settings, registered, transport=store_transport,
                      progress=ProgressBar(io.StringIO(), tty=False)) == 0
    assert await mirror_counts(settings) == (5, 4)


@pytest.mark.parametrize(
    ("domain", "uninstalled", "message"),
    [
        ("unknown-shop.myshopify.com", False, "No shop unknown-shop.myshopify.com"),
        ("not a shop", False, ""),
        (DEMO_SHOP, True, "has uninstalled the app"),
    ],
)
async def test_sync_refuses_unknown_and_uninstalled_shops(
    settings: Settings, registered: str, store_transport: httpx.ASGITransport,
    capsys: pytest.CaptureFixture[str], domain: str, uninstalled: bool, message: str,
) -> None:
    if uninstalled:
        await db.init(settings.database_url)
        try:
            await Shop.filter(domain=DEMO_SHOP).update(uninstalled_at=datetime.now(UTC))
        finally:
            await db.close()
    status = await sync(settings, domain, transport=store_transport,
                        progress=ProgressBar(io.StringIO(), tty=True))
    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and message in captured.err
    assert await mirror_counts(settings) == (0, 0)


async def test_shopify_failing_exits_1_with_the_reason(
    settings: Settings, registered: str, store: SimulatedStore,
    store_transport: httpx.ASGITransport, capsys: pytest.CaptureFixture[str],
) -> None:
    store.faults.push(DEMO_SHOP, "http_429")
    one_try = settings.with_changes(shopify_max_attempts=1)
    status = await sync(one_try, registered, transport=store_transport,
                        progress=ProgressBar(io.StringIO(), tty=False))
    assert status == 1
    assert "Shopify is not answering" in capsys.readouterr().err


def state(pages: int, *, done: bool = False, skipped: int = 0) -> SyncProgress:
    return SyncProgress(shop="s.myshopify.com", pages=pages, contracts=200 * pages,
                        customers=150 * pages, skipped=skipped, done=done)


def test_on_a_terminal_one_line_is_redrawn_in_place() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=True)
    bar(state(1))
    bar(state(2, skipped=3))
    bar(state(3, done=True))
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    frames = text.removesuffix("\n").split("\r")[1:]
    assert frames[0] == "[/] sync s.myshopify.com: page 1, 200 contracts, 150 customers"
    assert frames[1].endswith("3 skipped (no customer)")
    # A shorter line pads over the longer one before it.
    assert frames[2].startswith("[done] sync s.myshopify.com: page 3, 600 contracts")
    assert len(frames[2]) == len(frames[1])


def test_an_interrupted_terminal_line_is_ended_before_an_error() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=True)
    bar(state(1))
    bar.interrupt()
    bar.interrupt()
    assert stream.getvalue().count("\n") == 1


def test_without_a_terminal_a_line_every_few_seconds_and_the_last() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(stream, tty=False, every=5.0, clock=clock)
    for seconds, pages in ((0.0, 1), (2.0, 2), (4.9, 3), (5.0, 4), (6.0, 5)):
        clock.now = 100.0 + seconds
        bar(state(pages))
    bar(state(6, done=True))
    lines = stream.getvalue().splitlines()
    assert [line.split(":")[1].split(",")[0] for line in lines] == [
        " page 1", " page 4", " page 6"]
    assert "\r" not in stream.getvalue()


def test_the_command_runs_as_a_program(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite://{tmp_path / 'app.sqlite3'}")
    result = subprocess.run(
        python_module("shopify_app", "sync", "nowhere.myshopify.com"),
        cwd=tmp_path, capture_output=True, text=True, check=False, env=env, timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "error: No shop nowhere.myshopify.com is registered" in result.stderr
