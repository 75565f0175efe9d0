"""Nomenclature services on a real database (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text, update

from inami_cli.db.models import Act, AuditEntry, Tariff
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.domain.nomenclature import ActView
from inami_cli.domain.tariffs import Beneficiary, Profile, select_profile
from inami_cli.services import nomenclature as svc

D = Decimal
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article"


def rows_of(csv_text: str, name: str = "t.csv") -> list[tuple[int, dict[str, str]]]:
    return list(svc.read_table(csv_text.encode(), name))


def do_import(session: Any, csv_text: str, **kw: Any) -> svc.ImportSummary:
    return svc.import_rows(session=session, rows=rows_of(csv_text), filename="t.csv", **kw)


@pytest.fixture
def demo(session: Any) -> Any:
    svc.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def count_tariffs(session: Any) -> int:
    return int(session.execute(select(func.count()).select_from(Tariff)).scalar_one())


# ---------------------------------------------------------------- fixtures and reads


def test_fixture_answers_the_real_2026_gp_tariff(demo: Any) -> None:
    view = svc.tariff_in_force(session=demo, code="101076", on=date(2026, 3, 2))
    assert view is not None and view.fee == D("33.73") and not view.fee_derived
    best = select_profile(view.profiles, Beneficiary("preferential", dmg=True))
    assert best is not None and best.reimbursement == D("32.73")
    view_2024 = svc.tariff_in_force(session=demo, code="101076", on=date(2024, 6, 1))
    assert view_2024 is not None and view_2024.fee == D("31.81")
    assert {p.label(): p.reimbursement for p in view_2024.profiles} == {
        "ordinary,no-dmg": D("25.81"),
        "ordinary,dmg": D("27.81"),
        "preferential,no-dmg": D("30.31"),
        "preferential,dmg": D("30.81"),
    }


def test_fixture_has_enough_codes_across_articles(demo: Any) -> None:
    acts = demo.execute(select(Act.code, Act.article)).all()
    assert len(acts) >= 40
    assert {a for _, a in acts} >= {"2", "5", "7"}


def test_fixture_load_is_idempotent(demo: Any) -> None:
    before = count_tariffs(demo)
    svc.load_fixtures(session=demo, fixtures_dir=FIXTURES)
    demo.commit()
    assert count_tariffs(demo) == before


def test_fee_derived_from_key_letters(demo: Any) -> None:
    view = svc.tariff_in_force(session=demo, code="105755", on=date(2025, 5, 1))
    assert view is not None and view.fee == D("32.85") and view.fee_derived


def test_dental_rules(demo: Any) -> None:
    act = svc.get_act(session=demo, code="301593")
    assert (act.min_age, act.max_age, act.max_per_period, act.frequency_period) == (
        18,
        66,
        1,
        "calendar_year",
    )
    assert svc.get_act(session=demo, code="371615").max_age == 17
    assert svc.get_act(session=demo, code="302153").prerequisite == "dental_care_previous_year"
    assert svc.get_act(session=demo, code="560011").category == "physio"


def test_unknown_and_bad_codes(demo: Any) -> None:
    with pytest.raises(NotFound):
        svc.get_act(session=demo, code="999999")
    with pytest.raises(InvalidInput):
        svc.get_act(session=demo, code="12345")
    assert svc.tariff_in_force(session=demo, code="101076", on=date(2000, 1, 1)) is None


def test_load_reference_agrees_with_tariff_in_force(demo: Any) -> None:
    index = svc.load_reference(session=demo)
    days = [
        date(2014, 9, 1),
        date(2017, 6, 1),
        date(2022, 7, 1),
        date(2024, 6, 1),
        date(2025, 5, 1),
        date(2026, 6, 1),
    ]
    for code in index.codes():
        for day in days:
            assert index.tariff_on(code, day) == svc.tariff_in_force(
                session=demo, code=code, on=day
            )
    assert index.act("301593") == svc.get_act(session=demo, code="301593")


def test_load_reference_holds_the_current_versions_as_stored(demo: Any) -> None:
    from inami_cli.services.nomenclature._store import load_tariffs

    # the batches' reference is read through the driver (issue 19): the same records as
    # the SQLAlchemy loader, dates, fees, profiles and decision numbers included
    svc.set_tariff(
        session=demo,
        code="101076",
        valid_from=date(2027, 1, 1),
        valid_to=None,
        fee=D("35.00"),
        profiles=[Profile(D("30.00"), "ordinary", dmg=True)],
        source="test",
    )
    demo.commit()
    index = svc.load_reference(session=demo)
    stored = load_tariffs(demo)
    assert index.codes() and set(stored) <= set(index.codes())
    for code in index.codes():
        assert index.periods(code) == [s.record() for s in stored.get(code, ())]
    assert any(r.fee is None for records in stored.values() for r in (s.record() for s in records))


def test_load_reference_reads_each_table_once(demo: Any) -> None:
    statements: list[str] = []
    engine = demo.get_bind()

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        svc.load_reference(session=demo)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 6


# ---------------------------------------------------------------- import


def test_big_tariff_import_builds_its_indexes_after_the_rows(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from inami_cli.services import bulkio

    # issue 19: the tariff and profile indexes are built once the rows are in (SQLite)
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 1)
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    def indexes() -> set[str]:
        found = inspect(session.connection())
        return {str(i["name"]) for t in ("tariff", "tariff_profile") for i in found.get_indexes(t)}

    before = indexes()
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        do_import(
            session,
            HEADER + "\n101076,2024-01-01,,31.81,ordinary,no,25.81,Consultation,Raadpleging,2\n",
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    session.commit()
    assert indexes() == before
    view = svc.tariff_in_force(session=session, code="101076", on=date(2024, 6, 1))
    assert view is not None and view.fee == D("31.81")
    if engine.dialect.name == "sqlite":
        built = sorted(s.split()[2] for s in statements if s.startswith("CREATE INDEX"))
        assert built == sorted(before)


def test_import_then_reimport_changes_nothing(session: Any) -> None:
    data = (
        HEADER + "\n101076,2024-01-01,,31.81,ordinary,no,25.81,Consultation,Raadpleging,2\n"
        "101076,2024-01-01,,31.81,preferential,no,30.31,,,\n"
        "101076,2025-01-01,,32.84,ordinary,no,26.84,,,\n"
    )
    first = do_import(session, data)
    session.commit()
    assert first.counts() == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    again = do_import(session, data)
    session.commit()
    assert again.counts() == {"inserted": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    view = svc.tariff_in_force(session=session, code="101076", on=date(2024, 12, 31))
    assert view is not None and view.valid_to == date(2024, 12, 31)


def test_correction_keeps_the_earlier_version(session: Any) -> None:
    do_import(session, HEADER + "\n101076,2024-01-01,,31.81,,,25.81,Consultation,Raadpleging,2\n")
    session.commit()
    session.execute(update(Tariff).values(recorded_at=datetime(2024, 1, 5, tzinfo=UTC)))
    session.commit()
    summary = do_import(session, HEADER + "\n101076,2024-01-01,,31.91,,,25.91,,,\n")
    session.commit()
    assert summary.updated == 1 and any("31.81 -> 31.91" in d for d in summary.diff)
    now_view = svc.tariff_in_force(session=session, code="101076", on=date(2024, 6, 1))
    old_view = svc.tariff_in_force(
        session=session, code="101076", on=date(2024, 6, 1), as_recorded_on=date(2024, 2, 1)
    )
    assert now_view is not None and now_view.fee == D("31.91")
    assert old_view is not None and old_view.fee == D("31.81")
    assert (
        svc.tariff_in_force(
            session=session, code="101076", on=date(2024, 6, 1), as_recorded_on=date(2023, 12, 1)
        )
        is None
    )
    assert count_tariffs(session) == 2


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("10107,2024-01-01,,31.81,,,25.81,A,B,2", "t.csv:2: code '10107'"),
        ("101076,2024-02-30,,31.81,,,25.81,A,B,2", "t.csv:2: valid_from"),
        ("101076,2024-01-01,,-31.81,,,25.81,A,B,2", "negative"),
        ("101076,2024-01-01,,31.81,,,41.81,A,B,2", "above the fee"),
        ("101076,2024-01-01,,31.81,,,25.81,,,2", "unknown code 101076"),
        ("101076,2024-01-01,,31.81,gold,,25.81,A,B,2", "regime"),
    ],
)
def test_bad_rows_write_nothing(session: Any, line: str, reason: str) -> None:
    good = "101010,2024-01-01,,18.85,,,12.85,A,B,2"
    with pytest.raises(FileErrors) as caught:
        do_import(session, f"{HEADER}\n{good}\n{line}\n".replace("t.csv:2", "t.csv:3"))
    assert any(reason.replace("t.csv:2", "t.csv:3") in p for p in caught.value.problems)
    session.rollback()
    assert count_tariffs(session) == 0


def test_every_bad_row_is_reported(session: Any) -> None:
    data = (
        HEADER + "\n101076,2024-01-01,,31.81,ordinary,no,25.81,A,B,2\n"
        "101076,2024-01-01,,31.81,ordinary,no,25.81,A,B,2\n"
        "1,2024-01-01,,1,,,1,A,B,2\n"
    )
    with pytest.raises(FileErrors) as caught:
        do_import(session, data)
    problems = caught.value.problems
    assert problems[0].startswith("t.csv:3: duplicate row") and problems[1].startswith("t.csv:4:")


def test_overlap_with_a_recorded_closed_period(session: Any) -> None:
    do_import(session, HEADER + "\n101076,2024-01-01,2024-12-31,31.81,,,25.81,A,B,2\n")
    session.commit()
    overlapping = HEADER + "\n101076,2024-07-01,2025-06-30,32.00,,,26.00,,,\n"
    with pytest.raises(FileErrors, match=r"overlaps the recorded period 2024-01-01\.\.2024-12-31"):
        do_import(session, overlapping)
    session.rollback()
    summary = do_import(session, overlapping, correct=True)
    session.commit()
    assert summary.inserted == 1
    first = svc.tariff_in_force(session=session, code="101076", on=date(2024, 6, 30))
    second = svc.tariff_in_force(session=session, code="101076", on=date(2024, 7, 1))
    assert first is not None and first.valid_to == date(2024, 6, 30) and first.fee == D("31.81")
    assert second is not None and second.fee == D("32.00")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "t.csv:1: empty file"),
        (b"   \n", "t.csv:1: empty file"),
        (HEADER.encode() + b"\n", "t.csv:1: no rows"),
        (
            b"code,valid_from,fee,reimbursement,colour\n101076,2024-01-01,1,1,red\n",
            "t.csv:1: unknown column 'colour'",
        ),
        (
            HEADER.encode() + b"\n101076,2024-01-01,,31.81,,,25.81,M\xe9decin,B,2\n",
            "t.csv:2: not utf-8 text (byte 0xe9); give the file's encoding with --encoding",
        ),
        (b'[{"code": "101076"', "t.csv:1: invalid JSON"),
    ],
)
def test_unreadable_files(session: Any, data: bytes, reason: str) -> None:
    with pytest.raises(FileErrors) as caught:
        svc.import_rows(session=session, rows=svc.read_table(data, "t.csv"), filename="t.csv")
    assert caught.value.problems[0].startswith(reason)


def test_json_rows_keep_line_numbers_and_exact_amounts(session: Any) -> None:
    data = (
        b'[\n {"code": "101076", "valid_from": "2024-01-01", "fee": 31.81,\n'
        b'  "reimbursement": 25.81, "dmg": false, "label_fr": "A", "label_nl": "B"},\n'
        b' {"code": "101076", "valid_from": "2024-01-01", "fee": 31.81,\n'
        b'  "reimbursement": 40.10, "dmg": true}\n]\n'
    )
    rows = list(svc.read_table(data, "t.json"))
    assert [line for line, _ in rows] == [2, 4]
    assert rows[0][1]["fee"] == "31.81" and rows[0][1]["dmg"] == "no"
    with pytest.raises(FileErrors, match=r"t\.json:4: reimbursement 40\.10 is above the fee"):
        svc.import_rows(session=session, rows=rows, filename="t.json")


def test_dry_run_writes_nothing(session: Any) -> None:
    summary = do_import(
        session, HEADER + "\n101076,2024-01-01,,31.81,,,25.81,A,B,2\n", dry_run=True
    )
    assert summary.inserted == 1 and summary.dry_run
    assert any(d.startswith("insert 101076") for d in summary.diff)
    assert count_tariffs(session) == 0


def test_import_from_a_decision_carries_its_number(session: Any) -> None:
    session.execute(
        text(
            "INSERT INTO committee (code, name_fr, name_nl, rules_json)"
            " VALUES ('CASS','c','c','{}')"
        )
    )
    session.execute(
        text(
            "INSERT INTO decision (id, committee_code, year, seq, number, title, text, kind, state,"
            " votes_json, outcome_reason, legal_reference, dossier, revision, created_at) VALUES"
            " (7, 'CASS', 2026, 14, 'CASS 2026/014', 't', '', 'tariff', 'adopted', '{}', '', '',"
            " '', 1, '2026-01-01 00:00:00')"
        )
    )
    svc.import_rows(
        session=session,
        rows=rows_of(HEADER + "\n101076,2026-01-01,,33.73,,,27.73,A,B,2\n"),
        filename="decision",
        source_kind="decision",
        source="CASS 2026/014",
        decision_id=7,
    )
    session.commit()
    view = svc.tariff_in_force(session=session, code="101076", on=date(2026, 2, 1))
    assert view is not None and view.decision_number == "CASS 2026/014"
    assert view.source == "CASS 2026/014" and view.source_kind == "decision"


def test_export_then_import_into_an_empty_database_gives_the_same_data(demo: Any) -> None:
    exported = list(svc.export_rows(session=demo))
    for table in ("act_rule", "tariff_profile", "tariff", "key_term", "import_batch", "act"):
        demo.execute(text(f"DELETE FROM {table}"))
    demo.commit()
    # as the file carries them: text cells (export gives typed values: numbers, booleans)
    from inami_cli.domain.cells import cell

    as_text = [{key: cell(value) for key, value in row.items()} for row in exported]
    svc.import_rows(session=demo, rows=list(enumerate(as_text, 2)), filename="export.csv")
    demo.commit()
    assert list(svc.export_rows(session=demo)) == exported
    on_day = list(svc.export_rows(session=demo, on=date(2026, 6, 1), article="2"))
    assert {r["code"] for r in on_day} == {"101010", "101032", "101076", "103132"}


# ---------------------------------------------------------------- set-tariff, acts


def test_set_tariff_closes_the_open_period(demo: Any) -> None:
    view = svc.set_tariff(
        session=demo,
        code="101076",
        valid_from=date(2027, 1, 1),
        valid_to=None,
        fee=D("34.65"),
        profiles=[Profile(D("28.65"), "ordinary")],
        source="test",
    )
    demo.commit()
    assert view.fee == D("34.65") and view.valid_to is None
    before = svc.tariff_in_force(session=demo, code="101076", on=date(2026, 12, 31))
    assert before is not None and before.valid_to == date(2026, 12, 31)
    entries = demo.execute(select(AuditEntry.key).where(AuditEntry.entity == "tariff")).scalars()
    assert "101076 2027-01-01" in set(entries)


def test_set_tariff_overlap_needs_correct(demo: Any) -> None:
    args = dict(
        session=demo,
        code="101076",
        valid_from=date(2025, 6, 1),
        valid_to=None,
        fee=D("33.00"),
        profiles=[Profile(D("27.00"))],
    )
    with pytest.raises(Conflict, match="use --correct"):
        svc.set_tariff(**args)  # type: ignore[arg-type]
    demo.rollback()
    with pytest.raises(Conflict, match="already has a tariff from 2026-01-01"):
        svc.set_tariff(**{**args, "valid_from": date(2026, 1, 1)})  # type: ignore[arg-type]
    demo.rollback()
    view = svc.set_tariff(**args, correct=True)  # type: ignore[arg-type]
    assert view.fee == D("33.00") and view.valid_to == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("fee", "profiles", "error"),
    [
        (D("10.00"), [Profile(D("11.00"))], "above the fee"),
        (D("10.00"), [], "--reimbursement"),
        (
            D("10.00"),
            [Profile(D("1"), "ordinary"), Profile(D("2"), None, True)],
            "equally specific",
        ),
    ],
)
def test_set_tariff_refuses_bad_amounts(
    demo: Any, fee: Decimal, profiles: list[Profile], error: str
) -> None:
    with pytest.raises(InvalidInput, match=error):
        svc.set_tariff(
            session=demo,
            code="101076",
            valid_from=date(2027, 1, 1),
            valid_to=None,
            fee=fee,
            profiles=profiles,
        )


def test_add_update_retire(demo: Any) -> None:
    result = svc.add_act(
        session=demo,
        act=ActView("469825", "Acte hospitalisé", "Verstrekking", "14 a", setting="hospitalised"),
    )
    assert result.warnings == ()
    result = svc.add_act(
        session=demo, act=ActView("469814", "Acte", "Verstrekking", "14 a", setting="hospitalised")
    )
    assert any("469825" in w for w in result.warnings)
    with pytest.raises(Conflict):
        svc.add_act(session=demo, act=ActView("469814", "x", "y"))
    (warning,) = svc.add_act(session=demo, act=ActView("469815", "x", "y")).warnings
    assert "mod 7" in warning
    with pytest.raises(InvalidInput, match="label"):
        svc.add_act(session=demo, act=ActView("469836", "", "y"))
    updated = svc.update_act(
        session=demo, code="469814", changes={"setting": "ambulatory", "max_age": 66}
    )
    assert updated.act.setting == "ambulatory" and updated.act.max_age == 66
    with pytest.raises(InvalidInput, match="above max_age"):
        svc.update_act(session=demo, code="469814", changes={"min_age": 70})
    retired = svc.retire_act(session=demo, code="101076", from_=date(2027, 1, 1))
    assert retired.act.valid_to == date(2026, 12, 31)
    last = svc.tariff_in_force(session=demo, code="101076", on=date(2026, 12, 31))
    assert last is not None and last.valid_to == date(2026, 12, 31)
    with pytest.raises(Conflict):
        svc.retire_act(session=demo, code="101032", from_=date(2025, 6, 1))


# ---------------------------------------------------------------- key letters, index, diff


def test_changing_a_key_letter_value_rederives_the_fee(demo: Any) -> None:
    line = svc.set_key_letter(
        session=demo, index_code="N265", valid_from=date(2025, 7, 1), value=D("3.5")
    )
    assert line.codes == ("105755",) and line.valid_to == date(2025, 12, 31)
    before = svc.tariff_in_force(session=demo, code="105755", on=date(2025, 6, 30))
    after = svc.tariff_in_force(session=demo, code="105755", on=date(2025, 7, 1))
    assert before is not None and before.fee == D("32.85")
    assert after is not None and after.fee == D("33.87")  # 28 + 5.86935
    with pytest.raises(Conflict):
        svc.set_key_letter(
            session=demo,
            index_code="N265",
            valid_from=date(2025, 3, 1),
            valid_to=date(2025, 8, 1),
            value=D("3.4"),
        )
    lines = svc.list_key_letters(session=demo, on=date(2025, 3, 1))
    assert {(k.index_code, k.value) for k in lines} == {
        ("N265", D("3.372107")),
        ("Q124", D("0.195645")),
    }


def test_indexation(demo: Any) -> None:
    summary = svc.index_tariffs(
        session=demo, rate=D("2.72"), from_=date(2027, 1, 1), article="2", dry_run=True
    )
    assert summary.indexed == 4  # 101010, 101032, 101076, 103132 are open in 2027
    unchanged = svc.tariff_in_force(session=demo, code="101076", on=date(2027, 1, 1))
    assert unchanged is not None and unchanged.valid_from == date(2026, 1, 1)
    svc.index_tariffs(session=demo, rate=D("2.72"), from_=date(2027, 1, 1), article="2")
    demo.commit()
    view = svc.tariff_in_force(session=demo, code="101076", on=date(2027, 1, 1))
    assert view is not None and view.fee == D("34.65")  # 33.73 x 1.0272 = 34.647
    assert view.source == "indexation 2027-01-01 2.72 %"
    # R29: the fixed share 1.00 stays, the reimbursement absorbs the new fee
    best = select_profile(view.profiles, Beneficiary("preferential", dmg=True))
    assert best is not None and best.reimbursement == D("33.65")
    ordinary = select_profile(view.profiles, Beneficiary("ordinary", dmg=False))
    assert ordinary is not None and view.fee - ordinary.reimbursement == D("6.00")
    old = svc.tariff_in_force(session=demo, code="101076", on=date(2026, 12, 31))
    assert old is not None and old.valid_to == date(2026, 12, 31)


def test_indexation_of_key_letter_fees(demo: Any) -> None:
    svc.index_tariffs(session=demo, rate=D("10"), from_=date(2025, 7, 1), article="2")
    view = svc.tariff_in_force(session=demo, code="105755", on=date(2025, 7, 1))
    assert view is not None and view.fee_derived and view.fee == D("36.13")  # 32.846206 x 1.1
    assert view.valid_to == date(2025, 12, 31)
    # specialist fixed shares 12.00 / 3.00 kept on the key-letter fee (R29)
    shares = {p.regime: view.fee - p.reimbursement for p in view.profiles}
    assert shares == {"ordinary": D("12.00"), "preferential": D("3.00")}


def test_indexation_dry_run_names_the_rows_that_keep_a_fixed_share(demo: Any) -> None:
    summary = svc.index_tariffs(session=demo, rate=D("2.72"), from_=date(2027, 1, 1), dry_run=True)
    kept = {line.split()[0] for line in summary.kept_shares}
    assert {"101076", "560092"} <= kept
    assert (
        "101076 from 2027-01-01: personal shares kept (gp_fixed_share): ordinary,no-dmg 6.00"
        in ("; ".join(summary.kept_shares))
    )
    assert "301593" not in kept  # dental: no fixed share, its reimbursement is indexed


def test_diff_between_dates(demo: Any) -> None:
    changes = svc.diff_dates(session=demo, old=date(2025, 6, 1), new=date(2026, 6, 1))
    gp = [c for c in changes if c.code == "101076" and c.profile == "preferential,dmg"]
    assert [(c.old_fee, c.new_fee, c.old_reimbursement, c.new_reimbursement) for c in gp] == [
        (D("32.84"), D("33.73"), D("31.84"), D("32.73"))
    ]
    assert all(c.code != "301593" for c in changes)


def test_search_is_accent_insensitive_and_ranked(demo: Any) -> None:
    hits = svc.search(session=demo, text="consultation medecin generaliste")
    assert [h.code for h in hits][:3] == ["101010", "101032", "101076"]
    assert all("nér" in h.label_fr for h in hits)
    visits = svc.search(session=demo, text="bezoek huisarts", active=True, on=date(2026, 6, 1))
    assert [h.code for h in visits] == ["103132"]
    assert svc.search(session=demo, text="mondonderzoek", article="2") == []
    with pytest.raises(InvalidInput):
        svc.search(session=demo, text="  ")


def test_db_check_reports_fee_disagreeing_with_terms(demo: Any) -> None:
    from inami_cli.services.dbadmin import check

    assert check(session=demo) == []
    svc.set_tariff(
        session=demo,
        code="105755",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
        fee=D("33.00"),
        profiles=[Profile(D("21.00"), "ordinary")],
        correct=True,
    )
    problems = check(session=demo)
    assert any("105755" in p and "= 32.85" in p for p in problems)
