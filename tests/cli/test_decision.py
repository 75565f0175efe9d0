"""``inami decision``: record, list, show, apply, revise, chain, step add."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_committee import load_demo
from tests.helpers import decision_record_argv

CASS_VOTES = "sickness_funds:10/2/0,doctors_dentists:5/0/0"


@pytest.fixture
def demo(cli: Any, db_url: str) -> Any:
    load_demo(db_url)
    return cli


def open_cass_meeting(cli: Any) -> str:
    """A CASS meeting with 21 of the 42 voting members present (exactly half)."""
    members = cli("committee", "members", "CASS", "--format", "json").json()
    funds = [
        m["id"] for m in members if m["group"] == "sickness_funds" and m["role"] == "effective"
    ]
    doctors = [m["id"] for m in members if m["group"] == "doctors_dentists"]
    mid = str(
        cli("--format", "json", "meeting", "add", "CASS", "--date", "2026-03-16").json()["id"]
    )
    present = ",".join(str(i) for i in funds[:14] + doctors[:7])
    result = cli("meeting", "attend", mid, "--present", present)
    assert result.exit_code == 0, result.stderr
    return mid


def test_record_computes_outcome_and_numbers_in_order(demo: Any) -> None:
    mid = open_cass_meeting(demo)
    result = demo(
        "--format",
        "json",
        *decision_record_argv(mid, "Exactly half present", "other"),
        "--votes",
        CASS_VOTES,
    )
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert doc["number"] == "CASS 2026/003"  # after the two demo decisions of January
    assert (doc["state"], doc["quorum_reached"], doc["majority_reached"]) == ("adopted", True, True)
    assert doc["attendance_by_group"] == {"doctors_dentists": 7, "sickness_funds": 14}
    assert doc["votes"]["sickness_funds"] == {"for": 10, "against": 2, "abstain": 0}
    assert "recorded CASS 2026/003: adopted" in result.stderr
    tie = demo(
        "--format",
        "json",
        *decision_record_argv(mid, "Tie", "budget"),
        "--votes",
        "sickness_funds:3/5/6,doctors_dentists:2/0/5",
    )
    assert tie.json()["number"] == "CASS 2026/004"
    assert tie.json()["reason"] == "no majority: 5 for, 5 against, 11 abstaining (a tie rejects)"
    two_thirds = demo(
        "--format",
        "json",
        *decision_record_argv(mid, "Conv", "agreement"),
        "--votes",
        "sickness_funds:6/7/1,doctors_dentists:7/0/0",
    )
    assert two_thirds.json()["state"] == "rejected"
    assert "two thirds of 20 votes cast needs 14 for" in two_thirds.json()["reason"]
    second = demo(
        "--format",
        "json",
        *decision_record_argv(mid, "Conv", "agreement"),
        "--round",
        "2",
        "--votes",
        "sickness_funds:6/7/1,doctors_dentists:7/0/0",
    )
    assert second.json()["state"] == "adopted"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--title", "t", "--kind", "other", "--votes", "x:1/0/0"], "--meeting"),
        (["--meeting", "1", "--kind", "other", "--votes", "x:1/0/0"], "--title"),
        (["--meeting", "1", "--title", "t", "--votes", "x:1/0/0"], "--kind"),
        (["--meeting", "1", "--title", "t", "--kind", "other"], "--votes (or --vote-file"),
    ],
)
def test_missing_flag_exit_2_without_prompt(demo: Any, args: list[str], flag: str) -> None:
    result = demo("decision", "record", "CASS", *args)
    assert result.exit_code == 2
    assert f"pass {flag}" in result.stderr


def test_impossible_votes_exit_2_and_nothing_written(demo: Any) -> None:
    mid = open_cass_meeting(demo)
    advisory = demo(*decision_record_argv(mid, "t", "other"), "--votes", "social_partners:1/0/0")
    assert advisory.exit_code == 2
    assert "CASS social_partners is advisory and does not vote" in advisory.stderr
    too_many = demo(*decision_record_argv(mid, "t", "other"), "--votes", "doctors_dentists:8/0/0")
    assert too_many.exit_code == 2
    assert "8 votes (8/0/0) but 7 members present" in too_many.stderr
    bad_syntax = demo(*decision_record_argv(mid, "t", "other"), "--votes", "doctors_dentists=8")
    assert bad_syntax.exit_code == 2
    listed = demo("decision", "list", "--committee", "CASS", "--format", "json").json()
    assert [d["number"] for d in listed] == ["CASS 2026/001", "CASS 2026/002"]


def test_vote_file_per_group_and_bad_tariff_file(demo: Any, tmp_path: Path) -> None:
    mid = open_cass_meeting(demo)
    votes = tmp_path / "votes.csv"
    votes.write_text("group,for,against,abstain\nsickness_funds,1,9,0\n", encoding="utf-8")
    result = demo(
        "--format", "json", *decision_record_argv(mid, "t", "other"), "--vote-file", str(votes)
    )
    assert result.exit_code == 0, result.stderr
    assert result.json()["reason"] == "no majority: 1 for, 9 against, 0 abstaining"
    tariff = tmp_path / "tariff.csv"
    tariff.write_text(
        "code,valid_from,fee,regime,reimbursement\n560011,2026-04-01,30.80,ordinary,31.00\n",
        encoding="utf-8",
    )
    bad = demo(
        *decision_record_argv(mid, "t", "tariff"),
        "--votes",
        CASS_VOTES,
        "--tariff-file",
        str(tariff),
    )
    assert bad.exit_code == 2
    assert f"{tariff}:2: reimbursement 31.00 is above the fee 30.80" in bad.stderr


def test_apply_is_idempotent_and_refuses_rejected(demo: Any, tmp_path: Path) -> None:
    mid = open_cass_meeting(demo)
    tariff = tmp_path / "tariff.csv"
    tariff.write_text(
        "code,valid_from,fee,regime,reimbursement\n"
        "560092,2026-04-01,30.80,ordinary,24.55\n"
        "560092,2026-04-01,30.80,preferential,28.30\n",
        encoding="utf-8",
    )
    recorded = demo(
        "--format",
        "json",
        *decision_record_argv(mid, "560092 indexed", "tariff"),
        "--votes",
        CASS_VOTES,
        "--tariff-file",
        str(tariff),
        "--effective",
        "2026-04-01",
    )
    assert recorded.exit_code == 0, recorded.stderr
    number = recorded.json()["number"]
    dry = demo("--format", "json", "decision", "apply", number, "--dry-run")
    assert (dry.json()["inserted"], dry.json()["dry_run"]) == (2, True)
    first = demo("--format", "json", "decision", "apply", number)
    assert first.exit_code == 0, first.stderr
    assert (first.json()["inserted"], first.json()["unchanged"]) == (2, 0)
    again = demo("--format", "json", "decision", "apply", number)
    assert (again.json()["inserted"], again.json()["updated"], again.json()["unchanged"]) == (
        0,
        0,
        2,
    )
    rejected = demo("decision", "apply", "CASS 2026/002")
    assert rejected.exit_code == 4
    assert "CASS 2026/002 is rejected" in rejected.stderr
    no_tariff = demo("decision", "apply", "CNMM 2026/001")
    assert no_tariff.exit_code == 4
    assert demo("decision", "apply", "CASS 2026/404").exit_code == 3
    assert demo("decision", "apply", "garbage").exit_code == 2


def test_list_show_and_filters(demo: Any) -> None:
    by_code = demo("decision", "list", "--code", "560011", "--format", "json").json()
    assert [d["number"] for d in by_code] == ["CASS 2026/001"]
    assert by_code[0]["applied"] is True
    since = demo("decision", "list", "--since", "2026-02-01", "--format", "json").json()
    assert [(d["number"], d["state"]) for d in since] == [("CNMM 2026/001", "rejected")]
    shown = demo("decision", "show", "CASS 2026/001", "--format", "json").json()
    assert shown["tariff_changes"][0]["code"] == "560011"
    assert shown["tariff_changes"][0]["fee"] == Decimal("30.80")  # money as a number (issue 17)
    assert shown["dossier"] == "KINE-2026-INDEX"
    assert demo("decision", "list", "--kind", "party").exit_code == 2


def test_revise_keeps_history(demo: Any) -> None:
    result = demo(
        "--format",
        "json",
        "decision",
        "revise",
        "CASS 2026/002",
        "--reason",
        "title typo",
        "--title",
        "Dental prevention budget",
    )
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert (doc["title"], doc["revision"]) == ("Dental prevention budget", 2)
    assert doc["revisions"][0]["reason"] == "title typo"
    assert doc["revisions"][0]["snapshot"]["title"].startswith("Budget supplement")
    applied = demo(
        "decision", "revise", "CASS 2026/001", "--reason", "x", "--votes", "pharmacists:1/0/0"
    )
    assert applied.exit_code == 4
    assert "can no longer change" in applied.stderr


def test_chain_and_step_add(demo: Any) -> None:
    added = demo(
        "--format",
        "json",
        "decision",
        "step",
        "add",
        "--decision",
        "CASS 2026/001",
        "--body",
        "Moniteur belge",
        "--kind",
        "publication",
        "--date",
        "2026-01-28",
    )
    assert added.exit_code == 0, added.stderr
    assert added.json()["dossier"] == "KINE-2026-INDEX"
    steps = demo("decision", "chain", "--code", "560011", "--format", "json").json()
    assert [(s["date"], s["body"], s["kind"]) for s in steps] == [
        ("2025-12-09", "Conseil technique de la kinésithérapie", "proposal"),
        ("2026-01-14", "Commission de contrôle budgétaire", "advice"),
        ("2026-01-19", "CASS", "decision"),
        ("2026-01-28", "Moniteur belge", "publication"),
    ]
    assert demo("decision", "chain").exit_code == 2
    assert demo("decision", "chain", "--code", "101076").exit_code == 3


def test_royal_decree_2019_dossier(demo: Any) -> None:
    # DOMAIN.md section 5: the journey of the royal decree of 3 February 2019
    steps = demo(
        "decision", "chain", "--dossier", "RD-2019-02-03-BIOLOGY", "--format", "json"
    ).json()
    assert [(s["date"], s["body"], s["kind"], s["deemed_given"]) for s in steps] == [
        ("2018-06-12", "CTM", "proposal", False),
        ("2018-06-17", "Service d'évaluation et de contrôle médicaux", "advice", True),
        ("2018-06-25", "CNMM", "decision", False),
        ("2018-07-18", "Commission de contrôle budgétaire", "advice", False),
        ("2018-07-23", "CASS", "decision", False),
        ("2019-02-28", "Moniteur belge", "publication", False),
        ("2019-04-01", "Royal decree of 3 February 2019", "in_force", False),
    ]
    missing = demo("decision", "chain", "--dossier", "nope")
    assert missing.exit_code == 3
    assert "dossier 'nope' not found" in missing.stderr


def test_tariff_fee_in_nomenclature_names_the_decision(demo: Any, db_url: str) -> None:
    from sqlmodel import Session, select

    from inami_cli.db.engine import make_engine
    from inami_cli.db.models import Tariff

    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = session.exec(select(Tariff).where(Tariff.code == "560011")).all()
    engine.dispose()
    current = [r for r in rows if r.superseded_at is None]
    latest = max(current, key=lambda r: r.valid_from)
    assert (latest.valid_from.isoformat(), Decimal(latest.fee_cents or 0) / 100) == (
        "2026-02-01",
        Decimal("30.8"),
    )
    assert (latest.source_kind, latest.source) == ("decision", "CASS 2026/001")
