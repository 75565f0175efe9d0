"""``inami committee|member|meeting``: the real command on SQLite (and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import decision_record_argv

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "committees.toml"


def load_demo(db_url: str) -> None:
    """Committees, nomenclature and committee fixtures, as ``inami init --demo`` does."""
    from sqlmodel import Session

    from inami_cli.db.engine import make_engine
    from inami_cli.services import committees, nomenclature

    engine = make_engine(db_url)
    with Session(engine) as session:
        committees.sync_committees(session=session, path=CONFIG)
        nomenclature.load_fixtures(session=session, fixtures_dir=ROOT / "fixtures")
        committees.load_fixtures(session=session, fixtures_dir=ROOT / "fixtures")
        session.commit()
    engine.dispose()


@pytest.fixture
def synced(cli: Any) -> Any:
    result = cli("committee", "sync", "--file", str(CONFIG))
    assert result.exit_code == 0, result.stderr
    return cli


def test_sync_summary_json(cli: Any) -> None:
    result = cli("--format", "json", "committee", "sync", "--file", str(CONFIG))
    assert result.exit_code == 0, result.stderr
    assert result.json()["inserted"] == 7
    again = cli("--format", "json", "committee", "sync", "--file", str(CONFIG))
    assert (again.json()["inserted"], again.json()["unchanged"]) == (0, 7)


def test_sync_bad_file_exit_5_with_file_and_line(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "committees.toml"
    text = CONFIG.read_text(encoding="utf-8").replace(
        '[committee.CGG]\nname_fr = "Comité général de gestion"',
        '[committee.CGG]\nname_fr = "Comité général de gestion"\ncolour = "blue"',
    )
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index('colour = "blue"') + 1
    result = cli("committee", "sync", "--file", str(bad))
    assert result.exit_code == 5
    assert f"{bad}:{line}: committee.CGG.colour: unknown key 'colour'" in result.stderr
    assert cli("--format", "json", "committee", "list").json() == []


def test_list_and_show(synced: Any) -> None:
    rows = synced("committee", "list", "--format", "json").json()
    assert [r["code"] for r in rows] == ["CASS", "CG", "CGG", "CGI", "CNDM", "CNMM", "CTM"]
    cgg = synced("committee", "show", "cgg", "--format", "json").json()
    assert cgg["voting_seats"] == 15
    assert cgg["quorum"] == "at least half of the voting members present"
    government = next(g for g in cgg["groups"] if g["group"] == "government")
    assert (government["seats"], government["voting"]) == (3, False)
    missing = synced("committee", "show", "NOPE")
    assert missing.exit_code == 3
    assert "committee 'NOPE' not found" in missing.stderr


def test_member_add_end_and_seat_limit(synced: Any) -> None:
    added = []
    for i in range(3):
        result = synced(
            "--format",
            "json",
            "member",
            "add",
            "CGG",
            "--name",
            f"Gov {i}",
            "--group",
            "government",
            "--from",
            "2026-01-01",
        )
        assert result.exit_code == 0, result.stderr
        added.append(result.json()["id"])
    over = synced(
        "member", "add", "CGG", "--name", "Gov 4", "--group", "government", "--from", "1/3/2026"
    )
    assert over.exit_code == 4
    assert "CGG government: all 3 effective seat(s) are taken" in over.stderr
    ended = synced("--format", "json", "member", "end", str(added[0]), "--date", "2026-02-28")
    assert ended.json()["valid_to"] == "2026-02-28"
    ok = synced(
        "member", "add", "CGG", "--name", "Gov 4", "--group", "government", "--from", "1/3/2026"
    )
    assert ok.exit_code == 0, ok.stderr
    on_feb = synced("committee", "members", "CGG", "--date", "2026-02-15", "--format", "json")
    assert [m["name"] for m in on_feb.json()] == ["Gov 0", "Gov 1", "Gov 2"]
    bad_group = synced(
        "member", "add", "CGG", "--name", "x", "--group", "doctors", "--from", "2026-01-01"
    )
    assert bad_group.exit_code == 2
    assert "CGG has no group 'doctors'" in bad_group.stderr


def test_meeting_attend_close_and_minutes(cli: Any, db_url: str) -> None:
    load_demo(db_url)
    members = cli("committee", "members", "CTM", "--format", "json").json()
    ids = [str(m["id"]) for m in members]
    meeting = cli("--format", "json", "meeting", "add", "CTM", "--date", "2026-03-10")
    assert meeting.exit_code == 0, meeting.stderr
    mid = str(meeting.json()["id"])
    attended = cli("--format", "json", "meeting", "attend", mid, "--present", ",".join(ids))
    assert attended.exit_code == 0, attended.stderr
    assert attended.json()["attendance_by_group"] == {"fund_doctors": 2, "practitioners": 4}
    assert attended.json()["state"] == "held"
    draft = cli(
        *decision_record_argv(mid, "Proposal on 560011", "nomenclature", committee="CTM"), "--draft"
    )
    assert draft.exit_code == 0, draft.stderr
    refused = cli("meeting", "close", mid)
    assert refused.exit_code == 4
    assert "still has draft decision(s): CTM 2026/001" in refused.stderr
    voted = cli(
        "decision",
        "revise",
        "CTM 2026/001",
        "--reason",
        "vote taken",
        "--votes",
        "practitioners:3/1/0,fund_doctors:0/2/0",
    )
    assert voted.exit_code == 0, voted.stderr
    assert "rejected (no quorum: 6 of 24 voting members present, 12 required)" in voted.stderr
    closed = cli("--format", "json", "meeting", "close", mid)
    assert closed.json()["state"] == "closed"
    minutes = cli("meeting", "minutes", mid)
    assert minutes.exit_code == 0
    assert "### CTM 2026/001: Proposal on 560011" in minutes.stdout
    assert "| practitioners | 3 | 1 | 0 |" in minutes.stdout
    doc = cli("meeting", "minutes", mid, "--format", "json").json()
    assert doc["decisions"][0]["reason"].startswith("no quorum")
    assert len(doc["meeting"]["attendees"]) == 6
    bad = cli("meeting", "minutes", mid, "--format", "pdf")
    assert bad.exit_code == 2
    assert "expected markdown or json" in bad.stderr


def test_attend_unknown_member_exit_2(synced: Any) -> None:
    mid = str(
        synced("--format", "json", "meeting", "add", "CTM", "--date", "2026-03-10").json()["id"]
    )
    result = synced("meeting", "attend", mid, "--present", "999")
    assert result.exit_code == 2
    assert "member 999 is not a member of CTM" in result.stderr
    assert synced("meeting", "attend", "42", "--present", "1").exit_code == 3
