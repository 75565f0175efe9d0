"""The desk's words: each text in French and Dutch, the same placeholders in both, French
for any other language, and every key the desk asks for is in the table."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from inami_cli.desk import words
from inami_cli.desk.words import word

DESK = Path(words.__file__).resolve().parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(words._WORDS))
def test_each_text_is_in_both_languages_with_the_same_placeholders(key: str) -> None:
    french, dutch = words._WORDS[key]
    assert french.strip() and dutch.strip()
    assert _fields(french) == _fields(dutch)


def test_the_language_picks_the_text_and_french_is_the_fallback() -> None:
    assert word("fr", "menu") == "Que demande l'appelant ?"
    assert word("nl", "menu") == "Wat vraagt de beller?"
    assert word("en", "menu") == word("", "menu") == word("fr", "menu")
    assert word("nl", "sorry", message="x") == "Sorry — x"
    assert word("fr", "date_hint", today="2026-03-02").startswith("(Entrée = aujourd'hui 2026")


def test_every_key_the_desk_asks_for_is_in_the_table() -> None:
    asked = {
        key
        for module in DESK.glob("*.py")
        for key in re.findall(r'\bword\(\s*[\w.]+,\s*"(\w+)"', module.read_text("utf-8"))
    }
    assert len(asked) > 40
    assert asked <= set(words._WORDS), sorted(asked - set(words._WORDS))
