"""Change signals: how one process tells every other one "drop what you cached", at once.

A change every worker must honour on its very next request (an API key revoked, a shop
uninstalled) bumps a counter row (`ChangeSignal`) in the same transaction. A per-process cache
asks `ChangeWatch.changed()` before trusting itself:

- SQLite in WAL mode: every commit, by any process, rewrites the WAL-index header at the start of
  the `-shm` file (its frame count or, after a checkpoint, its salts: see sqlite.org/walformat).
  Reading those 96 bytes from a memory map costs well under a microsecond (no query, no system
  call); only when they differ is the counter row read, on a private read-only connection.
  The hot path stays free of queries while nothing is written.
- Anything else (PostgreSQL, an in-memory SQLite): the counter row is read for the request, but
  concurrent requests share one read. A request only joins a read that starts after it arrived,
  so it still sees every change committed before it came.
"""

from __future__ import annotations

import asyncio
import contextlib
import mmap
import os
import sqlite3

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from shopify_app.storage.models import ChangeSignal

AUTH = "auth"  # API keys revoked, shops uninstalled
_HEADER_BYTES = 96  # both copies of the WAL-index header


async def bump(name: str = AUTH) -> None:
    """Tell every process that `name` changed (call inside the changing transaction)."""
    for _ in range(3):
        if await ChangeSignal.filter(name=name).update(value=F("value") + 1):
            return
        try:
            await ChangeSignal.create(name=name, value=1)
            return
        except IntegrityError:
            continue  # another process created it first: update it


async def current(name: str = AUTH) -> int:
    values = await ChangeSignal.filter(name=name).values_list("value", flat=True)
    return int(str(values[0])) if values else 0


class _SharedRead:
    """Reads of the counter shared by concurrent callers, each served by a read begun after
    it asked."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._waiting: asyncio.Future[int] | None = None
        self._task: asyncio.Task[None] | None = None

    async def read(self) -> int:
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
        waiting = self._waiting
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())
        return await asyncio.shield(waiting)

    async def _run(self) -> None:
        try:
            while self._waiting is not None:
                waiting, self._waiting = self._waiting, None
                try:
                    waiting.set_result(await current(self.name))
                except Exception as exc:  # the waiters raise it; the next read tries again
                    waiting.set_exception(exc)
        finally:
            self._task = None


class _WalIndex:
    """The WAL-index header of the process's SQLite database, read through a shared read-only
    memory map: a plain memory read that keeps the GIL (a `pread` releases and re-acquires it
    on every request, and waiting for it behind another thread was a measured tail stall).
    SQLite only truncates the file when no connection holds it, and this process holds one."""

    def __init__(self, database: str) -> None:
        with open(f"{database}-shm", "rb") as file:
            if os.fstat(file.fileno()).st_size < _HEADER_BYTES:
                raise OSError("the WAL index is not initialised yet")
            self.map = mmap.mmap(file.fileno(), _HEADER_BYTES, access=mmap.ACCESS_READ)
        # The counter is read on a private read-only connection, synchronously: a WAL reader
        # waits neither for writers nor for checkpoints, while the app's own connection queues
        # every statement behind its writes (statistics, rate-limit batches, checkpoints).
        self.reader = sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                      check_same_thread=False)

    def header(self) -> bytes:
        return self.map[:_HEADER_BYTES]

    def current(self, name: str) -> int:
        try:
            row = self.reader.execute(
                "SELECT value FROM change_signals WHERE name = ?", (name,)).fetchone()
        except sqlite3.OperationalError:
            return 0  # not migrated yet
        return int(row[0]) if row else 0

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.map.close()
        with contextlib.suppress(sqlite3.Error):
            self.reader.close()


def _wal_index() -> _WalIndex | bool:
    """The `-shm` file of the default connection when it is a SQLite file in WAL mode (this
    process holds the database open, so the file stays the same one); False when there is
    none to find; True when there may be one once the connection has read the database."""
    client = connections.get("default")
    filename = getattr(client, "filename", None)
    if not isinstance(filename, str) or filename in ("", ":memory:"):
        return False
    try:
        return _WalIndex(filename)
    except OSError:
        return True


class ChangeWatch:
    """`changed()`: has the signal moved since this watch last looked? One per cache."""

    def __init__(self, name: str = AUTH) -> None:
        self._reader = _SharedRead(name)
        self._seen: int | None = None
        self._index: _WalIndex | None = None
        self._probe = True  # until the WAL index is found, or known not to exist
        self._header = b""

    def quiet(self) -> bool:
        """True when nothing was committed since the last look (the WAL-index header is the
        one seen then): `changed()` would answer False. No coroutine, for the hot path; False
        means "ask `changed()`"."""
        index = self._index
        return index is not None and not self._probe and index.header() == self._header

    async def changed(self) -> bool:
        if self._probe:
            found = _wal_index()
            self._index = found if isinstance(found, _WalIndex) else None
            self._probe = found is True
        header = b""
        if self._index is not None:
            header = self._index.header()
            if header == self._header:
                return False
            value = self._index.current(self._reader.name)
        else:
            value = await self._reader.read()
        # The header read before the counter: a commit after it shows as a new header next time.
        self._header = header
        seen, self._seen = self._seen, value
        return seen is not None and seen != value

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self._index, self._probe = None, True
