from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from shopify_app.settings import Settings
from shopify_app.storage import db, sealed
from tests.support.databases import DatabaseFactory

pytest_plugins = ["tests.support.store", "tests.support.jobs"]

TEST_SECRET = "test-app-secret"  # a fixture, not a credential
TEST_API_KEY = "test-client-id"


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.close()


@pytest.fixture
async def database_url(database_factory: DatabaseFactory) -> str:
    """A fresh, migrated database (SQLite file or PostgreSQL database) for this test."""
    return await database_factory.new_url()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[str]:
    """Tortoise connected to this test's fresh database."""
    await db.init(database_url)
    try:
        yield database_url
    finally:
        await db.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        api_key=TEST_API_KEY,
        api_secret=TEST_SECRET,
        app_url="https://app.example.test",
        admin_origin="http://store.test/shops/{shop}",
        database_url=database_url,
    )


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def _sealed_tokens_of_the_test_secret() -> None:
    """Each test starts sealing Shopify tokens under the test secret's key only: the cipher is
    process-wide (a server configures it once), and a test that built an app with another
    secret must not leave its key in charge (servers started by later tests could not open
    what this process sealed)."""
    sealed.configure(Settings(api_key=TEST_API_KEY, api_secret=TEST_SECRET), keep_previous=False)
