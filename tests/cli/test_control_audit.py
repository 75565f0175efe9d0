"""``inami control audit`` through the real command: exit codes, JSON, stderr FILE:LINE."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DEMO_FILE = str(Path(__file__).resolve().parents[2] / "fixtures" / "billing_demo.csv")
HEADER = "provider_id,niss,code,date,reimbursement_claimed\n"


def test_audit_demo_json(demo_cli: Any) -> None:
    result = demo_cli("control", "audit", DEMO_FILE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert len(data) == 14 and {r["finding"] for r in data} >= {"101", "103", "905", "906"}
    first = data[0]
    assert list(first) == ["file", "line", "provider_id", "niss", "code", "date", "finding",
                           "rule", "detail", "claimed", "computed", "indu"]  # fmt: skip
    assert (first["line"], first["finding"], first["indu"]) == (7, "906", Decimal("8.49"))
    summary = json.loads(result.stderr.strip().splitlines()[-1], parse_float=Decimal)
    assert summary["undue"] == Decimal("354.24") and summary["lines"] == 21
    assert summary["by_rule"]["103"] == 2


def test_audit_fail_on_findings_and_csv(demo_cli: Any) -> None:
    result = demo_cli("control", "audit", DEMO_FILE, "--format", "csv", "--fail-on-findings")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("file,line,provider_id") and len(lines) == 15
    assert "21 rows: 7 ok, 14 refused, 0 rejected" in result.stderr  # issue 17's keys
    assert "undue 354.24" in result.stderr


def test_audit_clean_file_exits_0(demo_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    path.write_text(HEADER + "19001706004,72110313704,101076,2025-03-03,26.84\n")
    result = demo_cli("control", "audit", str(path), "--billed-on", "2025-04-01",
                      "--format", "ndjson", "--fail-on-findings")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(result.stderr)["findings"] == 0


def test_audit_malformed_lines_exit_2_with_file_line(demo_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "19001706004,72110313704,101076,2025-03-03,26.84\n"
        + "19001706004,72110313704,101076,03/13/2025,26.84\n"
        + "19001706004,72110313704,101076,2025-03-03,26.84\n"
    )
    result = demo_cli("control", "audit", str(path), "--billed-on", "2025-04-01")
    assert result.exit_code == 2
    warnings = [line for line in result.stderr.splitlines() if line.startswith("inami: warning:")]
    assert len(warnings) == 1 and f"{path}:3: " in warnings[0]
    assert "3 rows: 2 ok, 0 refused, 1 rejected" in result.stderr


def test_audit_bad_file_and_header(demo_cli: Any, tmp_path: Path) -> None:
    missing = demo_cli("control", "audit", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    path = tmp_path / "head.csv"
    path.write_text("provider_id,niss,code\n")
    header = demo_cli("control", "audit", str(path))
    assert header.exit_code == 2 and f"{path}:1: missing column(s)" in header.stderr
    date = demo_cli("control", "audit", DEMO_FILE, "--billed-on", "soon")
    assert date.exit_code == 2 and "--billed-on" in date.stderr


def test_audit_refused_at_its_header_writes_no_csv(demo_cli: Any, tmp_path: Path) -> None:
    # a script reading stdout sees nothing, not a header line with no findings under it
    path = tmp_path / "head.csv"
    path.write_text("provider_id,niss,code\n19001706004,72110313704,101076\n")
    for argv in ((str(path),), (str(tmp_path / "none.csv"),)):
        result = demo_cli("control", "audit", *argv, "--format", "csv")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.csv"  # a good header and no line: the header line alone
    empty.write_text(HEADER)
    result = demo_cli("control", "audit", str(empty), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "file,line,provider_id,niss,code,date,finding,rule,detail,claimed,computed,indu"
    ]


def test_audit_out_file(demo_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    result = demo_cli("control", "audit", DEMO_FILE, "--out", str(out), "--format", "csv")
    assert result.exit_code == 0 and result.stdout == ""
    assert len(out.read_text().splitlines()) == 15


# ------------------------------------------------------------------ control fund


def test_fund_sample_json_and_exit_codes(demo_cli: Any) -> None:
    for day in ("2025-03-03", "2025-03-10"):
        recorded = demo_cli("reimburse", "101076", "--date", day, "--niss", "72110313704",
                            "--record")  # fmt: skip
        assert recorded.exit_code == 0, recorded.stderr
    result = demo_cli("control", "fund", "100", "--sample", "5", "--seed", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["population"], data["sample"], data["differing"]) == (2, 2, 0)
    assert data["difference"] == Decimal("0.00") and data["recorded"] == Decimal("53.68")
    assert [c["status"] for c in data["checks"]] == ["match", "match"]
    strict = demo_cli("control", "fund", "100", "--sample", "5", "--seed", "3",
                      "--fail-on-differences", "--format", "ndjson")  # fmt: skip
    assert strict.exit_code == 0 and len(strict.ndjson()) == 2
    assert json.loads(strict.stderr)["differing"] == 0


def test_fund_bad_input(demo_cli: Any) -> None:
    unknown = demo_cli("control", "fund", "999", "--sample", "5", "--seed", "1")
    assert unknown.exit_code == 3 and "no insurer with code 999" in unknown.stderr
    missing = demo_cli("control", "fund", "100", "--seed", "1", "--no-input")
    assert missing.exit_code == 2 and "--sample" in missing.stderr
    zero = demo_cli("control", "fund", "100", "--sample", "0", "--seed", "1")
    assert zero.exit_code == 2


# ------------------------------------------------------------------ control report


def test_report_json_csv_table(demo_cli: Any, tmp_path: Path) -> None:
    data = demo_cli("control", "report", DEMO_FILE, "--format", "json")
    assert data.exit_code == 0, data.stderr
    body = data.json()
    assert body["summary"]["undue"] == Decimal("354.24") and body["outlier"] == Decimal("1.5")
    first = body["providers"][0]
    assert first["provider_id"] == "39005876001" and first["by_rule"]["101"] == 1
    assert first["undue"] == Decimal("196.75") and first["outlier"] is False
    csv_out = demo_cli("control", "report", DEMO_FILE, "--format", "csv")
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[1].endswith(",4,002:1 101:1 108:1 902:1")
    table = demo_cli("control", "report", DEMO_FILE)
    assert table.exit_code == 0 and "services per patient per provider (6 values)" in table.stdout
    assert "6 providers" in table.stderr
    plot = demo_cli("control", "report", DEMO_FILE, "--plot", str(tmp_path / "p.png"))
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert plot.exit_code == 2 and "--plot needs matplotlib" in plot.stderr
    else:
        assert plot.exit_code == 0 and (tmp_path / "p.png").stat().st_size > 0


def test_report_bad_input(demo_cli: Any, tmp_path: Path) -> None:
    ratio = demo_cli("control", "report", DEMO_FILE, "--outlier", "0")
    assert ratio.exit_code == 2 and "--outlier" in ratio.stderr
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "19001706004,72110313704,101076,2025-13-03,26.84\n")
    bad = demo_cli("control", "report", str(path), "--format", "json")
    assert bad.exit_code == 2 and f"{path}:2:" in bad.stderr


def test_audit_on_workers_prints_the_same(demo_cli: Any) -> None:
    alone = demo_cli("control", "audit", DEMO_FILE, "--format", "csv",
                     env={"INAMI_BATCH_WORKERS": "1"})  # fmt: skip
    shared = demo_cli("control", "audit", DEMO_FILE, "--format", "csv", env={
        "INAMI_BATCH_WORKERS": "2", "INAMI_BATCH_MIN_ROWS": "0", "INAMI_BATCH_CHUNK": "3",
    })  # fmt: skip
    assert shared.exit_code == alone.exit_code == 0
    assert shared.stdout == alone.stdout and len(alone.stdout.splitlines()) == 15


def test_audit_reads_stdin(demo_cli: Any) -> None:
    text = HEADER + "19001706004,72110313704,101076,2025-03-03,30.00\n"
    result = demo_cli("control", "audit", "-", "--billed-on", "2025-04-01", "--format",
                      "ndjson", input=text)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [finding] = result.ndjson()
    assert (finding["file"], finding["line"], finding["finding"]) == ("-", 2, "108")
    assert finding["indu"] == Decimal("3.16")


def test_codes_list_every_finding_code(demo_cli: Any) -> None:
    """``control codes``: the documented table, one row per code the audit can give."""
    result = demo_cli("control", "codes", "--format", "json")
    assert result.exit_code == 0, result.stderr
    table = {row["code"]: row for row in result.json()}
    assert table["108"]["name"] == "claim_differs" and table["108"]["undue_is"] == "difference"
    assert table["901"]["name"] == "not_insured" and "eTarif" in table["002"]["source"]
    audit = demo_cli("control", "audit", DEMO_FILE, "--billed-on", "2025-04-01", "--format",
                     "json")  # fmt: skip
    assert {r["finding"] for r in audit.json()} <= set(table)
    csv_out = demo_cli("control", "codes", "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == "code,name,description,undue_is,source"
    assert len(csv_out.stdout.splitlines()) == len(table) + 1
