"""Tariff writers and their trail (issue 17): ``decision apply --correct`` keeps the link to
the decision, ``show --history`` answers for a code with only future tariffs, and
``audit log --entity tariff --key CODE`` finds every period the writers opened or closed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_committee import load_demo
from tests.cli.test_decision import CASS_VOTES, open_cass_meeting
from tests.helpers import decision_record_argv

D = Decimal


@pytest.fixture
def demo(cli: Any, db_url: str) -> Any:
    load_demo(db_url)
    return cli


def _keys(cli: Any, code: str) -> list[tuple[str, str]]:
    log = cli("audit", "log", "--entity", "tariff", "--key", code, "--format", "json")
    assert log.exit_code == 0, log.stderr
    return [(r["action"], r["key"]) for r in log.json()]


def test_decision_apply_correct_keeps_the_decision_link(demo: Any, tmp_path: Path) -> None:
    mid = open_cass_meeting(demo)
    tariff = tmp_path / "tariff.csv"
    # 560092 has a closed period 2024-01-01..2025-01-31: a decision from 2025-01-01 overlaps it
    tariff.write_text(
        "code,valid_from,fee,regime,reimbursement\n"
        "560092,2025-01-01,30.80,ordinary,24.55\n"
        "560092,2025-01-01,30.80,preferential,28.30\n",
        encoding="utf-8",
    )
    args = decision_record_argv(mid, "560092 corrected", "tariff")
    recorded = demo(
        "--format", "json", *args, "--votes", CASS_VOTES, "--tariff-file", str(tariff),
        "--effective", "2025-01-01",
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    number = recorded.json()["number"]
    refused = demo("decision", "apply", number)
    assert refused.exit_code == 4  # an overlap with stored periods (issue 17: 4, was 2)
    assert "use --correct" in refused.stderr
    help_text = demo("decision", "apply", "--help")
    assert "--correct" in help_text.stdout  # the hint names an option the command has
    done = demo("--format", "json", "decision", "apply", number, "--correct")
    assert done.exit_code == 0, done.stderr
    assert done.json()["inserted"] == 2
    shown = demo("nomenclature", "show", "560092", "--date", "2025-01-15", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    tariff_now = shown.json()["tariff"]
    assert tariff_now["fee"] == D("30.80") and tariff_now["decision_number"] == number
    history = demo("nomenclature", "show", "560092", "--history", "--format", "json").json()
    periods = {h["valid_from"]: h for h in history["history"]}
    assert periods["2024-01-01"]["valid_to"] == "2024-12-31"  # corrected, not refused
    assert periods["2025-01-01"]["decision_number"] == number
    keys = _keys(demo, "560092")
    assert ("insert", "560092 2025-01-01") in keys  # the new period
    assert ("update", "560092 2024-01-01") in keys  # the corrected one


def test_show_history_of_a_code_with_only_future_tariffs(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "future.csv"
    f.write_text(
        "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article\n"
        "371011,2099-01-01,,20.00,,,15.00,Acte futur,Toekomstige akte,14a\n"
    )
    assert cli("nomenclature", "import", str(f)).exit_code == 0
    result = cli("nomenclature", "show", "371011", "--history", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [h["valid_from"] for h in result.json()["history"]] == ["2099-01-01"]
    assert result.json()["tariff"] is None
    assert "warning: no tariff for 371011" in result.stderr
    assert cli("nomenclature", "show", "371011").exit_code == 3  # without --history: not found


def test_audit_key_finds_the_code_and_new_periods_are_audited(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(
        "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article\n"
        "101076,2026-01-01,,33.73,,,27.73,Consultation,Raadpleging,2\n"
        "101010,2026-01-01,,20.00,,,15.00,Autre,Andere,2\n"
    )
    assert cli("nomenclature", "import", str(f)).exit_code == 0
    assert _keys(cli, "101076") == [("insert", "101076 2026-01-01")]  # the import's new period
    index = cli("nomenclature", "index", "--rate", "2", "--from", "2027-01-01")
    assert index.exit_code == 0, index.stderr
    keys = _keys(cli, "101076")
    assert ("insert", "101076 2027-01-01") in keys  # opened by the indexation
    assert ("update", "101076 2026-01-01") in keys  # closed by it
    assert all(k.startswith("101076 ") for _, k in keys)  # not 101010's rows
    exact = cli("audit", "log", "--key", "101076 2027-01-01", "--format", "json").json()
    assert len(exact) == 1
    after = json.loads(exact[0]["after"])
    assert after["valid_from"] == "2027-01-01"
    assert cli("audit", "log", "--key", "10107_", "--format", "json").json() == []
