"""The option helpers the command groups share (``inami_cli/cli/options.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inami_cli.cli.options import ask_text, optional_day
from inami_cli.domain.errors import InvalidInput


def test_optional_day_reads_both_forms_and_names_the_flag() -> None:
    assert optional_day(None, "--to") is None
    assert (
        optional_day("2026-03-02", "--to") == optional_day("2/3/2026", "--to") == date(2026, 3, 2)
    )
    with pytest.raises(InvalidInput, match="--to"):
        optional_day("2026-13-01", "--to")


@pytest.mark.parametrize(("typed", "expected"), [("Lambertin", "Lambertin"), ("", "")])
def test_ask_text_returns_what_was_typed(
    monkeypatch: pytest.MonkeyPatch, typed: str, expected: str
) -> None:
    import questionary

    asked: list[str] = []

    class Question:
        def ask(self) -> str:
            return typed

    def text(question: str, **_: Any) -> Question:
        asked.append(question)
        return Question()

    monkeypatch.setattr(questionary, "text", text)
    assert ask_text("Last name:")() == expected and asked == ["Last name:"]


def test_ask_text_cancelled_is_an_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    import questionary

    class Cancelled:
        def ask(self) -> None:
            return None  # questionary's answer to Ctrl-C / Ctrl-D

    monkeypatch.setattr(questionary, "text", lambda question, **_: Cancelled())
    with pytest.raises(KeyboardInterrupt):
        ask_text("Last name:")()
