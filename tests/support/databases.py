"""Fresh, migrated databases for tests: SQLite always, PostgreSQL when `TEST_POSTGRES_DSN` is set.

The suite runs once per backend: `TEST_DATABASE=postgres` selects the throwaway PostgreSQL that
`make test` starts (its DSN in `TEST_POSTGRES_DSN`, e.g. `postgres://postgres@127.0.0.1:5433/postgres`).
Migrations run once per session into a template; each test gets a copy of it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from shopify_app.storage import db


def backend() -> str:
    return os.environ.get("TEST_DATABASE", "sqlite")


def _replace_db_name(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _pg_execute(dsn: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class DatabaseFactory:
    """Makes one migrated template per session, then cheap copies of it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.kind = backend()
        self.template: str | None = None
        self.created: list[str] = []

    async def _prepare(self) -> None:
        if self.template is not None:
            return
        if self.kind == "postgres":
            dsn = os.environ["TEST_POSTGRES_DSN"]
            name = f"tmpl_{uuid.uuid4().hex[:12]}"
            await _pg_execute(dsn, f'CREATE DATABASE "{name}"')
            await db.migrate(_replace_db_name(dsn, name))
            self.template = name
        else:
            path = self.workdir / "template.sqlite3"
            await db.migrate(f"sqlite://{path}")
            self.template = str(path)

    async def new_url(self) -> str:
        await self._prepare()
        assert self.template is not None
        if self.kind == "postgres":
            dsn = os.environ["TEST_POSTGRES_DSN"]
            name = f"t_{uuid.uuid4().hex[:16]}"
            await _pg_execute(dsn, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            self.created.append(name)
            return _replace_db_name(dsn, name)
        path = self.workdir / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite://{path}"

    async def drop_all(self) -> None:
        if self.kind != "postgres" or self.template is None:
            return
        dsn = os.environ["TEST_POSTGRES_DSN"]
        for name in [*self.created, self.template]:
            await _pg_execute(dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        asyncio.run(self.drop_all())
