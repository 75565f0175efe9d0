"""Funding services on a database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from inami_cli.domain.errors import FileErrors, InvalidInput, NotFound
from inami_cli.services import funding


@pytest.fixture
def ready(session: Any) -> Iterator[Any]:
    from inami_cli.services.audit import set_actor
    from inami_cli.services.setup import load_reference

    set_actor("tests", "pytest")
    load_reference(session=session)
    session.commit()
    yield session


def _inputs(tmp_path: Path, text: str) -> str:
    path = tmp_path / "inputs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_objectives_are_reference_data_with_their_tag(ready: Any) -> None:
    years = {v.year: v for v in funding.budget_list(session=ready)}
    assert years[2026].objective == Decimal("40986000000.00")
    assert years[2026].reliability == "official" and years[2025].reliability == "derived"


def test_budget_set_and_bigint_amounts(ready: Any) -> None:
    view, action = funding.budget_set(session=ready, year=2027, objective=Decimal("41500000000"),
                                      source="x", reliability="secondary")  # fmt: skip
    ready.commit()
    assert action == "insert" and view.objective == Decimal("41500000000.00")
    _same, again = funding.budget_set(session=ready, year=2027, objective=Decimal("41500000000"),
                                      source="x", reliability="secondary")  # fmt: skip
    assert again == "unchanged"
    with pytest.raises(InvalidInput, match="--source"):
        funding.budget_set(session=ready, year=2028, objective=Decimal(1), source=None)


def test_inputs_advance_share_responsibility(ready: Any, tmp_path: Path) -> None:
    file = _inputs(tmp_path, "insurer_code;budgeted;actual;normative\n"
                   "100;1200,00;600;500\n300;2400.00;400;500\n")  # fmt: skip
    report = funding.import_inputs(session=ready, file=file, year=2026)
    again = funding.import_inputs(session=ready, file=file, year=2026)
    assert (report.inserted, again.unchanged) == (2, 2)
    plan = funding.advance_plan(session=ready, year=2026)
    assert [r["advance"] for r in plan.records()][:2] == [Decimal("100.00"), Decimal("100.00")]
    assert plan.records()[0]["payment_date"] == date(2026, 1, 30)
    shares = funding.share_table(session=ready, year=2026, objective=Decimal("1000.00"))
    assert [r["budget"] for r in shares.records()] == [Decimal("570.00"), Decimal("430.00")]
    table = funding.responsibility_table(session=ready, year=2008, objective=Decimal("1000"),
                                         actual_file=_amounts(tmp_path, "a", "100,600\n300,400"),
                                         normative_file=_amounts(tmp_path, "n", "100,500\n300,500"),
                                         mali_cap_percent=Decimal(1))  # fmt: skip
    assert table.mode == "individual" and table.rate == 25
    rows = {r["insurer_code"]: r for r in table.records()}
    # mali of 30.00: 25 % is 7.50, capped at 1 % of its budget share of 570.00
    assert (rows["100"]["kept_or_borne"], rows["100"]["capped"]) == (Decimal("-5.70"), True)
    assert rows["300"]["kept_or_borne"] == Decimal("7.50")


def _amounts(tmp_path: Path, name: str, rows: str) -> str:
    path = tmp_path / f"{name}.csv"
    path.write_text("insurer_code,amount\n" + rows + "\n", encoding="utf-8")
    return str(path)


def test_bad_inputs(ready: Any, tmp_path: Path) -> None:
    with pytest.raises(FileErrors) as caught:
        bad = _inputs(tmp_path, "insurer_code,actual\n700,1\n100,\n")
        funding.import_inputs(session=ready, year=2026, file=bad)
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in caught.value.problems] == ["2", "3"]
    with pytest.raises(NotFound, match="no budgeted expenditure recorded for 2024"):
        funding.advance_plan(session=ready, year=2024)
    with pytest.raises(NotFound, match="no budget objective recorded for 2024"):
        funding.share_table(session=ready, year=2024)
