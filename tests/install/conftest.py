"""The admin tests' app (wired to the simulated store) serves the token-exchange tests too."""

from tests.admin.conftest import admin

__all__ = ["admin"]
