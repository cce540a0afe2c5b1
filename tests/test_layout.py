"""The package layout is the architecture: a package imports only packages below it, and no
surface imports another. Read from the source with `ast`, so the rule holds for every import,
including those inside functions and under `TYPE_CHECKING`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "shopify_app"

# Top to bottom. A unit (a package, or a module at the top of shopify_app/) imports only units
# of a later tier; two units of one tier never import each other.
TIERS: list[frozenset[str]] = [
    frozenset({"__main__"}),  # entry points: python -m, the CLI, uvicorn's asgi, the sandbox
    frozenset({"cli"}),
    frozenset({"commands", "sandbox", "asgi"}),
    frozenset({"app"}),  # create_app: every route, the lifespan
    frozenset({"tasks"}),  # the background job functions and the worker running them
    frozenset({"api", "portal", "admin"}),  # the three surfaces
    frozenset({"webhooks"}),  # dispatches to the handlers in install/ and mirror/
    frozenset({"install"}),
    frozenset({"state"}),  # the lifespan's per-process objects, read by every route
    frozenset({"links"}),
    frozenset({"mirror", "keys", "merchant"}),
    frozenset({"jobs"}),  # the queue: install/ and webhooks/ defer jobs by name
    frozenset({"shopify"}),
    frozenset({"storage", "http", "locales"}),
    frozenset({"errors", "settings"}),
]


def rank_of(tiers: list[frozenset[str]]) -> dict[str, int]:
    return {unit: index for index, tier in enumerate(tiers) for unit in tier}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module or name) for every import of the package in `path`."""
    package = root.name
    name = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if path.name != "__init__.py":
                    base.pop()
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == package:  # `from shopify_app import x`: x is the unit
                for alias in node.names:
                    yield node.lineno, f"{package}.{alias.name}"
            else:
                yield node.lineno, target


def unit_of(package: str, module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == package else None


def violations(root: Path, tiers: list[frozenset[str]]) -> list[str]:
    """Every import that goes up, sideways across units of one tier, or out of an unranked
    unit, as `file:line: a -> b (why)`."""
    ranks = rank_of(tiers)
    package = root.name
    found = []
    for path in sorted(root.rglob("*.py")):
        source = unit_of(package, module_name(root, path))
        if source is None:  # the package's own __init__
            continue
        where = f"{path.relative_to(root.parent)}"
        if source not in ranks:
            found.append(f"{where}: {source} has no tier in the layout")
            continue
        for line, target_module in imports_of(root, path):
            target = unit_of(package, target_module)
            if target is None or target == source:
                continue
            if target not in ranks:
                found.append(f"{where}:{line}: {source} -> {target} (no tier)")
            elif ranks[target] == ranks[source]:
                found.append(f"{where}:{line}: {source} -> {target} (same tier)")
            elif ranks[target] < ranks[source]:
                found.append(f"{where}:{line}: {source} -> {target} (imports upwards)")
    return found


def test_every_import_goes_down_the_layers() -> None:
    assert violations(ROOT, TIERS) == []


def test_every_unit_of_the_package_has_a_tier() -> None:
    units = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()
             if (p.suffix == ".py" and p.name != "__init__.py")
             or (p.is_dir() and (p / "__init__.py").is_file())}
    assert units == set(rank_of(TIERS))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "shopify_app"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a surface reaching into another, however it is spelled
        ({"portal/__init__.py": "", "admin/__init__.py": "",
          "portal/views.py": "from shopify_app.admin import guard\n"},
         "portal -> admin (same tier)"),
        ({"portal/__init__.py": "", "api/__init__.py": "",
          "portal/views.py": "def f():\n    import shopify_app.api.guard\n"},
         "portal -> api (same tier)"),
        ({"portal/__init__.py": "", "api/__init__.py": "",
          "portal/sub/__init__.py": "", "portal/sub/x.py": "from ...api import guard\n"},
         "portal -> api (same tier)"),
        # a shared layer importing a surface
        ({"links/__init__.py": "", "api/__init__.py": "",
          "links/minting.py": "from shopify_app import api\n"},
         "links -> api (imports upwards)"),
        ({"storage/__init__.py": "", "shopify/__init__.py": "",
          "storage/db.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                           "    from shopify_app.shopify.client import AdminClient\n"},
         "storage -> shopify (imports upwards)"),
        # a new package nobody placed
        ({"chores/__init__.py": "", "chores/queue.py": "x = 1\n"}, "chores has no tier"),
    ],
    ids=["from-import", "import-in-function", "relative", "upwards", "type-checking", "unranked"],
)
def test_the_check_catches_what_breaks_the_layout(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    found = violations(_tree(tmp_path, files), TIERS)
    assert any(expected in line for line in found), found


def test_imports_down_the_layers_pass(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "portal/__init__.py": "", "links/__init__.py": "", "storage/__init__.py": "",
        "portal/views.py": "from shopify_app.links import minting\nfrom . import other\n",
        "portal/other.py": "", "links/minting.py": "from shopify_app.storage import db\n",
        "storage/db.py": "from shopify_app import settings\n", "settings.py": "",
    })
    assert violations(root, TIERS) == []


def _runtime_graph(directory: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same directory it imports when it runs (not for typing)."""
    package = module_name(ROOT, directory)
    graph: dict[str, set[str]] = {}
    for path in directory.glob("*.py"):
        name = module_name(ROOT, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and ast.unparse(block.test) == "TYPE_CHECKING"
                       for n in ast.walk(block)}
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in typing_only and node.module:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                graph[name] |= {t for t in targets if t.rsplit(".", 1)[0] == package}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("directory", sorted(
    {p.parent for p in ROOT.rglob("*.py")}, key=str), ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_no_import_cycle_inside_a_package(directory: Path) -> None:
    assert _cycle(_runtime_graph(directory)) is None


def test_the_simulated_store_knows_neither_demo_data_nor_resolvers() -> None:
    imported = {target for _, target in imports_of(ROOT, ROOT / "sandbox" / "store.py")}
    assert not imported & {f"shopify_app.sandbox.{m}" for m in
                           ("demo", "queries", "mutations", "drafts", "views", "simulation")}


def test_tests_mirror_the_packages() -> None:
    tests = Path(__file__).resolve().parent
    helpers = {"support", "bench", "browser"}
    folders = {p.name for p in tests.iterdir() if (p / "__init__.py").is_file()} - helpers
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert folders <= packages, folders - packages
