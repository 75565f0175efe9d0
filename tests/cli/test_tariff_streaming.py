"""``inami nomenclature import`` streams its file (issue 20): it plans and writes a batch of
whole codes at a time, in one transaction, and gives what a whole-file import gave."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

HEADER = "code,valid_from,valid_to,fee,regime,reimbursement,label_fr,label_nl,article"


def _row(code: str, start: str, fee: str, regime: str, amount: str, end: str = "") -> str:
    return f"{code},{start},{end},{fee},{regime},{amount},Acte {code},Akte {code},2"


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two rows: every code of these small files is planned on its own."""
    from inami_cli.services.nomenclature import _imports

    monkeypatch.setattr(_imports, "BATCH_ROWS", 2)


def test_codes_interleaved_across_batches_are_planned_whole(
    cli: Any, engine: Any, small_batches: None, tmp_path: Path
) -> None:
    # 101010 opens a period, two other codes follow, then 101010's next period: its open
    # period ends the day before, although the rows are many batches apart
    lines = [
        HEADER,
        _row("101010", "2024-01-01", "30.00", "ordinary", "20.00"),
        _row("101010", "2024-01-01", "30.00", "preferential", "25.00"),
        _row("101032", "2024-01-01", "40.00", "ordinary", "30.00"),
        _row("101032", "2024-01-01", "40.00", "preferential", "35.00"),
        _row("101054", "2024-01-01", "50.00", "ordinary", "40.00"),
        _row("101010", "2025-01-01", "31.00", "ordinary", "21.00"),
        _row("101010", "2025-01-01", "31.00", "preferential", "26.00"),
    ]
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "tariffs.csv"
    path.write_bytes(data)
    result = cli("nomenclature", "import", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["inserted"] == 7
    exported = cli("nomenclature", "export").stdout.splitlines()
    periods = sorted({tuple(line.split(",")[:3]) for line in exported[1:]})
    assert periods == [
        ("101010", "2024-01-01", "2024-12-31"),
        ("101010", "2025-01-01", ""),
        ("101032", "2024-01-01", ""),
        ("101054", "2024-01-01", ""),
    ]
    from sqlalchemy import text

    with engine.connect() as conn:
        ids = conn.execute(text("SELECT code FROM tariff ORDER BY id")).scalars().all()
        batch = conn.execute(text("SELECT sha256, inserted FROM import_batch")).one()
    # written in the order of the codes' first rows, as a whole-file import wrote them
    assert ids == ["101010", "101010", "101032", "101054"]
    assert tuple(batch) == (hashlib.sha256(data).hexdigest(), 7)


def test_a_bad_row_in_a_late_batch_leaves_nothing_written(
    cli: Any, engine: Any, small_batches: None, tmp_path: Path
) -> None:
    codes = ["101010", "101032", "101054", "101076", "101091"]
    lines = [HEADER] + [_row(c, "2024-01-01", "30.00", "ordinary", "20.00") for c in codes]
    lines.append(_row("102012", "2024-01-01", "30.00", "ordinary", "40.00"))  # above the fee
    path = tmp_path / "tariffs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("nomenclature", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}:7: reimbursement 40.00 is above the fee 30.00" in result.stderr
    from sqlalchemy import text

    with engine.connect() as conn:
        for table in ("tariff", "import_batch"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        assert (
            conn.execute(
                text("SELECT count(*) FROM audit_entry WHERE entity = 'tariff'")
            ).scalar_one()
            == 0
        )


def test_stdin_is_read_twice_through_a_temporary_file(cli: Any) -> None:
    lines = [HEADER, _row("101010", "2024-01-01", "30.00", "ordinary", "20.00")]
    lines.append(_row("101010", "2025-01-01", "31.00", "ordinary", "21.00"))
    result = cli("nomenclature", "import", "-", "--format", "json", input="\n".join(lines))
    assert result.exit_code == 0, result.stderr
    assert result.json()["inserted"] == 2


def test_batches_hold_whole_codes_not_the_file() -> None:
    from inami_cli.domain.nomenclature import TariffRow
    from inami_cli.services.nomenclature._imports import BATCH_ROWS, _code_batches

    def rows(order: list[str]) -> list[TariffRow]:
        return [
            TariffRow(line, code, date(2024, 1, 1), None, None, None, "", None)  # type: ignore[arg-type]
            for line, code in enumerate(order, 2)
        ]

    # a file grouped by code (three rows a code): batches of about BATCH_ROWS rows
    grouped = rows([f"{n:06d}" for n in range(10_000) for _ in range(3)])
    last = {row.code: row.line for row in grouped}
    batches = list(_code_batches(iter(grouped), last))
    assert max(len(b) for b in batches) < BATCH_ROWS + 3
    assert [r.line for b in batches for r in b] == [r.line for r in grouped]
    # interleaved codes leave whole, in the order of their first row
    mixed = rows(["A", "B", "A", "C", "B"])
    last = {row.code: row.line for row in mixed}
    out = [r.code for b in _code_batches(iter(mixed), last) for r in b]
    assert out == ["A", "A", "B", "B", "C"]


def test_blank_lines_before_the_header_are_skipped_and_counted(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "tariffs.csv"
    rows = [_row("101010", "2024-01-01", "30.00", "ordinary", "20.00")]
    rows.append(_row("101010", "2024-01-01", "30.00", "preferential", "40.00"))
    path.write_bytes(("\r\n\r\n" + "\r\n".join([HEADER, *rows]) + "\r\n").encode())
    result = cli("nomenclature", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}:5: reimbursement 40.00 is above the fee 30.00" in result.stderr


def test_a_bad_byte_after_a_byte_order_mark_is_named(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "tariffs.csv"
    row = _row("101010", "2024-01-01", "30.00", "ordinary", "20.00").replace("Acte", "Acte\xe9")
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n{row}\n".encode("latin-1"))
    result = cli("nomenclature", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: not utf-8 text (byte 0xe9)" in result.stderr
