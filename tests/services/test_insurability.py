"""Insurability services on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from inami_cli.db.models import Affiliation, AuditEntry, Entitlement, ImportBatch, Insurer, Person
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.services import insurability as svc
from tests.helpers import row_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
D = date.fromisoformat

BIM_DMG = "85061508234"  # Solidaris, BIM automatic, DMG, 40 on 2026-03-02
PARENT = "72110313704"
CHILD = "16042205863"
TRANSFER = "90090906467"
ENDED = "68031230508"
DECEASED = "38070101229"
BIS = "79522409148"
PENSIONER = "50051702367"
YEAR_ONLY = "45000044614"
STUDENT = "03022817561"


@pytest.fixture
def demo(session: Any) -> Any:
    svc.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def test_seed_insurers_is_idempotent(session: Any) -> None:
    assert svc.seed_insurers(session=session) == 7
    session.commit()
    assert svc.seed_insurers(session=session) == 0
    assert session.get(Insurer, "300").short_name == "Solidaris"


def test_fixtures_load_twice_change_nothing(demo: Any) -> None:
    counts = [row_count(demo, m) for m in (Person, Affiliation, Entitlement, ImportBatch)]
    audit = row_count(demo, AuditEntry)
    svc.load_fixtures(session=demo, fixtures_dir=FIXTURES)
    demo.commit()
    assert [row_count(demo, m) for m in (Person, Affiliation, Entitlement, ImportBatch)] == counts
    assert row_count(demo, AuditEntry) == audit
    assert counts[0] == 11


def test_demo_person_bim_dmg_solidaris_aged_40(demo: Any) -> None:
    status = svc.beneficiary_on(session=demo, niss=BIM_DMG, on=D("2026-03-02"))
    assert status.insured and status.insurer_code == "300"
    assert status.insurer_name == "Union nationale des mutualités socialistes"
    assert (status.regime, status.bim_automatic, status.dmg, status.third_party) == (
        "preferential",
        True,
        True,
        True,
    )
    assert status.age == 40
    assert status.birth_date == D("1985-06-15")
    assert status.member_number == "1234567"
    assert status.dmg_gp == "19012345004"


@pytest.mark.parametrize(
    ("niss", "on", "insured", "insurer", "regime", "reason"),
    [
        (PARENT, "2026-03-02", True, "100", "ordinary", "as titular"),
        (PARENT, "2022-06-01", True, "100", "preferential", "as titular"),  # BIM then
        (CHILD, "2026-03-02", True, "100", "ordinary", f"as dependent of {PARENT}"),
        (TRANSFER, "2024-12-31", True, "300", "ordinary", "until 2024-12-31"),
        (TRANSFER, "2025-01-01", True, "500", "ordinary", "since 2025-01-01"),
        (ENDED, "2026-03-02", False, None, "ordinary", "coverage with 200 ended on 2023-06-30"),
        (DECEASED, "2025-11-20", True, "400", "preferential", "as titular"),
        (DECEASED, "2026-03-02", False, None, "ordinary", "deceased on 2025-11-20"),
        (BIS, "2026-03-02", True, "600", "ordinary", "as titular"),
        (PENSIONER, "2026-03-02", True, "900", "preferential", "as titular"),
        (STUDENT, "2021-08-31", False, None, "ordinary", "coverage with 100 starts on 2021-09-01"),
    ],
)
def test_each_fixture_case(
    demo: Any, niss: str, on: str, insured: bool, insurer: str | None, regime: str, reason: str
) -> None:
    status = svc.beneficiary_on(session=demo, niss=niss, on=D(on))
    assert (status.insured, status.insurer_code, status.regime) == (insured, insurer, regime)
    assert reason in status.reason


def test_incomplete_birth_date_gives_no_age(demo: Any) -> None:
    status = svc.beneficiary_on(session=demo, niss=YEAR_ONLY, on=D("2026-03-02"))
    assert status.insured and status.birth_date is None and status.age is None


def test_malformed_and_unknown(demo: Any) -> None:
    with pytest.raises(InvalidInput, match="bad check digits"):
        svc.beneficiary_on(session=demo, niss="85061508235", on=D("2026-03-02"))
    with pytest.raises(NotFound, match="no person with NISS 85073003328"):
        svc.beneficiary_on(session=demo, niss="85073003328", on=D("2026-03-02"))


def test_by_member_number(demo: Any) -> None:
    status = svc.beneficiary_by_member(
        session=demo, insurer_code="300", member_number="1234567", on=D("2026-03-02")
    )
    assert status.niss == BIM_DMG
    old = svc.beneficiary_by_member(
        session=demo, insurer_code="300", member_number="3004410", on=D("2026-03-02")
    )
    assert old.niss == TRANSFER and old.insurer_code == "500"  # moved on: answer for the date
    with pytest.raises(NotFound, match="no member 999 at insurer 300"):
        svc.beneficiary_by_member(
            session=demo, insurer_code="300", member_number="999", on=D("2026-03-02")
        )


def test_range_sub_periods(demo: Any) -> None:
    answer = svc.beneficiary_over(
        session=demo, niss=TRANSFER, start=D("2011-12-01"), end=D("2025-02-01")
    )
    assert not answer.insured
    assert [(p.period_from, p.covered, p.insurer_code) for p in answer.periods] == [
        (D("2011-12-01"), False, None),
        (D("2012-01-01"), True, "300"),
        (D("2025-01-01"), True, "500"),
    ]
    assert answer.reason.startswith("not covered 2011-12-01..2011-12-31")


def test_register_answers_like_single_queries(demo: Any) -> None:
    register = svc.load_register(session=demo)
    assert len(register) == 11
    for niss in (BIM_DMG, PARENT, CHILD, TRANSFER, ENDED, DECEASED, BIS, PENSIONER, YEAR_ONLY):
        for on in (D("2022-06-01"), D("2025-01-01"), D("2026-03-02")):
            assert register.status(niss, on) == svc.beneficiary_on(session=demo, niss=niss, on=on)
    assert register.status("85073003328", D("2026-03-02")) is None


def test_chunk_rows_read_only_the_persons_named(demo: Any) -> None:
    from inami_cli.services.insurability._batch_rows import chunk_rows
    from inami_cli.services.insurability._register import RegisterLookup

    # the batches read each chunk's persons through the index (issue 19): the persons named
    # that the register holds, with all their affiliations and entitlements, nobody else
    whole = svc.load_register(session=demo)._persons
    named = (BIM_DMG, TRANSFER, DECEASED, BIS, "85073003328", "not a niss")
    with RegisterLookup(demo).connection() as connection:
        found = chunk_rows(connection, named)
    assert set(found.persons) == {BIM_DMG, TRANSFER, DECEASED, BIS}
    assert set(found.rights) <= set(found.persons)
    for niss, rows in found.persons.items():
        _birth, _death, affiliations, entitlements = whole[niss]
        assert len(rows) == max(len(affiliations), 1)
        assert len(found.rights.get(niss, ())) == len(entitlements)


def test_insured_batch_loads_no_register(demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from inami_cli.services.insurability import _register

    def refuse(**kw: Any) -> Any:
        raise AssertionError("the batch loaded the whole register")

    monkeypatch.setattr(_register, "load_register", refuse)
    monkeypatch.setattr(svc, "load_register", refuse)
    out = io.StringIO()
    summary = svc.insured_batch(
        session=demo,
        source=io.StringIO(f"{BIM_DMG}\n85.06.15-082.34,2025-01-01\n85073003328\n"),
        out=out,
        fmt="csv",
        on=D("2026-03-02"),
        filename="n.txt",
        on_error=lambda message: None,
    )
    assert (summary.checked, summary.insured, summary.unknown) == (3, 2, 1)
    assert out.getvalue().splitlines()[2].startswith(f"2,{BIM_DMG},2025-01-01,yes,300,")


# ------------------------------------------------------------------ writes


def test_person_add_update_show_audited(session: Any) -> None:
    svc.seed_insurers(session=session)
    view = svc.person_add(
        session=session, niss="85.07.30-033.28", last_name="Dupuis", first_name=""
    )
    assert (view.niss, view.birth_date, view.sex, view.is_bis) == (
        "85073003328",
        D("1985-07-30"),
        "M",
        False,
    )
    with pytest.raises(Conflict, match="already exists"):
        svc.person_add(session=session, niss="85073003328", last_name="X", first_name="")
    with pytest.raises(InvalidInput, match="before the birth date"):
        svc.person_update(session=session, niss="85073003328", death_date=D("1980-01-01"))
    updated = svc.person_update(session=session, niss="85073003328", first_name="Albert")
    assert updated.first_name == "Albert"
    session.commit()
    actions = session.execute(
        select(AuditEntry.action).where(AuditEntry.entity == "person").order_by(AuditEntry.id)
    ).scalars()
    assert list(actions) == ["insert", "update"]


def _affiliated_with_300(session: Any) -> str:
    """A person affiliated with insurer 300 from 2020-01-01, open-ended; their NISS."""
    svc.seed_insurers(session=session)
    niss = "85073003328"
    svc.person_add(session=session, niss=niss, last_name="Dupuis", first_name="Albert")
    svc.affiliation_add(
        session=session, niss=niss, insurer_code="300", member_number="111", ct1="110",
        ct2="110", valid_from=D("2020-01-01"),
    )  # fmt: skip
    return niss


def test_affiliation_overlap_refused_and_transfer(session: Any) -> None:
    niss = _affiliated_with_300(session)
    with pytest.raises(Conflict, match=r"overlaps the existing period 2020-01-01\.\."):
        svc.affiliation_add(
            session=session, niss=niss, insurer_code="100", member_number="222", ct1="110",
            ct2="110", valid_from=D("2023-01-01"),
        )  # fmt: skip
    old, new = svc.affiliation_transfer(
        session=session, niss=niss, to_insurer="500", member_number="333", on=D("2025-01-01")
    )
    assert (old.valid_to, new.valid_from, new.valid_to) == (D("2024-12-31"), D("2025-01-01"), None)
    with pytest.raises(Conflict, match="already affiliated with 500"):
        svc.affiliation_transfer(
            session=session, niss=niss, to_insurer="500", member_number="4", on=D("2025-06-01")
        )
    ended = svc.affiliation_end(session=session, niss=niss, on=D("2025-12-31"))
    assert ended.valid_to == D("2025-12-31")
    with pytest.raises(NotFound, match="no affiliation on 2026-01-01"):
        svc.affiliation_end(session=session, niss=niss, on=D("2026-01-01"))
    listed = svc.affiliation_list(session=session, niss=niss)
    assert [(a.insurer_code, a.valid_from) for a in listed] == [
        ("300", D("2020-01-01")),
        ("500", D("2025-01-01")),
    ]


def test_dependent_needs_existing_titular(session: Any) -> None:
    svc.seed_insurers(session=session)
    svc.person_add(session=session, niss=CHILD, last_name="V", first_name="L")
    with pytest.raises(NotFound, match=f"titular {PARENT} is not in the register"):
        svc.affiliation_add(
            session=session, niss=CHILD, insurer_code="100", member_number="1", ct1="110",
            ct2="110", valid_from=D("2016-04-22"), quality="dependent", titular_niss=PARENT,
        )  # fmt: skip


def test_entitlements_set_end_list(session: Any) -> None:
    svc.person_add(session=session, niss=PARENT, last_name="V", first_name="M")
    svc.entitlement_set(session=session, niss=PARENT, kind="dmg", valid_from=D("2024-01-01"),
                        detail="19012345004")  # fmt: skip
    with pytest.raises(Conflict, match=r"dmg of 72110313704 2025-01-01\.\. overlaps"):
        svc.entitlement_set(session=session, niss=PARENT, kind="dmg", valid_from=D("2025-01-01"),
                            detail="19099999004")  # fmt: skip
    svc.entitlement_set(
        session=session, niss=PARENT, kind="third-party", valid_from=D("2024-01-01")
    )
    ended = svc.entitlement_end(session=session, niss=PARENT, kind="dmg", on=D("2024-12-31"))
    assert ended.valid_to == D("2024-12-31")
    svc.entitlement_set(session=session, niss=PARENT, kind="dmg", valid_from=D("2025-01-01"),
                        detail="19099999004")  # fmt: skip
    in_force = svc.entitlement_list(session=session, niss=PARENT, on=D("2025-06-01"))
    assert [(e.kind, e.detail) for e in in_force] == [("dmg", "19099999004"), ("third_party", "")]


def test_ending_a_period_is_audited_once_and_not_again_on_the_same_day(session: Any) -> None:
    import json

    # affiliation end and entitlement end share services.periods.end_in_force
    niss = _affiliated_with_300(session)
    svc.entitlement_set(session=session, niss=niss, kind="dmg", valid_from=D("2024-01-01"),
                        detail="19012345004")  # fmt: skip

    def updates(entity: str) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.action == "update")
        return list(session.execute(query).scalars())

    for _ in range(2):  # the second time changes nothing and writes no audit row
        ended = svc.affiliation_end(session=session, niss=niss, on=D("2025-12-31"))
        assert ended.valid_to == D("2025-12-31")
        right = svc.entitlement_end(session=session, niss=niss, kind="dmg", on=D("2024-12-31"))
        assert right.valid_to == D("2024-12-31")
    [affiliation] = updates("affiliation")
    [entitlement] = updates("entitlement")
    assert affiliation.key == f"{niss} 2020-01-01"
    assert entitlement.key == f"{niss} dmg 2024-01-01"
    for entry, day in ((affiliation, "2025-12-31"), (entitlement, "2024-12-31")):
        before, after = json.loads(entry.before_json or ""), json.loads(entry.after_json or "")
        assert (before["valid_to"], after["valid_to"]) == (None, day)
    with pytest.raises(NotFound, match=f"{niss} has no dmg entitlement on 2025-01-01"):
        svc.entitlement_end(session=session, niss=niss, kind="dmg", on=D("2025-01-01"))


# ------------------------------------------------------------------ imports


HEADER = (
    "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
    "valid_from,valid_to\n"
)


def _import(session: Any, text: str, dry_run: bool = False) -> svc.ImportReport:
    return svc.import_persons(
        session=session, lines=text.splitlines(keepends=True), filename="f.csv", dry_run=dry_run
    )


def test_import_all_or_nothing_with_file_line_errors(session: Any) -> None:
    svc.seed_insurers(session=session)
    text = (
        HEADER
        + f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,,\n"
        + "85073003329,X,Y,100,2,titular,,110,110,2020-01-01,,\n"
        + f"{ENDED},Z,K,700,3,titular,,110,110,2020-01-01,,\n"
        + f"{CHILD},V,L,100,4,dependent,,110,110,2020-01-01,,\n"
        + f"{BIS},S,J,100,5,titular,,112,110,2020-13-01,,\n"
    )
    with pytest.raises(FileErrors) as caught:
        _import(session, text)
    assert caught.value.problems == [
        "f.csv:3: NISS '85073003329': bad check digits 29 (expected 28)",
        "f.csv:4: insurer '700': unknown code (expected one of 100, 200, 300, 400, 500, 600, 900)",
        "f.csv:5: a dependent must name its titular (--titular NISS)",
        "f.csv:6: CT1 '112': not a holder code (e.g. 110 ordinary, 131 BIM)",
    ]
    assert row_count(session, Person) == 0


def test_big_import_builds_its_indexes_after_the_rows(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from inami_cli.services import bulkio

    # issue 19: a bulk import into a small table drops the secondary indexes and builds
    # them again after its rows (PostgreSQL: its keys too); the same rows and indexes
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 2)
    svc.seed_insurers(session=session)

    def indexes() -> set[str]:
        found = inspect(session.connection()).get_indexes("affiliation")
        return {str(index["name"]) for index in found}

    before = indexes()
    assert {"ix_affiliation_niss_from", "ix_affiliation_member"} <= before
    text = HEADER + (
        f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,2022-12-31\n"
        f"{PARENT},V,M,300,9,titular,,110,110,2023-01-01,\n"
        f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,\n"
    )
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert _import(session, text).inserted == 5
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    session.commit()
    assert indexes() == before
    built = [s.split()[2] for s in statements if s.startswith("CREATE INDEX")]
    assert sorted(built) == ["ix_affiliation_member", "ix_affiliation_niss_from"]
    dropped = [s.split()[2] for s in statements if s.strip().startswith("DROP INDEX")]
    assert sorted(name.split(".")[-1] for name in dropped) == sorted(built)
    if engine.dialect.name == "postgresql":
        # and the foreign keys, added back (every row checked) after the rows
        added = sorted(s.split()[5] for s in statements if " ADD CONSTRAINT " in s)
        assert added == [
            "affiliation_batch_id_fkey", "affiliation_insurer_code_fkey",
            "affiliation_niss_fkey", "person_batch_id_fkey",
        ]  # fmt: skip
        assert len(inspect(session.connection()).get_foreign_keys("affiliation")) == 3
    assert row_count(session, Affiliation) == 3
    assert svc.beneficiary_on(session=session, niss=PARENT, on=D("2024-01-01")).insured


@pytest.mark.parametrize("problem", ["row", "overlap after a written batch"])
def test_failed_big_import_keeps_the_indexes(
    session: Any, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    from sqlalchemy import inspect

    from inami_cli.services import bulkio
    from inami_cli.services.insurability import _person_import

    # The dropped indexes come back with the rollback (transactional DDL), also when rows
    # were already written by an earlier batch (SQLite and PostgreSQL)
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 2)
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)
    svc.seed_insurers(session=session)
    session.commit()

    def indexes() -> set[str]:
        found = inspect(session.connection()).get_indexes("affiliation")
        return {str(index["name"]) for index in found}

    before = indexes()
    bad = (
        f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,\n"
        if problem == "row"
        else f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,\n"
        f"{TRANSFER},M,I,500,7,titular,,110,110,2024-01-01,\n"
    )
    text = HEADER + (
        f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,2022-12-31\n"
        f"{PARENT},V,M,300,9,titular,,110,110,2023-01-01,\n"
        + bad
        + (f"{CHILD},V,L,100,4,dependent,,110,110,2020-01-01,\n" if problem == "row" else "")
    )
    with pytest.raises(FileErrors) as caught:
        _import(session, text)
    session.rollback()
    expected = (
        "f.csv:5: a dependent must name its titular (--titular NISS)"
        if problem == "row"
        else f"f.csv:5: affiliation of {TRANSFER} 2024-01-01.. overlaps 2012-01-01.. (line 4)"
    )
    assert caught.value.problems == [expected]
    assert indexes() == before
    assert row_count(session, Affiliation) == 0
    assert row_count(session, Person) == 0


def test_import_overlap_in_file_and_with_stored(session: Any) -> None:
    svc.seed_insurers(session=session)
    _import(session, HEADER + f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,2022-12-31\n")
    text = HEADER + (
        f"{PARENT},V,M,300,9,titular,,110,110,2022-06-01,\n"
        f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,\n"
        f"{TRANSFER},M,I,500,7,titular,,110,110,2024-01-01,\n"
    )
    with pytest.raises(FileErrors) as caught:
        _import(session, text)
    assert caught.value.problems == [
        f"f.csv:2: affiliation of {PARENT} 2022-06-01.. overlaps 2020-01-01..2022-12-31 (stored)",
        f"f.csv:4: affiliation of {TRANSFER} 2024-01-01.. overlaps 2012-01-01.. (line 3)",
    ]


def test_import_idempotent_update_and_dry_run(session: Any) -> None:
    svc.seed_insurers(session=session)
    text = HEADER + (
        f"{PARENT},Verhaegen,Marc,100,7200113,titular,,110,110,1995-09-01,\n"
        f"{CHILD},Verhaegen,Lena,100,7200114,dependent,{PARENT},110,110,2016-04-22,\n"
    )
    first = _import(session, text)
    assert (first.inserted, first.updated, first.unchanged) == (4, 0, 0)
    again = _import(session, text)
    assert (again.inserted, again.updated, again.unchanged, again.batch_id) == (0, 0, 4, None)
    changed = text.replace("1995-09-01,", "1995-09-01,2025-12-31").replace("Lena", "Lena Marie")
    preview = _import(session, changed, dry_run=True)
    assert (preview.inserted, preview.updated) == (0, 2)
    assert [(c.action, c.entity, c.key) for c in preview.changes] == [
        ("update", "person", CHILD),
        ("update", "affiliation", f"{PARENT} 1995-09-01"),
    ]
    assert "valid_to: None -> 2025-12-31" in preview.changes[1].detail
    assert svc.beneficiary_on(session=session, niss=PARENT, on=D("2026-03-02")).insured
    done = _import(session, changed)
    assert (done.updated, done.unchanged) == (2, 2)
    assert not svc.beneficiary_on(session=session, niss=PARENT, on=D("2026-03-02")).insured
    session.commit()
    batches = session.execute(select(ImportBatch.inserted, ImportBatch.updated)).all()
    assert [tuple(b) for b in batches] == [(4, 0), (0, 2)]


def test_entitlement_import_errors_and_idempotence(demo: Any) -> None:
    bad = "niss,kind,valid_from,valid_to,detail\n" + (
        "85073003328,bim,2020-01-01,,automatic\n"
        f"{PARENT},maf,2020-01-01,,\n"
        f"{PARENT},dmg,2020-01-01,,\n"
        f"{PARENT},bim,2022-06-01,,income\n"
    )
    with pytest.raises(FileErrors) as caught:
        svc.import_entitlements(session=demo, lines=bad.splitlines(True), filename="e.csv")
    assert caught.value.problems[:2] == [
        "e.csv:3: entitlement kind 'maf': expected one of bim, dmg, chronic, third_party",
        "e.csv:4: dmg: the detail must name the GP holding the DMG (INAMI number)",
    ]
    fixture = (FIXTURES / "entitlements.csv").read_text(encoding="utf-8")
    report = svc.import_entitlements(
        session=demo, lines=fixture.splitlines(True), filename="entitlements.csv"
    )
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 8)


def test_entitlement_import_unknown_person_and_overlap(demo: Any) -> None:
    text = "niss,kind,valid_from,valid_to,detail\n" + (
        f"85073003328,bim,2020-01-01,,automatic\n{PARENT},bim,2022-06-01,,income\n"
    )
    with pytest.raises(FileErrors) as caught:
        svc.import_entitlements(session=demo, lines=text.splitlines(True), filename="e.csv")
    assert caught.value.problems == [
        "e.csv:2: person 85073003328 is not in the register",
        "e.csv:3: bim of 72110313704 2022-06-01.. overlaps 2021-01-01..2022-12-31 (stored)",
    ]


def test_missing_column_named(session: Any) -> None:
    with pytest.raises(FileErrors, match=r"f\.csv:1: missing column"):
        _import(session, "niss,last_name\n")
