"""Reimbursement services on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from inami_cli.db.models import Act, CareRecord
from inami_cli.domain.errors import InvalidInput, MissingValue, NotFound
from inami_cli.domain.jsonfmt import dumps
from inami_cli.services import reimbursement as svc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
D = Decimal


@pytest.fixture
def demo(session: Any) -> Any:
    """The demo nomenclature (and the demo persons when that area provides them)."""
    from inami_cli.services import nomenclature

    nomenclature.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def case(*codes: str, on: date, **kw: Any) -> svc.CaseRequest:
    overrides = svc.Overrides(
        regime=kw.pop("regime", None),
        dmg=kw.pop("dmg", None),
        age=kw.pop("age", None),
        chronic=kw.pop("chronic", None),
        bim_automatic=kw.pop("bim_automatic", None),
    )
    return svc.CaseRequest(codes=codes, on=on, overrides=overrides, **kw)


def test_reference_case_2026(demo: Any) -> None:
    answer = svc.reimburse(
        session=demo,
        request=case("101076", on=date(2026, 3, 2), regime="preferential", dmg=True, age=40),
    )
    [result] = answer.results
    assert (result.fee, result.reimbursement, result.personal_share) == (
        D("33.73"),
        D("32.73"),
        D("1.00"),
    )
    assert result.profile == "preferential,dmg"
    assert result.tariff_valid_from == date(2026, 1, 1)
    assert "DOMUS 2026" in result.source


@pytest.mark.parametrize(
    ("on", "fee", "reimbursement"),
    [
        (date(2024, 12, 31), "31.81", "25.81"),
        (date(2025, 1, 1), "32.84", "26.84"),
        (date(2025, 12, 31), "32.84", "26.84"),
        (date(2026, 1, 1), "33.73", "27.73"),
    ],
)
def test_tariff_period_boundaries(demo: Any, on: date, fee: str, reimbursement: str) -> None:
    [result] = svc.reimburse(
        session=demo, request=case("101076", on=on, regime="ordinary", dmg=False)
    ).results
    assert (result.fee, result.reimbursement) == (D(fee), D(reimbursement))


def test_visit_with_several_codes_and_charged_amounts(demo: Any) -> None:
    answer = svc.reimburse(
        session=demo,
        request=case(
            "101076",
            "103132",
            on=date(2024, 6, 1),
            regime="ordinary",
            age=40,
            provider="non-conventioned",
            charged=(D("40.00"), D("45.81")),
        ),
    )
    first, second = answer.results
    assert (first.supplement, first.patient_total) == (D("8.19"), D("14.19"))
    # R4: a home visit's share is the published age-band amount (VNZ 2024: 17.03 at 10-74)
    assert (second.supplement, second.personal_share) == (D("0.00"), D("17.03"))
    assert answer.all_ok


def test_not_combinable_codes_with_history_and_in_one_visit(demo: Any) -> None:
    demo.execute(update(Act).where(Act.code == "101076").values(not_combinable_with="103132"))
    demo.commit()
    answer = svc.reimburse(
        session=demo,
        request=case("103132", "101076", on=date(2024, 6, 1), regime="ordinary", age=40),
    )
    assert [r.refusal_code for r in answer.results] == [None, "010"]
    assert not answer.all_ok


def test_errors(demo: Any) -> None:
    with pytest.raises(NotFound, match="999996"):
        svc.reimburse(session=demo, request=case("999996", on=date(2024, 6, 1), regime="ordinary"))
    with pytest.raises(MissingValue, match="--niss or --regime"):
        svc.reimburse(session=demo, request=case("101076", on=date(2024, 6, 1)))
    with pytest.raises(InvalidInput, match="--record needs --niss"):
        svc.reimburse(
            session=demo,
            request=case("101076", on=date(2024, 6, 1), regime="ordinary"),
            record=True,
        )
    with pytest.raises(InvalidInput, match="--charged given 1 times for 2 codes"):
        svc.reimburse(
            session=demo,
            request=case(
                "101076", "103132", on=date(2024, 6, 1), regime="ordinary", charged=(D("1.00"),)
            ),
        )


def test_explanation_says_where_values_came_from(demo: Any) -> None:
    [result] = svc.reimburse(
        session=demo,
        request=case("101076", on=date(2026, 3, 2), regime="preferential", dmg=True, age=40),
        explain=True,
    ).results
    steps = {s.what: s for s in result.explanation}
    assert steps["beneficiary data"].source == "given explicitly (no NISS)"
    assert steps["beneficiary"].value == "preferential, dmg, age 40"
    assert steps["fee"].value == "33.73" and steps["fee"].valid_from == date(2026, 1, 1)
    assert steps["reimbursement for profile preferential,dmg"].value == "32.73"


# ------------------------------------------------------------------ batch


def run_batch(session: Any, text: str, **kw: Any) -> tuple[svc.BatchSummary, str, list[str]]:
    out = io.StringIO()
    errors: list[str] = []
    summary = svc.reimburse_batch(
        session=session,
        source=io.StringIO(text),
        out=out,
        filename="cases.csv",
        on_error=errors.append,
        **kw,
    )
    return summary, out.getvalue(), errors


def test_batch_streams_results_and_reports_bad_rows(demo: Any) -> None:
    text = (
        "code,date,regime,dmg,age,provider,charged\n"
        "101076,2026-03-02,preferential,yes,40,,\n"
        "101076,2026-03-02,preferential,yes,40,,\n"
        "101076,2024-06-01,ordinary,no,40,conventioned,40.00\n"
        "999996,2024-06-01,ordinary,no,40,,\n"
        "101076,2024-13-01,ordinary,no,40,,\n"
        "301593,2022-09-01,ordinary,,30,,\n"
    )
    summary, out, errors = run_batch(demo, text)
    assert errors == [
        "cases.csv:5: code 999996 is not in the nomenclature",
        "cases.csv:6: date: '2024-13-01' is not a date (use YYYY-MM-DD)",
    ]
    lines = out.splitlines()
    assert lines[0].split(",")[:4] == ["line", "niss", "code", "date"]
    assert len(lines) == 5
    assert (summary.rows, summary.ok, summary.refused, summary.errors) == (6, 3, 1, 2)
    assert summary.fee == D("33.73") * 2 + D("68.00")
    assert summary.reimbursement == D("32.73") * 2 + D("64.50")
    assert summary.personal_share == D("1.00") * 2 + D("3.50")


def test_batch_ndjson_matches_the_one_case_answers(demo: Any) -> None:
    text = (
        "code,date,regime,dmg,age,chronic,provider,charged\n"
        "101076,2026-03-02,preferential,yes,40,,,\n"
        "101076,2026-03-02,preferential,yes,20,,,\n"
        "560011,2024-03-01,ordinary,,50,,non-conventioned,35.00\n"
        "371615,2022-09-01,ordinary,,18,,,\n"
    )
    _, out, errors = run_batch(demo, text, fmt="ndjson")
    assert not errors
    rows = [json.loads(line, parse_float=Decimal) for line in out.splitlines()]
    for row in rows:
        one = svc.reimburse(
            session=demo,
            request=case(
                row["code"],
                on=date.fromisoformat(row["date"]),
                regime=row["regime"],
                dmg=row["dmg"],
                age=row["age"],
                provider="non-conventioned" if row["code"] == "560011" else "conventioned",
                charged=(D("35.00"),) if row["code"] == "560011" else (),
            ),
        )
        expected = json.loads(
            dumps(svc.result_record(one.results[0], niss=None)), parse_float=Decimal
        )
        assert {k: v for k, v in row.items() if k != "line"} == expected
    assert [r["personal_share"] for r in rows] == [D("1.00"), D("0.00"), D("12.19"), D("49.50")]
    assert rows[3]["refusal_code"] == "902"


def test_batch_header_errors(demo: Any) -> None:
    with pytest.raises(InvalidInput, match=r"cases.csv:1: unknown column 'colour'"):
        run_batch(demo, "code,colour\n101076,red\n")
    with pytest.raises(InvalidInput, match="empty file"):
        run_batch(demo, "")
    with pytest.raises(InvalidInput, match="missing column 'code'"):
        run_batch(demo, "date,regime\n2024-01-01,ordinary\n")


def test_batch_without_niss_or_regime_is_a_row_error(demo: Any) -> None:
    summary, _, errors = run_batch(demo, "code,date\n101076,2024-06-01\n")
    assert errors == ["cases.csv:2: give a niss or a regime"]
    assert summary.errors == 1


def test_nothing_written_without_record(demo: Any) -> None:
    run_batch(demo, "code,date,regime\n101076,2024-06-01,ordinary\n")
    svc.reimburse(session=demo, request=case("101076", on=date(2024, 6, 1), regime="ordinary"))
    assert demo.execute(select(func.count()).select_from(CareRecord)).scalar_one() == 0


# ------------------------------------------------------------------ with the register


@pytest.fixture
def register(demo: Any) -> dict[str, str]:
    """Invented persons: a BIM (automatic) with a DMG, and one whose coverage ended."""
    from inami_cli.domain.niss import make_niss
    from inami_cli.services import insurability as ins

    ins.seed_insurers(session=demo)
    bim = make_niss(date(1985, 7, 30), 33)
    ended = make_niss(date(1990, 2, 2), 123)
    young = make_niss(date(2005, 5, 5), 45)
    for niss, name in ((bim, "Bim"), (ended, "Ended"), (young, "Young")):
        ins.person_add(session=demo, niss=niss, last_name=name, first_name="Test")
    ins.affiliation_add(
        session=demo, niss=bim, insurer_code="300", member_number="1000001",
        ct1="131", ct2="131", valid_from=date(2010, 1, 1),
    )  # fmt: skip
    ins.entitlement_set(
        session=demo, niss=bim, kind="bim", valid_from=date(2010, 1, 1), detail="automatic"
    )
    ins.entitlement_set(
        session=demo, niss=bim, kind="dmg", valid_from=date(2010, 1, 1), detail="19999999999"
    )
    ins.affiliation_add(
        session=demo, niss=ended, insurer_code="100", member_number="1000002",
        ct1="110", ct2="110", valid_from=date(2010, 1, 1), valid_to=date(2023, 12, 31),
    )  # fmt: skip
    ins.affiliation_add(
        session=demo, niss=young, insurer_code="500", member_number="1000003",
        ct1="110", ct2="110", valid_from=date(2005, 5, 5),
    )  # fmt: skip
    demo.commit()
    return {"bim": bim, "ended": ended, "young": young}


def test_person_looked_up_in_the_register(demo: Any, register: dict[str, str]) -> None:
    answer = svc.reimburse(
        session=demo,
        request=case("101076", on=date(2026, 3, 2), niss=register["bim"]),
        explain=True,
    )
    [result] = answer.results
    assert (result.regime, result.dmg, result.age) == ("preferential", True, 40)
    assert (result.reimbursement, result.personal_share) == (D("32.73"), D("1.00"))
    insured = next(s for s in result.explanation if s.what == "insured")
    assert insured.value == "yes" and "insurer 300" in insured.source


def test_explicit_flags_win_and_the_explanation_says_so(
    demo: Any, register: dict[str, str]
) -> None:
    [result] = svc.reimburse(
        session=demo,
        request=case("101076", on=date(2026, 3, 2), niss=register["bim"], regime="ordinary"),
        explain=True,
    ).results
    assert (result.regime, result.personal_share) == ("ordinary", D("4.00"))
    regime = next(s for s in result.explanation if s.what == "regime")
    assert regime.source == "given explicitly; the register says preferential"


def test_not_insured_on_the_date(demo: Any, register: dict[str, str]) -> None:
    [result] = svc.reimburse(
        session=demo, request=case("101076", on=date(2024, 6, 1), niss=register["ended"])
    ).results
    assert (result.status, result.refusal_code) == ("refused", "901")
    with pytest.raises(NotFound):
        svc.reimburse(session=demo, request=case("101076", on=date(2024, 6, 1), niss="85073003427"))
    with pytest.raises(InvalidInput):
        svc.reimburse(session=demo, request=case("101076", on=date(2024, 6, 1), niss="12345"))


def test_batch_answers_of_persons_share_a_profile_but_not_a_refusal(
    demo: Any, register: dict[str, str]
) -> None:
    from inami_cli.services import insurability as ins

    # the batch's answer cache keys an insured person by profile only (issue 19), and a
    # person who is not insured by the reason too: each refusal names its own reason
    never = "85073003427"
    ins.person_add(session=demo, niss=never, last_name="Never", first_name="Test")
    demo.commit()
    people = [register["young"], register["bim"], register["ended"], never]
    text = "code,date,niss,regime,dmg,age,chronic,provider,charged,bim_automatic\n" + "".join(
        f"101076,2024-06-01,{niss},ordinary,no,40,no,,,no\n" for niss in people
    )
    _, out, errors = run_batch(demo, text, fmt="ndjson")
    assert not errors
    rows = [json.loads(line, parse_float=Decimal) for line in out.splitlines()]
    for niss, row in zip(people, rows, strict=True):
        [one] = svc.reimburse(
            session=demo,
            request=case(
                "101076", on=date(2024, 6, 1), niss=niss, regime="ordinary", dmg=False,
                age=40, chronic=False, bim_automatic=False,
            ),
        ).results  # fmt: skip
        assert (row["status"], row["refusal_reason"]) == (one.status, one.refusal_reason)
        assert row["reimbursement"] == one.reimbursement
    assert [r["status"] for r in rows] == ["ok", "ok", "refused", "refused"]
    assert rows[2]["refusal_reason"] != rows[3]["refusal_reason"]


def spy_lookups(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The NISS sets the batch asks the register for, one per look-up, as it asks them."""
    from inami_cli.services import insurability as ins

    asked: list[set[str]] = []
    fetch = ins.BatchPeople._fetch

    def spy(self: Any, wanted: Any) -> Any:
        if wanted:
            asked.append(set(wanted))
        return fetch(self, wanted)

    monkeypatch.setattr(ins.BatchPeople, "_fetch", spy)
    return asked


