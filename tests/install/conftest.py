"""The admin tests' app (wired to the simulated store) serves the token-exchange tests too."""

from collections.abc import Iterator

import pytest

from shopify_app.install import first_import
from tests.admin.conftest import admin

__all__ = ["admin"]


@pytest.fixture(autouse=True)
def no_import_status_from_other_tests() -> Iterator[None]:
    """First-import progress lives in the process (until the job queue holds it)."""
    first_import._status.clear()
    yield
    first_import._status.clear()
