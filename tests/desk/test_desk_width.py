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


@pytest.mark.parametrize("columns", ["60", "80"])
def test_why_lines_wrap_at_the_terminal_width(
    demo_session: Any, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    from datetime import date

    from inami_cli.desk.loop import Desk

    monkeypatch.setenv("COLUMNS", columns)
    answer = desk.code_answer(session=demo_session, code="101076", on=date(2026, 3, 2))
    assert max(len(line) for line in answer.why) > int(columns)  # a long explanation
    out = Tty()
    Desk(backend=type("B", (), {"language": "fr"})(), out=out).show(answer)  # type: ignore[arg-type]
    why = out.getvalue().split("Why:\n")[1].split("\n\n")[0].splitlines()
    assert max(text_width(line) for line in why) <= int(columns)
    assert why[0].startswith("  - ") and all(line.startswith("    ") for line in why[1:])
    assert " ".join(line[4:] for line in why) == " ".join(answer.why)  # no word lost
    monkeypatch.delenv("COLUMNS")  # not a terminal: one line each, as before
    wide = io.StringIO()
    Desk(backend=type("B", (), {"language": "fr"})(), out=wide).show(answer)  # type: ignore[arg-type]
    assert f"  - {answer.why[0]}\n" in wide.getvalue()
