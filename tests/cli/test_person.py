"""``inami person``, ``inami affiliation``, ``inami entitlement`` through the real command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NISS = "85073003328"  # 1985-07-30, man
CHILD = "16042205863"
BIS = "79522409148"


@pytest.fixture
def ready(session: Any, cli: Any) -> Any:
    """An empty register with the insurers seeded (what `inami init` gives)."""
    from inami_cli.services.insurability import seed_insurers

    seed_insurers(session=session)
    session.commit()
    return cli


def test_person_add_show_update(ready: Any) -> None:
    added = ready("person", "add", "85.07.30-033.28", "--last-name", "Dupuis",
                  "--first-name", "Albert", "--format", "json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    data = added.json()
    assert (data["niss"], data["birth_date"], data["sex"], data["formatted"]) == (
        NISS,
        "1985-07-30",
        "M",
        "85.07.30-033.28",
    )
    again = ready("person", "add", NISS, "--last-name", "Dupuis")
    assert again.exit_code == 4 and "already exists" in again.stderr
    updated = ready("person", "update", NISS, "--death-date", "2025-01-10", "--format", "json")
    assert updated.exit_code == 0 and updated.json()["death_date"] == "2025-01-10"
    shown = ready("person", "show", NISS)
    assert shown.exit_code == 0 and "Dupuis" in shown.stdout


def test_person_add_errors(ready: Any) -> None:
    missing = ready("person", "add", NISS)
    assert missing.exit_code == 2 and "--last-name" in missing.stderr
    bad = ready("person", "add", "85073003329", "--last-name", "X")
    assert bad.exit_code == 2 and "bad check digits 29" in bad.stderr
    unknown = ready("person", "show", NISS)
    assert unknown.exit_code == 3 and f"no person with NISS {NISS}" in unknown.stderr


def test_bis_person_has_no_sex_when_unknown(ready: Any) -> None:
    from datetime import date

    from inami_cli.domain.niss import make_niss

    unknown_sex = make_niss(date(1990, 5, 4), 12, bis=True, sex_known=False)
    result = ready("person", "add", unknown_sex, "--last-name", "X", "--format", "json")
    assert result.exit_code == 0
    assert (result.json()["is_bis"], result.json()["sex"]) == (True, None)


def test_affiliation_add_overlap_transfer_end_list(ready: Any) -> None:
    ready("person", "add", NISS, "--last-name", "Dupuis")
    first = ready("affiliation", "add", NISS, "--insurer", "300", "--member", "111",
                  "--ct1", "110", "--from", "2020-01-01", "--format", "json")  # fmt: skip
    assert first.exit_code == 0, first.stderr
    assert first.json()["ct2"] == "110"
    clash = ready("affiliation", "add", NISS, "--insurer", "100", "--member", "9",
                  "--ct1", "110", "--from", "2022-01-01")  # fmt: skip
    assert clash.exit_code == 4
    assert "overlaps the existing period 2020-01-01.." in clash.stderr
    moved = ready("affiliation", "transfer", NISS, "--to", "500", "--member", "555",
                  "--date", "2025-01-01", "--format", "json")  # fmt: skip
    assert moved.exit_code == 0, moved.stderr
    assert [(r["insurer_code"], r["valid_from"], r["valid_to"]) for r in moved.json()] == [
        ("300", "2020-01-01", "2024-12-31"),
        ("500", "2025-01-01", None),
    ]
    ended = ready("affiliation", "end", NISS, "--date", "2025-12-31", "--format", "json")
    assert ended.exit_code == 0 and ended.json()["valid_to"] == "2025-12-31"
    listed = ready("affiliation", "list", "--insurer", "500", "--format", "json")
    assert [r["member_number"] for r in listed.json()] == ["555"]
    nothing = ready("affiliation", "end", NISS, "--date", "2026-06-01")
    assert nothing.exit_code == 3 and "no affiliation on 2026-06-01" in nothing.stderr
    answer = ready("insured", NISS, "--date", "2026-06-01", "--format", "json")
    assert answer.exit_code == 1
    assert answer.json()["reason"] == "coverage with 500 ended on 2025-12-31"


def test_affiliation_bad_values(ready: Any) -> None:
    ready("person", "add", NISS, "--last-name", "Dupuis")
    bad_ct1 = ready("affiliation", "add", NISS, "--insurer", "300", "--member", "1",
                    "--ct1", "112", "--from", "2020-01-01")  # fmt: skip
    assert bad_ct1.exit_code == 2 and "CT1 '112'" in bad_ct1.stderr
    bad_insurer = ready("affiliation", "add", NISS, "--insurer", "700", "--member", "1",
                        "--ct1", "110", "--from", "2020-01-01")  # fmt: skip
    assert bad_insurer.exit_code == 2 and "insurer '700'" in bad_insurer.stderr
    no_member = ready("affiliation", "add", NISS, "--insurer", "300", "--ct1", "110",
                      "--from", "2020-01-01")  # fmt: skip
    assert no_member.exit_code == 2 and "--member" in no_member.stderr


def test_entitlement_set_end_list(ready: Any) -> None:
    ready("person", "add", NISS, "--last-name", "Dupuis")
    ok = ready("entitlement", "set", NISS, "dmg", "--from", "2024-01-01", "--detail", "19012345004")
    assert ok.exit_code == 0, ok.stderr
    clash = ready("entitlement", "set", NISS, "dmg", "--from", "2025-01-01", "--detail", "1")
    assert clash.exit_code == 4 and "overlaps the existing period 2024-01-01.." in clash.stderr
    no_gp = ready("entitlement", "set", NISS, "dmg", "--from", "2030-01-01")
    assert no_gp.exit_code == 2 and "GP" in no_gp.stderr
    assert ready("entitlement", "set", NISS, "third-party", "--from", "2024-01-01").exit_code == 0
    assert ready("entitlement", "end", NISS, "dmg", "--date", "2024-12-31").exit_code == 0
    listed = ready("entitlement", "list", NISS, "--date", "2025-06-01", "--format", "json")
    assert [r["kind"] for r in listed.json()] == ["third_party"]


def test_person_import_dry_run_then_idempotent(ready: Any) -> None:
    path = str(FIXTURES / "persons.csv")
    preview = ready("person", "import", path, "--dry-run")
    assert preview.exit_code == 0, preview.stderr
    assert "+ person 85061508234: Lambertin Sophie" in preview.stdout
    assert "would import" in preview.stderr
    assert ready("person", "show", "85061508234").exit_code == 3  # nothing written
    first = ready("person", "import", path, "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert (first.json()["inserted"], first.json()["updated"]) == (23, 0)
    second = ready("person", "import", path, "--format", "json")
    assert (second.json()["inserted"], second.json()["updated"], second.json()["unchanged"]) == (
        0,
        0,
        23,
    )
    ent = ready("entitlement", "import", str(FIXTURES / "entitlements.csv"), "--format", "json")
    assert ent.exit_code == 0 and ent.json()["inserted"] == 8


def test_person_import_errors_are_file_line_and_write_nothing(ready: Any) -> None:
    text = (
        "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
        "valid_from,valid_to\n"
        f"{NISS},Dupuis,Albert,300,1,titular,,110,110,2020-01-01,\n"
        f"{CHILD},Dupuis,Lena,300,2,dependent,{NISS},110,110,2016-04-22,\n"
        "1604220586,X,Y,300,3,titular,,110,110,2020-01-01,\n"
        f"{BIS},S,J,300,4,titular,,110,110,2020-01-01,2019-01-01\n"
    )
    result = ready("person", "import", "-", input=text)
    assert result.exit_code == 2
    assert "<stdin>:4: NISS '1604220586': has 10 digits, expected 11" in result.stderr
    assert "<stdin>:5: valid_to 2019-01-01 is before valid_from 2020-01-01" in result.stderr
    assert "(and 1 more)" in result.stderr
    assert ready("person", "show", NISS).exit_code == 3
    assert ready("person", "import", "missing.csv").exit_code == 2  # as every command (issue 17)


def test_every_command_has_help_with_example(cli_nodb: Any) -> None:
    commands = {
        "person": ["add", "show", "update", "import"],
        "affiliation": ["add", "end", "transfer", "list"],
        "entitlement": ["set", "end", "list", "import"],
        "insured": ["check", "batch"],
    }
    for group, verbs in commands.items():
        for verb in verbs:
            result = cli_nodb(group, verb, "--help")
            assert result.exit_code == 0, (group, verb)
            assert "Examples:\n    inami " in result.stdout, (group, verb)


def test_person_import_builds_late_indexes_and_keeps_them_on_failure(
    ready: Any, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from inami_cli.services import bulkio

    # issue 19: a big import into an empty table drops its secondary indexes and builds them
    # after the rows (SQLite); a refused file gets them back with the rollback
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 2)

    def indexes() -> set[str]:
        found = inspect(session.get_bind()).get_indexes("affiliation")
        return {str(index["name"]) for index in found}

    before = indexes()
    assert {"ix_affiliation_niss_from", "ix_affiliation_member"} <= before
    header = (
        "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
        "valid_from,valid_to\n"
    )
    rows = (
        f"{NISS},Dupuis,Albert,300,1,titular,,110,110,2020-01-01,\n"
        f"{CHILD},Dupuis,Lena,300,2,dependent,{NISS},110,110,2016-04-22,\n"
    )
    bad = f"{BIS},S,J,300,4,titular,,110,110,2020-01-01,2019-01-01\n"
    refused = ready("person", "import", "-", input=header + rows + bad)
    assert refused.exit_code == 2
    assert "<stdin>:4: valid_to 2019-01-01 is before valid_from 2020-01-01" in refused.stderr
    assert indexes() == before
    done = ready("person", "import", "-", "--format", "json", input=header + rows)
    assert done.exit_code == 0, done.stderr
    assert done.json()["inserted"] == 4
    assert indexes() == before
    assert ready("affiliation", "list", CHILD).exit_code == 0
