"""``inami medical-house`` and its effect on ``insured`` and ``reimburse`` (the real commands)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

D = Decimal
PARENT = "72110313704"  # ordinary, CM (100), born 1972-11-03


def _add(demo: Any, *extra: str) -> Any:
    return demo(
        "medical-house", "add", PARENT, "--house", "WGC De Linde", "--disciplines", "gp,kine",
        "--from", "2026-01-01", *extra, "--format", "json",
    )  # fmt: skip


def test_add_list_end_and_insured(demo: Any) -> None:
    added = _add(demo)
    assert added.exit_code == 0, added.stderr
    assert added.json()["disciplines"] == "gp,physio"
    again = _add(demo)
    assert again.exit_code == 4 and "overlaps the existing period 2026-01-01" in again.stderr
    insured = demo("insured", "check", PARENT, "--date", "2026-03-02", "--format", "json")
    assert insured.exit_code == 0
    record = insured.json()
    assert (record["medical_house"], record["medical_house_disciplines"]) == (
        "WGC De Linde",
        "gp,physio",
    )
    table = demo("insured", "check", PARENT, "--date", "2026-03-02")
    assert "medical_house" in table.stdout and "WGC De Linde" in table.stdout
    ended = demo("medical-house", "end", PARENT, "--date", "2026-06-30", "--format", "json")
    assert ended.exit_code == 0 and ended.json()["valid_to"] == "2026-06-30"
    listed = demo("medical-house", "list", PARENT, "--date", "2026-07-01", "--format", "json")
    assert listed.exit_code == 0 and listed.json() == []
    missing = demo("medical-house", "end", PARENT, "--date", "2027-01-01")
    assert missing.exit_code == 3
    bad = demo(
        "medical-house", "add", PARENT, "--house", "X", "--disciplines", "dentist",
        "--from", "2027-01-01",
    )  # fmt: skip
    assert bad.exit_code == 2 and "discipline 'dentist'" in bad.stderr


def test_reimburse_refused_911_single_and_batch(demo: Any) -> None:
    assert _add(demo).exit_code == 0
    one = demo(
        "reimburse", "101076", "--niss", PARENT, "--date", "2026-03-02", "--explain",
        "--format", "json",
    )  # fmt: skip
    assert one.exit_code == 1
    [row] = one.json()
    assert row["refusal_code"] == "911" and "WGC De Linde" in row["refusal_reason"]
    assert row["paid_at_desk"] == D("33.73")
    assert any(s["what"] == "medical house" for s in row["explanation"])
    cases = (
        "code,date,niss\n"
        f"101076,2026-03-02,{PARENT}\n"
        f"101076,2025-12-31,{PARENT}\n"
        f"102034,2017-05-01,{PARENT}\n"
    )
    batch = demo("reimburse", "batch", "-", "--format", "json", input=cases)
    rows = batch.json()  # one array (issue 17)
    assert [r["refusal_code"] for r in rows][:1] == ["911"]
    assert rows[1]["refusal_code"] != "911"
    for row, line in zip(rows, cases.splitlines()[1:], strict=True):
        code, date, niss = line.split(",")
        single = demo("reimburse", code, "--niss", niss, "--date", date, "--format", "json")
        assert {k: v for k, v in row.items() if k != "line"} == single.json()[0]


def test_import_all_or_nothing_with_file_line(demo: Any, tmp_path: Path) -> None:
    source = tmp_path / "mh.csv"
    source.write_text(
        "niss,house,disciplines,valid_from,valid_to\n"
        f"{PARENT},Linde,gp+physio,2025-01-01,2025-12-31\n"
        f"{PARENT},Agora,nurse,2026-13-01,\n",
        encoding="utf-8",
    )
    bad = demo("medical-house", "import", str(source))
    assert bad.exit_code == 2
    assert f"{source}:3: " in bad.stderr
    listed = demo("medical-house", "list", PARENT, "--format", "json")
    assert listed.json() == []
    source.write_text(source.read_text().replace("2026-13-01", "2026-01-01"), encoding="utf-8")
    dry = demo("medical-house", "import", str(source), "--dry-run")
    assert dry.exit_code == 0 and "+ medical_house_enrolment" in dry.stderr + dry.stdout
    good = demo("medical-house", "import", str(source), "--format", "json")
    assert good.exit_code == 0, good.stderr
    assert good.json()["inserted"] == 2
    again = demo("medical-house", "import", str(source), "--format", "json")
    assert again.json()["unchanged"] == 2


def test_import_lists_every_problem_on_its_line(demo: Any, tmp_path: Path) -> None:
    source = tmp_path / "mh.csv"
    source.write_text(
        "niss,house,disciplines,valid_from,valid_to\n"
        f"{PARENT},Linde,gp,2025-13-01,\n"
        f"{PARENT},Agora,gp,2026-13-01,\n",
        encoding="utf-8",
    )
    bad = demo("medical-house", "import", str(source))
    assert bad.exit_code == 2
    lines = bad.stderr.splitlines()
    # every problem on its own line, then the error line naming the first (issue 17)
    assert [n for n, line in enumerate(lines) if line.startswith(f"{source}:2: ")] == [0]
    assert [n for n, line in enumerate(lines) if line.startswith(f"{source}:3: ")] == [1]
    assert lines[-1].startswith(f"inami: error: {source}:2: ") and "(and 1 more)" in lines[-1]
