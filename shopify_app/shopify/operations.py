"""GraphQL operations live in `operations/<OperationName>.graphql`, one per file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

OPERATIONS_DIR = Path(__file__).parent / "operations"


@cache
def load(name: str) -> str:
    """The document of operation `name` (its file name without `.graphql`)."""
    path = OPERATIONS_DIR / f"{name}.graphql"
    if not path.is_file():
        raise KeyError(f"unknown GraphQL operation {name!r}")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in OPERATIONS_DIR.glob("*.graphql"))
