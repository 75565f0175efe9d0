"""Files from the real world (issue 17): every import and both batches read through the
shared reader (``inami_cli.tabular``): UTF-8 with or without BOM, `;` `,` or tab found from
the header, ``--encoding`` for latin-1 / cp1252 (else a ``FILE:LINE`` error naming the
option, never a codec message), columns picked by header name."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

BIM_DMG = "85061508234"  # demo person: insured with 300, member 1234567
ENDED = "68031230508"  # demo person whose coverage ended
BOM = "\ufeff"
NEW_NISS = "85073003328"  # valid number, nobody in the demo


def _no_codec_message(stderr: str) -> None:
    assert "codec" not in stderr and "Traceback" not in stderr


# ------------------------------------------------------------------ insured batch


def test_insured_batch_reads_the_nightly_member_file(demo: Any, tmp_path: Path) -> None:
    """Excel in a Belgian locale: `;`, a BOM, `INSZ`, columns the batch does not need."""
    f = tmp_path / "nightly.csv"
    f.write_text(
        BOM + "Insurer;INSZ;Last name;First name;Date;Member number\n"
        f"300;{BIM_DMG};Lambertin;Sophie;2026-03-02;1234567\n"
        f'200;{ENDED};"Van; Damme";Luc;2020-01-01;7\n'
        "300;123;Broken;Line;;\n",
        encoding="utf-8",
    )
    result = demo("insured", "batch", str(f), "--date", "2026-03-02", "--format", "csv")
    assert result.exit_code == 2, result.stderr  # one invalid line (issue 17: exit 2)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["line"], r["niss"], r["date"], r["insured"]) for r in rows] == [
        ("2", BIM_DMG, "2026-03-02", "yes"),
        ("3", ENDED, "2020-01-01", "yes"),
    ]
    assert f"{f}:4: NISS '123'" in result.stderr
    assert "4 lines: 2 checked, 2 insured" in result.stderr


def test_insured_batch_tab_separated_without_date_column(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "members.tsv"
    f.write_text(f"niss\tname\n{BIM_DMG}\tSophie\n", encoding="utf-8")
    result = demo("insured", "batch", str(f), "--date", "2026-03-02", "--format", "ndjson")
    assert result.exit_code == 0, result.stderr
    [row] = result.ndjson()
    assert (row["line"], row["niss"], row["insured"]) == (2, BIM_DMG, True)


def test_insured_batch_latin1_needs_encoding(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "latin1.csv"
    f.write_bytes(f"niss;nom\n{BIM_DMG};Andr\xe9\n".encode("latin-1"))
    bad = demo("insured", "batch", str(f), "--date", "2026-03-02")
    assert bad.exit_code == 2
    assert f"{f}:2: not utf-8 text (byte 0xe9)" in bad.stderr and "--encoding" in bad.stderr
    _no_codec_message(bad.stderr)
    good = demo("insured", "batch", str(f), "--date", "2026-03-02", "--encoding", "latin-1")
    assert good.exit_code == 0, good.stderr
    unknown = demo("insured", "batch", str(f), "--encoding", "klingon")
    assert unknown.exit_code == 2 and "--encoding 'klingon': unknown" in unknown.stderr


# ------------------------------------------------------------------ reimburse batch


def test_reimburse_batch_semicolons_bom_and_header_names(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "cases.csv"
    f.write_text(
        BOM + "Code;Date;INSZ;Charged\n101076;2026-03-02;" + BIM_DMG + ";\n",
        encoding="utf-8",
    )
    result = demo("reimburse", "batch", str(f), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["line"], row["fee"], row["reimbursement"]) == ("2", "33.73", "32.73")


def test_reimburse_batch_cp1252_needs_encoding(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "cases.csv"
    f.write_bytes(
        b"code,date,regime,provider\n101076,2026-03-02,ordinary,\n"
        b"101076,2026-03-02,ordinary,\x80\n"  # the euro sign in cp1252
    )
    bad = demo("reimburse", "batch", str(f))
    assert bad.exit_code == 2
    assert f"{f}:3: not utf-8 text (byte 0x80)" in bad.stderr and "--encoding" in bad.stderr
    _no_codec_message(bad.stderr)
    good = demo("reimburse", "batch", str(f), "--encoding", "cp1252")
    assert "codec" not in good.stderr and f"{f}:3:" in good.stderr  # read, then judged


# ------------------------------------------------------------------ imports


def test_person_import_semicolons_bom_header_names_and_latin1(demo: Any, tmp_path: Path) -> None:
    cli = demo
    header = (
        "INSZ;Last_Name;First_Name;Insurer_Code;Member_Number;Quality;Titular_NISS;CT1;CT2;"
        "Valid_From;Valid_To"
    )
    row = f"{NEW_NISS};Dubois;Andr\xe9;300;555;titular;;110;110;2026-01-01;\n"
    extra = tmp_path / "extra.csv"  # a column the import does not know is refused (issue 20)
    extra.write_text(header + ";Remark\n" + row.rstrip("\n") + ";new\n", encoding="utf-8")
    refused = cli("person", "import", str(extra))
    assert refused.exit_code == 2 and "unknown column(s) Remark" in refused.stderr
    f = tmp_path / "members.csv"
    f.write_bytes((header + "\n" + row).encode("latin-1"))
    bad = cli("person", "import", str(f))
    assert bad.exit_code == 2
    assert f"{f}:2: not utf-8 text (byte 0xe9)" in bad.stderr and "--encoding" in bad.stderr
    _no_codec_message(bad.stderr)
    good = cli("person", "import", str(f), "--encoding", "latin-1", "--format", "json")
    assert good.exit_code == 0, good.stderr
    assert good.json()["inserted"] >= 1
    shown = cli("person", "show", NEW_NISS, "--format", "json").json()
    assert shown["first_name"] == "André"
    g = tmp_path / "bom.csv"
    g.write_text(BOM + header + "\n" + row, encoding="utf-8")
    again = cli("person", "import", str(g), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["inserted"] == 0  # the same data: nothing changes


def test_entitlement_import_tab_separated(demo: Any, tmp_path: Path) -> None:
    cli = demo
    persons = tmp_path / "p.csv"
    persons.write_text(
        "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
        f"valid_from,valid_to\n{NEW_NISS},Dubois,Anne,300,555,titular,,110,110,2026-01-01,\n"
    )
    assert cli("person", "import", str(persons)).exit_code == 0
    f = tmp_path / "rights.tsv"
    f.write_text(
        f"NISS\tKind\tValid_From\tValid_To\tDetail\n{NEW_NISS}\tbim\t2026-01-01\t\tautomatic\n"
    )
    result = cli("entitlement", "import", str(f), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["inserted"] == 1


def test_nomenclature_import_semicolons_bom_and_cp1252(cli: Any, tmp_path: Path) -> None:
    header = "Code;Valid_From;Valid_To;Fee;Regime;DMG;Reimbursement;Label_FR;Label_NL;Article"
    row = "371011;2026-01-01;;20.00;;;15.00;Acte € test;Akte;14a\n"
    f = tmp_path / "tariffs.csv"
    f.write_bytes((header + "\n" + row).encode("cp1252"))
    bad = cli("nomenclature", "import", str(f))
    assert bad.exit_code == 2
    assert f"{f}:2: not utf-8 text (byte 0x80)" in bad.stderr and "--encoding" in bad.stderr
    _no_codec_message(bad.stderr)
    good = cli("nomenclature", "import", str(f), "--encoding", "cp1252")
    assert good.exit_code == 0, good.stderr
    shown = cli("nomenclature", "show", "371011", "--date", "2026-03-01", "--format", "json")
    assert shown.json()["label_fr"] == "Acte € test"
    g = tmp_path / "bom.csv"
    g.write_text(BOM + header + "\n" + row, encoding="utf-8")
    again = cli("nomenclature", "import", str(g), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["unchanged"] == 1


# ------------------------------------------------------------------ committee files


def test_vote_file_with_semicolons_bom_and_bad_bytes(cli: Any, db_url: str, tmp_path: Path) -> None:
    from tests.cli.test_committee import load_demo
    from tests.cli.test_decision import open_cass_meeting
    from tests.helpers import decision_record_argv

    load_demo(db_url)
    mid = open_cass_meeting(cli)
    args = decision_record_argv(mid, "t", "other")
    votes = tmp_path / "votes.csv"
    votes.write_text(BOM + "group;for;against;abstain\nsickness_funds;1;9;0\n", encoding="utf-8")
    result = cli("--format", "json", *args, "--vote-file", str(votes))
    assert result.exit_code == 0, result.stderr
    assert result.json()["reason"] == "no majority: 1 for, 9 against, 0 abstaining"
    votes.write_bytes(b"group,for,against,abstain\nsickness_funds,1,9,0\n# r\xe9union\n")
    bad = cli(*args, "--vote-file", str(votes))
    assert bad.exit_code == 2
    assert f"{votes}:3: not utf-8 text (byte 0xe9)" in bad.stderr
    _no_codec_message(bad.stderr)
