"""String catalogues: one JSON file per locale in `locales/`, English the reference.

A translation is a file: `locales/fr.json` with the same keys. Missing keys fall back to
English, so a partial catalogue is still usable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent
DEFAULT_LOCALE = "en"
_LOCALE_SHAPE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


@cache
def _load(locale: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{locale}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


@cache
def available() -> frozenset[str]:
    return frozenset(p.stem for p in LOCALES_DIR.glob("*.json"))


def resolve(*candidates: str | None) -> str:
    """The first candidate with a catalogue (`fr-CA` falls back to `fr`), else English."""
    for candidate in candidates:
        if not candidate or not _LOCALE_SHAPE.match(candidate):
            continue
        for name in (candidate.replace("_", "-"), candidate[:2].lower()):
            if name in available():
                return name
    return DEFAULT_LOCALE


@dataclass(frozen=True)
class Catalogue:
    locale: str

    def t(self, key: str, **params: object) -> str:
        """The plain-text string `key` with `{name}` placeholders filled (escaping is the
        page's job, never the catalogue's)."""
        text = _load(self.locale).get(key) or _load(DEFAULT_LOCALE).get(key)
        if text is None:
            raise KeyError(f"no string {key!r} in the portal catalogue")
        return text.format(**params) if params else text


def catalogue(locale: str | None) -> Catalogue:
    return Catalogue(resolve(locale))
