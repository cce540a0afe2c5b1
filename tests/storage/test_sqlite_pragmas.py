"""SQLite connections run in WAL mode with `synchronous=NORMAL` unless their URL says otherwise."""

from __future__ import annotations

import pytest
from tortoise import connections

from shopify_app.storage import db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite://data/app.sqlite3",
         "sqlite://data/app.sqlite3?journal_mode=WAL&synchronous=NORMAL&foreign_keys=ON"),
        ("sqlite:///tmp/x.sqlite3?synchronous=FULL",
         "sqlite:///tmp/x.sqlite3?synchronous=FULL&journal_mode=WAL&foreign_keys=ON"),
        ("sqlite:///tmp/x.sqlite3?journal_size_limit=100",
         "sqlite:///tmp/x.sqlite3?journal_size_limit=100&journal_mode=WAL&synchronous=NORMAL"
         "&foreign_keys=ON"),
        ("sqlite:///tmp/x.sqlite3?journal_mode=WAL&synchronous=NORMAL&foreign_keys=ON",
         "sqlite:///tmp/x.sqlite3?journal_mode=WAL&synchronous=NORMAL&foreign_keys=ON"),
        ("postgres://u@127.0.0.1:5432/app", "postgres://u@127.0.0.1:5432/app"),
        ("postgresql://u@127.0.0.1/app?ssl=true", "postgresql://u@127.0.0.1/app?ssl=true"),
    ],
)
def test_sqlite_urls_get_the_pragmas(url: str, expected: str) -> None:
    assert db.with_sqlite_pragmas(url) == expected
    if url.startswith("sqlite://"):
        assert db.tortoise_config(url)["connections"]["default"] == expected


def test_postgres_connections_get_their_server_settings() -> None:
    """asyncpg URLs become Tortoise's dict form, URL parameters kept, with the settings."""
    found = db.tortoise_config("postgresql://u:p%40ss@127.0.0.1:5433/app?ssl=true")
    assert found["connections"]["default"] == {
        "engine": "tortoise.backends.asyncpg",
        "credentials": {"host": "127.0.0.1", "port": 5433, "user": "u", "password": "p@ss",
                        "database": "app", "ssl": True,
                        "server_settings": {"plan_cache_mode": "force_custom_plan"}},
    }


async def test_connections_use_them(database: str) -> None:
    if not database.startswith("sqlite://"):
        pytest.skip("SQLite only")
    conn = connections.get("default")
    assert await conn.execute_query_dict("PRAGMA synchronous") == [{"synchronous": 1}]  # NORMAL
    assert await conn.execute_query_dict("PRAGMA journal_mode") == [{"journal_mode": "wal"}]
    assert await conn.execute_query_dict("PRAGMA foreign_keys") == [{"foreign_keys": 1}]
