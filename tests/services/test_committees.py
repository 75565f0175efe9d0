"""Committee services on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from inami_cli.db.models import Decision, DecisionRevision, Member, Tariff
from inami_cli.domain.committees import Vote
from inami_cli.domain.errors import ConfigError, Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.services import committees as svc

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "committees.toml"
FIXTURES = ROOT / "fixtures"
D = date(2026, 3, 2)


@pytest.fixture
def synced(session: Any) -> Any:
    svc.sync_committees(session=session, path=CONFIG)
    session.commit()
    return session


def seed_cnmm(session: Any, doctors: int = 12, funds: int = 12) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"doctors": [], "sickness_funds": [], "substitute": []}
    for group, count in (("doctors", doctors), ("sickness_funds", funds)):
        for i in range(count):
            m = svc.add_member(
                session=session,
                committee="CNMM",
                name=f"{group} {i:02d}",
                group=group,
                valid_from=date(2025, 1, 1),
            )
            ids[group].append(m.id)
    sub = svc.add_member(
        session=session,
        committee="CNMM",
        name="doctor substitute",
        group="doctors",
        role="substitute",
        valid_from=date(2025, 1, 1),
    )
    ids["substitute"].append(sub.id)
    session.commit()
    return ids


def meeting_with(session: Any, present: list[int], on: date = D) -> int:
    meeting = svc.add_meeting(session=session, committee="CNMM", on=on)
    svc.attend(session=session, meeting_id=meeting.id, present=present)
    session.commit()
    return meeting.id


# ---------------------------------------------------------------- sync


def test_sync_inserts_then_changes_nothing(session: Any, tmp_path: Path) -> None:
    first = svc.sync_committees(session=session, path=CONFIG)
    assert (first.inserted, first.updated, first.unchanged) == (7, 0, 0)
    again = svc.sync_committees(session=session, path=CONFIG)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 7)
    edited = tmp_path / "committees.toml"
    edited.write_text(
        CONFIG.read_text(encoding="utf-8").replace(
            'name_fr = "Conseil technique médical"', 'name_fr = "Conseil technique médical (CTM)"'
        ),
        encoding="utf-8",
    )
    third = svc.sync_committees(session=session, path=edited)
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 6)
    assert svc.show_committee(session=session, code="CTM").name_fr.endswith("(CTM)")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'equal_seats = [["doctors"], ["sickness_funds"]]',
            'equal_seats = [["doctors"], ["funds"]]',
            'equal_seats = [["doctors"], ["funds"]]',
            "committee.CNMM.equal_seats: equal_seats names unknown group 'funds'",
        ),
        (
            "seats = 12\nsubstitutes = 12\n\n[committee.CNMM.groups.sickness_funds]",
            "seats = 11\nsubstitutes = 12\n\n[committee.CNMM.groups.sickness_funds]",
            'equal_seats = [["doctors"], ["sickness_funds"]]',
            "committee.CNMM.equal_seats: seats do not match: doctors = 11 vs sickness_funds = 12",
        ),
        (
            'quorum = { kind = "min_each_group", minimum = 5 }\nmajority = { kind = "simple" }\n'
            'parity = "youngest_abstain"\nequal_seats = [["doctors"]',
            'quorum = { kind = "most" }\nmajority = { kind = "simple" }\n'
            'parity = "youngest_abstain"\nequal_seats = [["doctors"]',
            'quorum = { kind = "most" }',
            "committee.CNMM.quorum.kind: quorum kind 'most' is not one of",
        ),
        (
            "[committee.CTM.groups.fund_doctors]\n",
            "[committee.CTM.groups.fund_doctors]\nvoting = 3\n",
            "voting = 3",
            "group fund_doctors: voting must be true or false",
        ),
    ],
)
def test_sync_semantic_errors_point_at_the_line(
    session: Any, tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    path = tmp_path / "committees.toml"
    path.write_text(bad, encoding="utf-8")
    line = _line_of(bad, needle)
    with pytest.raises(ConfigError) as caught:
        svc.sync_committees(session=session, path=path)
    assert caught.value.message.startswith(f"{path}:{line}: ")
    assert message in caught.value.message
    assert svc.list_committees(session=session) == []  # nothing written


def test_sync_syntax_error_has_the_line(session: Any, tmp_path: Path) -> None:
    path = tmp_path / "committees.toml"
    path.write_text('[committee.X]\nname_fr = "a"\nname_nl = \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}:3: "):
        svc.sync_committees(session=session, path=path)


def test_sync_refuses_fewer_seats_than_mandates(synced: Any, tmp_path: Path) -> None:
    seed_cnmm(synced)
    bad = CONFIG.read_text(encoding="utf-8").replace(
        '[committee.CNMM.groups.doctors]\nname_fr = "Organisations représentatives des médecins"\n'
        'name_nl = "Representatieve artsenorganisaties"\nseats = 12',
        '[committee.CNMM.groups.doctors]\nname_fr = "Organisations représentatives des médecins"\n'
        'name_nl = "Representatieve artsenorganisaties"\nseats = 11',
    )
    bad = bad.replace(
        'equal_seats = [["doctors"], ["sickness_funds"]]\n\n[committee.CNMM.major',
        "\n[committee.CNMM.major",
    )
    path = tmp_path / "c.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(Conflict, match="CNMM doctors: 12 effective mandates at once"):
        svc.sync_committees(session=synced, path=path)


# ---------------------------------------------------------------- members


def test_seats_are_never_exceeded(synced: Any) -> None:
    ids = seed_cnmm(synced, doctors=12, funds=0)
    with pytest.raises(Conflict, match="all 12 effective seat"):
        svc.add_member(
            session=synced,
            committee="CNMM",
            name="one too many",
            group="doctors",
            valid_from=date(2026, 1, 1),
        )
    # ends a mandate: the seat is free from the next day, not before
    svc.end_member(session=synced, member_id=ids["doctors"][0], on=date(2026, 5, 31))
    with pytest.raises(Conflict):
        svc.add_member(
            session=synced,
            committee="CNMM",
            name="too early",
            group="doctors",
            valid_from=date(2026, 5, 31),
        )
    ok = svc.add_member(
        session=synced,
        committee="CNMM",
        name="successor",
        group="doctors",
        valid_from=date(2026, 6, 1),
    )
    assert ok.valid_from == date(2026, 6, 1)
    assert len(svc.list_members(session=synced, code="CNMM", on=date(2026, 6, 1))) == 13  # + sub
    with pytest.raises(InvalidInput, match="CNMM has no group 'nurses'"):
        svc.add_member(session=synced, committee="CNMM", name="x", group="nurses", valid_from=D)
    with pytest.raises(Conflict, match="0 substitute seat"):
        svc.add_member(
            session=synced,
            committee="CGG",
            name="x",
            group="government",
            role="substitute",
            valid_from=D,
        )
    with pytest.raises(NotFound, match="committee 'XYZ' not found"):
        svc.add_member(session=synced, committee="XYZ", name="x", group="g", valid_from=D)


# ---------------------------------------------------------------- meetings


def test_substitute_sits_for_an_absent_effective_member(synced: Any) -> None:
    ids = seed_cnmm(synced)
    present = ids["doctors"][1:6] + ids["sickness_funds"][:6] + ids["substitute"]
    meeting = svc.add_meeting(session=synced, committee="CNMM", on=D)
    info = svc.attend(session=synced, meeting_id=meeting.id, present=present)
    assert info.state == "held"
    assert info.attendance_by_group == {"doctors": 6, "sickness_funds": 6}
    sub = next(a for a in info.attendees if a.role == "substitute")
    assert sub.substitute_for == ids["doctors"][0]  # the first absent effective doctor
    # with every effective doctor present, the substitute cannot sit
    full = ids["doctors"] + ids["substitute"]
    with pytest.raises(Conflict, match="every effective member of doctors is present"):
        svc.attend(session=synced, meeting_id=meeting.id, present=full)


def test_attend_refuses_members_without_mandate(synced: Any) -> None:
    ids = seed_cnmm(synced)
    svc.end_member(session=synced, member_id=ids["doctors"][0], on=date(2026, 1, 31))
    meeting = svc.add_meeting(session=synced, committee="CNMM", on=D)
    with pytest.raises(InvalidInput, match="holds no mandate on 2026-03-02"):
        svc.attend(session=synced, meeting_id=meeting.id, present=[ids["doctors"][0]])


# ---------------------------------------------------------------- decisions


def test_numbering_in_order_per_committee_and_year(synced: Any) -> None:
    ids = seed_cnmm(synced)
    m1 = meeting_with(synced, ids["doctors"][:6] + ids["sickness_funds"][:6])
    m2 = meeting_with(synced, ids["doctors"][:6] + ids["sickness_funds"][:6], date(2027, 1, 5))
    votes = {"doctors": Vote(6, 0, 0), "sickness_funds": Vote(6, 0, 0)}
    numbers = [
        svc.record_decision(
            session=synced,
            committee="CNMM",
            meeting_id=m,
            title=f"t{i}",
            kind="other",
            votes=votes,
        ).number
        for i, m in enumerate([m1, m1, m2, m1])
    ]
    assert numbers == ["CNMM 2026/001", "CNMM 2026/002", "CNMM 2027/001", "CNMM 2026/003"]


def test_outcomes_are_computed_with_reasons(synced: Any) -> None:
    ids = seed_cnmm(synced)
    short = meeting_with(synced, ids["doctors"][:4] + ids["sickness_funds"][:4])
    d = svc.record_decision(
        session=synced,
        committee="CNMM",
        meeting_id=short,
        title="no quorum",
        kind="agreement",
        votes={"doctors": Vote(4, 0, 0), "sickness_funds": Vote(4, 0, 0)},
    )
    assert (d.state, d.quorum_reached) == ("rejected", False)
    assert d.reason == (
        "no quorum: doctors 4 present, 5 required; sickness_funds 4 present, 5 required"
    )
    full = meeting_with(synced, ids["doctors"] + ids["sickness_funds"])
    d = svc.record_decision(
        session=synced,
        committee="CNMM",
        meeting_id=full,
        title="agreement",
        kind="agreement",
        votes={"doctors": Vote(5, 7, 0), "sickness_funds": Vote(12, 0, 0)},
    )
    assert (d.state, d.quorum_reached, d.majority_reached) == ("rejected", True, False)
    assert "doctors 5 for" in d.reason


def test_draft_blocks_close_until_voted(synced: Any) -> None:
    ids = seed_cnmm(synced)
    m = meeting_with(synced, ids["doctors"][:6] + ids["sickness_funds"][:6])
    d = svc.record_decision(
        session=synced, committee="CNMM", meeting_id=m, title="later", kind="other", votes=None
    )
    assert d.state == "draft"
    with pytest.raises(Conflict, match="still has draft decision"):
        svc.close_meeting(session=synced, meeting_id=m)
    revised = svc.revise_decision(
        session=synced,
        number=d.number,
        reason="vote taken",
        votes={"doctors": Vote(6, 0, 0), "sickness_funds": Vote(1, 5, 0)},
    )
    assert (revised.state, revised.revision) == ("adopted", 2)
    assert [r.revision for r in revised.revisions] == [1]
    assert revised.revisions[0].snapshot["state"] == "draft"
    closed = svc.close_meeting(session=synced, meeting_id=m)
    assert closed.state == "closed"
    with pytest.raises(Conflict, match="is closed"):
        svc.record_decision(
            session=synced,
            committee="CNMM",
            meeting_id=m,
            title="too late",
            kind="other",
            votes=None,
        )


def test_record_needs_attendance_and_the_right_meeting(synced: Any) -> None:
    m = svc.add_meeting(session=synced, committee="CNMM", on=D)
    with pytest.raises(Conflict, match="no attendance recorded"):
        svc.record_decision(
            session=synced,
            committee="CNMM",
            meeting_id=m.id,
            title="t",
            kind="other",
            votes={"doctors": Vote(1, 0, 0)},
        )
    with pytest.raises(InvalidInput, match="is a meeting of CNMM, not CASS"):
        svc.record_decision(
            session=synced, committee="CASS", meeting_id=m.id, title="t", kind="other", votes=None
        )
    assert synced.exec(select(Decision)).all() == []


def test_bad_tariff_rows_name_file_and_line(synced: Any) -> None:
    ids = seed_cnmm(synced)
    m = meeting_with(synced, ids["doctors"][:6] + ids["sickness_funds"][:6])
    rows = [
        (
            2,
            {
                "code": "560011",
                "valid_from": "2026-02-01",
                "fee": "30.80",
                "regime": "ordinary",
                "reimbursement": "24.55",
            },
        ),
        (
            3,
            {
                "code": "56001",
                "valid_from": "2026-02-01",
                "fee": "30.80",
                "regime": "preferential",
                "reimbursement": "28.30",
            },
        ),
    ]
    with pytest.raises(FileErrors, match=r"^t\.csv:3: code '56001'"):
        svc.record_decision(
            session=synced,
            committee="CNMM",
            meeting_id=m,
            title="t",
            kind="tariff",
            votes=None,
            tariff_rows=rows,
            tariff_filename="t.csv",
        )


def test_per_member_vote_file(synced: Any) -> None:
    ids = seed_cnmm(synced)
    m = meeting_with(synced, ids["doctors"][:5] + ids["sickness_funds"][:5])
    members = svc.vote_file_members(session=synced, meeting_id=m)
    text = "member,vote\n" + "".join(f"{i},for\n" for i in ids["doctors"][:5])
    text += "sickness_funds 00,against\nsickness_funds 01,abstain\n"
    by_group, by_member = svc.parse_vote_file(text, filename="v.csv", members=members)
    assert by_group == {"doctors": Vote(5, 0, 0), "sickness_funds": Vote(0, 1, 1)}
    assert by_member[str(ids["sickness_funds"][1])] == "abstain"
    with pytest.raises(FileErrors, match=r"v\.csv:2: member 'nobody' is not present"):
        svc.parse_vote_file("member,vote\nnobody,for\n", filename="v.csv", members=members)


# ---------------------------------------------------------------- fixtures, apply, chain


@pytest.fixture
def demo(synced: Any) -> Any:
    from inami_cli.services import nomenclature

    nomenclature.load_fixtures(session=synced, fixtures_dir=FIXTURES)
    svc.load_fixtures(session=synced, fixtures_dir=FIXTURES)
    synced.commit()
    return synced


def test_fixtures_load_idempotently(demo: Any) -> None:
    before = (
        len(demo.exec(select(Member)).all()),
        len(demo.exec(select(Decision)).all()),
        len(demo.exec(select(Tariff)).all()),
    )
    svc.load_fixtures(session=demo, fixtures_dir=FIXTURES)
    demo.commit()
    after = (
        len(demo.exec(select(Member)).all()),
        len(demo.exec(select(Decision)).all()),
        len(demo.exec(select(Tariff)).all()),
    )
    assert before == after
    states = {d.number: (d.state, d.reason) for d in svc.list_decisions(session=demo)}
    assert states["CASS 2026/001"][0] == "adopted"
    assert states["CASS 2026/002"] == ("rejected", "no majority: 14 for, 17 against, 5 abstaining")
    assert states["CNMM 2026/001"] == ("rejected", "no quorum: doctors 4 present, 5 required")


def test_applied_decision_sets_the_tariff_with_provenance(demo: Any) -> None:
    decision = svc.show_decision(session=demo, number="CASS 2026/001")
    assert decision.applied_at is not None
    tariffs = demo.exec(
        select(Tariff)
        .where(Tariff.code == "560011")
        .where(Tariff.valid_from == date(2026, 2, 1))
        .where(Tariff.superseded_at == None)  # noqa: E711
    ).all()
    assert [(t.fee_cents, t.source_kind, t.source, t.decision_id) for t in tariffs] == [
        (3080, "decision", "CASS 2026/001", decision.id)
    ]
    again = svc.apply_decision(session=demo, number="cass 2026/1")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    with pytest.raises(Conflict, match=r"CASS 2026/002 is rejected .*only an adopted"):
        svc.apply_decision(session=demo, number="CASS 2026/002")
    with pytest.raises(NotFound, match="decision CASS 2026/099 not found"):
        svc.apply_decision(session=demo, number="CASS 2026/099")
    with pytest.raises(Conflict, match="was applied on"):
        svc.revise_decision(
            session=demo, number="CASS 2026/001", reason="x", votes={"pharmacists": Vote(1, 0, 0)}
        )


def test_revise_keeps_history(demo: Any) -> None:
    d = svc.revise_decision(
        session=demo, number="CASS 2026/002", reason="typo", title="Dental prevention budget"
    )
    assert d.title == "Dental prevention budget" and d.revision == 2
    rows = demo.exec(select(DecisionRevision)).all()
    assert [(r.revision, r.reason) for r in rows] == [(1, "typo")]
    assert '"title": "Budget supplement for dental prevention' in rows[0].snapshot_json


def test_list_filters(demo: Any) -> None:
    def numbers(**kw: Any) -> list[str]:
        return [d.number for d in svc.list_decisions(session=demo, **kw)]

    assert numbers(code="560011") == ["CASS 2026/001"]
    assert numbers(committee="cnmm") == ["CNMM 2026/001"]
    assert numbers(kind="budget") == ["CASS 2026/002"]
    assert numbers(since=date(2026, 2, 1)) == ["CNMM 2026/001"]
    assert numbers(until=date(2026, 1, 31)) == ["CASS 2026/001", "CASS 2026/002"]


def test_chain_by_code_and_by_number(demo: Any) -> None:
    by_code = svc.chain(session=demo, code="560011")
    assert [(s.step_date.isoformat(), s.kind, s.decision) for s in by_code[0].steps] == [
        ("2025-12-09", "proposal", None),
        ("2026-01-14", "advice", None),
        ("2026-01-19", "decision", "CASS 2026/001"),
    ]
    step = svc.add_step(
        session=demo,
        body="Moniteur belge",
        kind="publication",
        on=date(2026, 1, 28),
        decision="CASS 2026/001",
        reference="invented",
    )
    assert step.dossier == "KINE-2026-INDEX"
    by_number = svc.chain(session=demo, number="CASS 2026/001")
    kinds = [(s.kind, s.decision) for s in by_number[0].steps]
    assert kinds[-1] == ("publication", "CASS 2026/001")
    assert ("decision", "CASS 2026/001") in kinds
    with pytest.raises(InvalidInput, match="deemed-given applies to an advice"):
        svc.add_step(
            session=demo, body="CTM", kind="proposal", on=D, dossier="x", deemed_given=True
        )
    with pytest.raises(NotFound, match="no decision or dossier concerns code 101076"):
        svc.chain(session=demo, code="101076")


def test_minutes_markdown(demo: Any) -> None:
    text = svc.minutes_markdown(svc.minutes(session=demo, meeting_id=1))
    assert "## Attendance" in text
    assert "### CASS 2026/002: Budget supplement for dental prevention" in text
    assert "- Reason: no majority: 14 for, 17 against, 5 abstaining" in text
    assert "| sickness_funds | 5 | 12 | 1 |" in text


def test_db_check_reports_seats_exceeded(synced: Any) -> None:
    assert list(svc._check_committee_seats(synced)) == []
    for i in range(4):  # written behind the service's back: 4 of 3 government seats
        synced.add(
            Member(
                committee_code="CGG",
                name=f"g{i}",
                group_code="government",
                valid_from=date(2026, 1, 1),
            )
        )
    synced.commit()
    assert list(svc._check_committee_seats(synced)) == [
        "committee CGG: CGG government: 4 effective mandates at once but the rules give 3"
    ]