def test_batch_reads_only_the_persons_it_names(
    demo: Any, register: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from inami_cli.services import insurability as ins

    # issue 19: the register is never loaded whole; a batch without NISS reads no person
    def refuse(**kw: Any) -> Any:
        raise AssertionError("the batch loaded the whole register")

    monkeypatch.setattr(ins, "load_register", refuse)
    asked = spy_lookups(monkeypatch)
    summary, _, errors = run_batch(demo, "code,date,regime\n101076,2026-03-02,ordinary\n")
    assert (summary.ok, errors, asked) == (1, [], [])
    text = "code,date,niss\n" + "".join(
        f"101076,2026-03-02,{niss}\n" for niss in (register["bim"], register["young"])
    )
    summary, _, errors = run_batch(demo, text + f"101076,2026-03-02,{register['bim']}\n")
    assert (summary.ok, errors) == (3, [])
    assert asked == [{register["bim"], register["young"]}]


def test_record_then_frequency_limit_and_prerequisite(demo: Any, register: dict[str, str]) -> None:
    niss = register["bim"]
    first = svc.reimburse(
        session=demo, request=case("301593", on=date(2022, 7, 1), niss=niss), record=True
    )
    demo.commit()
    assert first.recorded == 1 and first.all_ok
    again = svc.reimburse(session=demo, request=case("301593", on=date(2022, 9, 1), niss=niss))
    assert again.results[0].refusal_code == "002"
    scaling_same_year = svc.reimburse(
        session=demo, request=case("302153", on=date(2022, 9, 1), niss=niss)
    )
    # R20: care of the same year does not count; the scaling is halved, not refused
    halved = scaling_same_year.results[0]
    assert (halved.status, halved.reimbursement) == ("ok", D("7.50"))
    rows = demo.execute(select(CareRecord.code, CareRecord.fee_cents)).all()
    assert [tuple(r) for r in rows] == [("301593", 6800)]


def test_batch_with_niss_record_and_in_batch_history(demo: Any, register: dict[str, str]) -> None:
    niss = register["bim"]
    text = (
        "code,date,niss,regime,age\n"
        f"301593,2022-07-01,{niss},,\n"
        f"301593,2022-09-01,{niss},,\n"
        f"101076,2026-03-02,{niss},,\n"
        f"101076,2024-06-01,{register['ended']},,\n"
        "101076,2024-06-01,85073003427,,\n"
        "101076,2024-06-01,12345,,\n"
    )
    summary, out, errors = run_batch(demo, text, record=True)
    assert errors[0] == "cases.csv:6: no person with NISS 85073003427 in the register"
    assert errors[1].startswith("cases.csv:7: ")
    assert (summary.rows, summary.ok, summary.refused, summary.errors, summary.recorded) == (
        6,
        2,
        2,
        2,
        2,
    )
    statuses = [row["status"] for row in csv.DictReader(io.StringIO(out))]
    assert statuses == ["ok", "refused", "ok", "refused"]
    demo.commit()
    assert demo.execute(select(func.count()).select_from(CareRecord)).scalar_one() == 2


def test_batch_record_needs_a_niss(demo: Any) -> None:
    summary, _, errors = run_batch(
        demo, "code,date,regime\n101076,2024-06-01,ordinary\n", record=True
    )
    assert errors == ["cases.csv:2: --record needs a niss on every row"]
    assert summary.recorded == 0


def test_batch_reads_each_chunks_persons_in_one_look_up(
    demo: Any, register: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from inami_cli.services.reimbursement import _batch_context

    # issue 19: the persons known are forgotten between chunks, never within one (a person
    # forgotten within a chunk was read again alone, one look-up per row)
    monkeypatch.setattr(_batch_context, "PEOPLE_LIMIT", 1)
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "2")
    asked = spy_lookups(monkeypatch)
    both = (register["bim"], register["young"])
    text = "code,date,niss\n" + "".join(f"101076,2026-03-02,{niss}\n" for niss in both * 3)
    summary, out, errors = run_batch(demo, text)
    assert (summary.ok, errors) == (6, [])
    assert asked == [set(both)] * 3
    # the same answers as when every person is kept
    monkeypatch.setattr(_batch_context, "PEOPLE_LIMIT", 20_000)
    assert run_batch(demo, text)[1] == out
