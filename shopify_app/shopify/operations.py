"""GraphQL operations live in `operations/<OperationName>.graphql`, one per file; the fragments
they share live in `fragments/<FragmentName>.graphql`, one per file.

`load` returns the document sent to Shopify: the operation followed by every fragment it
spreads, directly or through another fragment, each once (GraphQL refuses a document with a
fragment defined twice or never used).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import FragmentSpreadNode, parse, visit
from graphql.language import Visitor

OPERATIONS_DIR = Path(__file__).parent / "operations"
FRAGMENTS_DIR = Path(__file__).parent / "fragments"


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        if node.name.value not in self.names:
            self.names.append(node.name.value)


def _read(directory: Path, name: str, kind: str) -> str:
    path = directory / f"{name}.graphql"
    # `name` becomes a path: only plain names, never `../x`.
    if not name.isidentifier() or not path.is_file():
        raise KeyError(f"unknown GraphQL {kind} {name!r}")
    return path.read_text(encoding="utf-8")


@cache
def spreads(text: str) -> tuple[str, ...]:
    """Names of the fragments `text` spreads, in order of first use."""
    collector = _Spreads()
    visit(parse(text), collector)
    return tuple(collector.names)


@cache
def fragment(name: str) -> str:
    """The text of shared fragment `name` (its file name without `.graphql`)."""
    return _read(FRAGMENTS_DIR, name, "fragment")


@cache
def load(name: str) -> str:
    """The document of operation `name` (its file name without `.graphql`), with the
    fragments it needs appended."""
    text = _read(OPERATIONS_DIR, name, "operation")
    needed: list[str] = []
    pending = list(spreads(text))
    while pending:
        current = pending.pop(0)
        if current in needed:
            continue
        needed.append(current)
        pending.extend(spreads(fragment(current)))
    if not needed:
        return text
    return "\n".join([text.rstrip("\n"), *(fragment(n).rstrip("\n") for n in needed)]) + "\n"


def names() -> list[str]:
    return sorted(p.stem for p in OPERATIONS_DIR.glob("*.graphql"))


def fragment_names() -> list[str]:
    return sorted(p.stem for p in FRAGMENTS_DIR.glob("*.graphql"))
