"""Database configuration, start-up and migrations (Tortoise ORM's own migration tooling)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as tortoise_migrate

from shopify_app.settings import DEFAULT_DATABASE_URL
from shopify_app.storage import listing_indexes
from shopify_app.storage.models import MODEL_MODULES

MIGRATIONS_MODULE = "shopify_app.storage.migrations"


# Every SQLite connection gets these unless the URL says otherwise (Tortoise turns URL query
# parameters into `PRAGMA name=value` on connect). WAL lets readers run beside the one writer
# and several worker processes share the file; with WAL, `synchronous=NORMAL` syncs at
# checkpoints instead of on every commit, so a commit no longer waits for an fsync (measured:
# the rate-limit and statistics writes of the mint path). It stays corruption-safe; a power
# cut may lose the last commits (rate-limit counts, statistics), never the database.
SQLITE_PRAGMAS = {"journal_mode": "WAL", "synchronous": "NORMAL", "foreign_keys": "ON"}


def with_sqlite_pragmas(database_url: str) -> str:
    """`database_url` with `SQLITE_PRAGMAS` added as query parameters where absent (SQLite
    URLs only; explicit parameters win; other databases are returned unchanged)."""
    if not database_url.startswith("sqlite://"):
        return database_url
    base, _, query = database_url.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    missing = {name: value for name, value in SQLITE_PRAGMAS.items() if name not in params}
    if not missing:
        return database_url
    return f"{base}?{urlencode({**params, **missing})}"


# Every PostgreSQL statement is planned with its parameters' values. asyncpg prepares each
# statement once and PostgreSQL then switches to a generic plan after five executions, blind
# to the values: the customers listing's `ILIKE $2` then used the trigram index for `%ma%` too
# (no trigram to look up: every entry of the shop read, 300 ms instead of 65 at 1M contracts),
# and walked a sort index for a rare name. Planning each time costs well under a millisecond.
POSTGRES_SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}


def connection_config(database_url: str) -> str | dict[str, Any]:
    """The URL as Tortoise takes it: SQLite with its pragmas, asyncpg with its settings."""
    if not database_url.startswith("sqlite://"):
        expanded: dict[str, Any] = expand_db_url(database_url)
        if expanded["engine"] == "tortoise.backends.asyncpg":
            expanded["credentials"]["server_settings"] = dict(POSTGRES_SERVER_SETTINGS)
            return expanded
    return with_sqlite_pragmas(database_url)


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _sqlite_path(database_url: str) -> Path | None:
    if not database_url.startswith("sqlite://"):
        return None
    path = database_url.removeprefix("sqlite://").split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def sqlite_files(database_url: str) -> list[Path]:
    """The database file and its WAL companions that exist (none for other databases)."""
    path = _sqlite_path(database_url)
    if path is None:
        return []
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def ensure_sqlite_directory(database_url: str) -> None:
    """`sqlite://data/app.sqlite3` needs `data/` to exist before the first connection. A
    directory we create is the owner's only, and so is the file SQLite creates in it (umask),
    whatever the process's umask: the database holds every shop's credentials."""
    path = _sqlite_path(database_url)
    if path is None:
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        path.parent.chmod(0o700)  # mkdir's mode is masked by the umask
    if not path.exists():
        path.touch(mode=0o600)
        path.chmod(0o600)


def restrict_sqlite_files(database_url: str) -> None:
    """The WAL and shared-memory files SQLite made beside the database: owner only too."""
    for path in sqlite_files(database_url):
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


async def init(database_url: str) -> None:
    """Open the connections for this process (lifespan and CLI)."""
    ensure_sqlite_directory(database_url)
    # uvicorn runs the lifespan in another task than the requests: share one global context.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    if _sqlite_path(database_url) is not None:
        # The connection is opened lazily: open it now, so its -wal and -shm files exist.
        await Tortoise.get_connection("default").execute_query("SELECT 1")
        restrict_sqlite_files(database_url)


async def close() -> None:
    await Tortoise.close_connections()


@asynccontextmanager
async def connected(database_url: str, *, migrate_first: bool = False) -> AsyncIterator[None]:
    """The connections open for the block (CLI commands), after the pending migrations when
    `migrate_first`; closed however the block ends."""
    if migrate_first:
        await migrate(database_url)
    await init(database_url)
    try:
        yield
    finally:
        await close()


async def migrate(database_url: str) -> None:
    """Apply every pending migration, then release the connections. On PostgreSQL the job
    queue's tables (procrastinate's schema) are created too, once."""
    ensure_sqlite_directory(database_url)
    try:
        await tortoise_migrate(config=tortoise_config(database_url))
        if is_postgres(database_url):
            await _apply_job_schema()
            await listing_indexes.apply(Tortoise.get_connection("default"))
    finally:
        await Tortoise.close_connections()
        restrict_sqlite_files(database_url)


async def _apply_job_schema() -> None:
    """procrastinate's tables, functions and triggers, in the app's database (its schema is one
    SQL script; a database that has them already is left alone)."""
    from procrastinate.schema import SchemaManager

    conn = Tortoise.get_connection("default")
    found = await conn.execute_query_dict("SELECT to_regclass('procrastinate_jobs') AS t")
    if found and found[0]["t"] is None:
        await conn.execute_script(SchemaManager.get_schema())


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://", "asyncpg://", "psycopg://"))


# For Tortoise's own CLI: `make migrations` runs
# `tortoise -c shopify_app.storage.db.TORTOISE_ORM ...`.
TORTOISE_ORM: dict[str, Any] = tortoise_config(
    os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
)
