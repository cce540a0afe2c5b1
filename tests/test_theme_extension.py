"""The theme app extension: translations complete in English and French, and Shopify's
theme-check (pinned in tools/theme-check) passes it and would catch a broken block."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extensions" / "manage-subscriptions"
RUNNER = ROOT / "tools" / "theme-check" / "run.mjs"
LINTER = ROOT / "tools" / "theme-check" / "node_modules" / "@shopify" / "theme-check-node"


def keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for name, value in tree.items():
        path = f"{prefix}{name}"
        found |= keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return found


def locale(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXTENSION / "locales" / name).read_text("utf-8"))
    return data


def test_french_has_every_english_string() -> None:
    assert keys(locale("fr.json")) == keys(locale("en.default.json"))
    assert keys(locale("fr.schema.json")) == keys(locale("en.default.schema.json"))


def test_every_key_the_blocks_use_is_translated() -> None:
    source = "".join(p.read_text("utf-8") for p in (EXTENSION / "blocks").glob("*.liquid"))
    schema_keys = set(re.findall(r'"t:([a-z_.]+)"', source))
    text_keys = set(re.findall(r"'([a-z_.]+)' \| t\b", source))
    assert schema_keys and text_keys
    assert schema_keys <= keys(locale("en.default.schema.json"))
    assert text_keys <= keys(locale("en.default.json"))


def theme_check(root: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: theme-check cannot run")
    if not LINTER.is_dir():
        pytest.skip("theme-check is not installed: `make theme-check` runs npm ci")
    return subprocess.run([node, str(RUNNER), str(root)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_theme_check_passes_the_extension() -> None:
    result = theme_check(EXTENSION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_theme_check_would_catch_a_broken_block(tmp_path: Path) -> None:
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    (copy / "blocks" / "broken.liquid").write_text(
        '{{ customer.name | not_a_filter }}<script src="x.js"></script>', "utf-8")
    result = theme_check(copy)
    assert result.returncode == 1
    for check in ("UnknownFilter", "ParserBlockingScript", "AppBlockMissingSchema"):
        assert check in result.stdout
