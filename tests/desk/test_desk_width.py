"""The desk's detail tables fit the operator's terminal (issue 17, render.terminal)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from inami_cli.render.table import text_width
from inami_cli.services import desk


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("columns", ["60", "80"])
def test_desk_tables_fit_the_terminal(
    demo_session: Any, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    from inami_cli.desk.loop import Desk

    monkeypatch.setenv("COLUMNS", columns)
    answer = desk.decision_answer(session=demo_session, about="kinésithérapie")
    out = Tty()
    Desk(backend=type("B", (), {"language": "fr"})(), out=out).show(answer)  # type: ignore[arg-type]
    text = out.getvalue()
    # the tables: from the first title to the sentence (the lines of "Why" are prose)
    tables = text.split(f"» {answer.sentence}")[0].split(f"{answer.tables[0].title}:")[1]
    assert max(text_width(line) for line in tables.splitlines()) <= int(columns)
    assert "CASS 2026/001" in tables  # a decision number is a code: never cut
    wide = io.StringIO()  # not a terminal, no COLUMNS: every table whole, as before
    monkeypatch.delenv("COLUMNS")
    Desk(backend=type("B", (), {"language": "fr"})(), out=wide).show(answer)  # type: ignore[arg-type]
    assert max(text_width(line) for line in wide.getvalue().splitlines()) > int(columns)
