from __future__ import annotations

import json
import re

import pytest

from shopify_app.locales import i18n

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ((None,), "en"),
        (("fr",), "fr"),
        (("fr-CA",), "fr"),
        (("fr_FR",), "fr"),
        (("xx",), "en"),
        (("../../etc/passwd",), "en"),
        (("", "fr"), "fr"),
        (("de", "fr"), "fr"),
        (("en", "fr"), "en"),
    ],
)
def test_resolve(candidates: tuple[str | None, ...], expected: str) -> None:
    assert i18n.resolve(*candidates) == expected


def test_every_translation_key_exists_in_english_with_the_same_placeholders() -> None:
    english = json.loads((i18n.LOCALES_DIR / "en.json").read_text(encoding="utf-8"))
    for path in i18n.LOCALES_DIR.glob("*.json"):
        other = json.loads(path.read_text(encoding="utf-8"))
        for key, text in other.items():
            assert key in english, f"{path.name}: {key} is not an English key"
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key


def test_missing_keys_fall_back_to_english() -> None:
    fr = i18n.catalogue("fr")
    assert fr.t("action.pause") == "Mettre en pause"
    assert fr.t("orders.empty") == i18n.catalogue("en").t("orders.empty")
    with pytest.raises(KeyError):
        fr.t("no.such.key")
