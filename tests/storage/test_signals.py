"""The change signal: on SQLite no query while nothing was written; any commit by another
connection (another process) is seen on the next look."""

from __future__ import annotations

import sqlite3

import pytest

from shopify_app.storage import signals


async def test_a_bump_is_seen_by_every_watch_on_the_next_look(database: str) -> None:
    watch, other = signals.ChangeWatch(), signals.ChangeWatch()
    assert not await watch.changed() and not await other.changed()
    await signals.bump()
    assert await watch.changed() and await other.changed()
    assert not await watch.changed()  # seen once
    await signals.bump()
    await signals.bump()
    assert await watch.changed()
    assert await signals.current() == 3


async def test_on_sqlite_the_steady_state_reads_no_row(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database.startswith("sqlite://"):
        pytest.skip("the WAL index is SQLite's")
    watch = signals.ChangeWatch()
    assert not await watch.changed()  # opens the connection, then finds its WAL index
    assert not await watch.changed()
    reads = 0
    real = signals._WalIndex.current

    def counting(self: signals._WalIndex, name: str) -> int:
        nonlocal reads
        reads += 1
        return real(self, name)

    monkeypatch.setattr(signals._WalIndex, "current", counting)
    for _ in range(100):
        assert not await watch.changed()
    assert reads == 0
    # Another connection, as another process would: its commit shows in the WAL index.
    path = database.removeprefix("sqlite://").split("?")[0]
    with sqlite3.connect(path) as other:
        other.execute("INSERT INTO change_signals (name, value) VALUES ('auth', 7)")
    assert await watch.changed()
    assert reads == 1
    assert not await watch.changed() and reads == 1
    watch.close()
