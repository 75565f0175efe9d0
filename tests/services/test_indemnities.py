"""Indemnity services on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inami_cli.db.models import AuditEntry, IncapacitySpell, IndemnityParam
from inami_cli.domain.errors import Conflict, FileErrors, NotFound
from inami_cli.services import indemnities as svc
from inami_cli.services.dbadmin import check
from tests.helpers import row_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
d = date.fromisoformat
ANOUK, LUC, NADIA = "88041212236", "65090307106", "79112120429"


@pytest.fixture
def demo(session: Any) -> Any:
    from inami_cli.services import insurability
    from inami_cli.services.audit import set_actor

    set_actor("tests", "pytest")
    insurability.seed_insurers(session=session)
    svc.load_reference(session=session)
    svc.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def test_reference_and_fixtures_load_once(demo: Any) -> None:
    params, spells = row_count(demo, IndemnityParam), row_count(demo, IncapacitySpell)
    audit = row_count(demo, AuditEntry)
    assert params > 250 and spells == 4
    assert svc.load_reference(session=demo) == 0
    svc.load_fixtures(session=demo, fixtures_dir=FIXTURES)
    demo.commit()
    assert (row_count(demo, IndemnityParam), row_count(demo, IncapacitySpell)) == (params, spells)
    assert row_count(demo, AuditEntry) == audit
    assert check(session=demo) == []


def test_relapse_in_the_demo_continues_the_episode(demo: Any) -> None:
    first, second = svc.episode_list(session=demo, niss=ANOUK)
    assert (second.relapse, second.episode_start) == (True, first.valid_from)


@pytest.mark.parametrize(
    ("niss", "phase", "amount"),
    [
        (ANOUK, "primary", "90.00"),
        (LUC, "invalidity-minimum", "55.11"),
        (NADIA, "primary", "81.10"),
    ],
)
def test_compute_for_the_demo_persons(demo: Any, niss: str, phase: str, amount: str) -> None:
    answer = svc.indemnity_compute(
        session=demo, on=d("2026-03-02"), given=svc.CaseInput(), niss=niss
    )
    assert (answer.result.phase, answer.result.daily_amount) == (phase, Decimal(amount))
    assert answer.warnings[0].startswith("uses derived parameter(s)")


def test_strict_refuses_a_derived_figure(demo: Any) -> None:
    with pytest.raises(Conflict, match="--strict"):
        svc.indemnity_compute(
            session=demo, on=d("2026-03-02"), given=svc.CaseInput(), niss=LUC, strict=True
        )


def test_params_set_replaces_a_derived_row_with_the_published_one(demo: Any) -> None:
    param = svc.param_from_cells({
        "name": "employee.minimum.regular.cohabitant", "valid_from": "2026-03-01",
        "valid_to": "", "value": "55.20", "unit": "EUR/day",
        "source": "https://www.inami.fgov.be/example", "reliability": "official",
    })  # fmt: skip
    action, view = svc.params_set(session=demo, param=param)
    assert (action, view.value, view.origin) == ("updated", "55.20", "operator")
    answer = svc.indemnity_compute(session=demo, on=d("2026-03-02"), given=svc.CaseInput(),
                                   niss=LUC, strict=True)  # fmt: skip
    assert answer.result.daily_amount == Decimal("55.20") and answer.warnings == ()
    assert svc.params_set(session=demo, param=param)[0] == "unchanged"
    audit = (
        demo.execute(
            select(AuditEntry)
            .where(AuditEntry.entity == "indemnity_param")
            .order_by(AuditEntry.id.desc())  # type: ignore[attr-defined]
        )
        .scalars()
        .first()
    )
    assert audit.action == "update" and "55.20" in audit.after_json


def test_params_set_overlap_is_a_conflict(demo: Any) -> None:
    param = svc.param_from_cells({
        "name": "employee.primary.rate", "valid_from": "2025-01-01", "valid_to": "",
        "value": "0.65", "unit": "ratio", "source": "https://x.example", "reliability": "official",
    })  # fmt: skip
    with pytest.raises(Conflict, match="overlaps the row 2019-01-01"):
        svc.params_set(session=demo, param=param)


def _write(tmp_path: Path, text: str, name: str = "params.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


HEADER = "name;valid_from;valid_to;value;unit;source;reliability\n"


def test_params_import_all_or_nothing_with_file_line(demo: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "employee.minimum.month3;2026-01-01;;64.00;EUR/day;https://x;"
                  "official\nemployee.x;2026-01-01;;-1;EUR/day;https://x;official\n")  # fmt: skip
    with pytest.raises(FileErrors) as error:
        svc.params_import(session=demo, path=path)
    assert error.value.problems == [f"{path}:3: employee.x: value '-1' is negative"]
    assert svc.params_list(session=demo, pattern="employee.minimum.month3") == []


def test_params_import_dry_run_then_idempotent(demo: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "employee.minimum.month3;2026-01-01;;64.00;EUR/day;"
                  "https://x;official\n")  # fmt: skip
    dry = svc.params_import(session=demo, path=path, dry_run=True)
    assert (dry.inserted, dry.changes) == (1, [("insert", "employee.minimum.month3 2026-01-01: "
                                                "64.00")])  # fmt: skip
    assert svc.params_list(session=demo, pattern="month3") == []
    assert svc.params_import(session=demo, path=path).inserted == 1
    again = svc.params_import(session=demo, path=path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)


def test_params_import_overlap_names_the_line(demo: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "employee.primary.rate;2024-01-01;;0.60;ratio;https://x;"
                  "official\n")  # fmt: skip
    with pytest.raises(Conflict, match=r"params\.csv:2: employee\.primary\.rate"):
        svc.params_import(session=demo, path=path)


def test_params_list_filters(demo: Any) -> None:
    rows = svc.params_list(session=demo, on=d("2026-03-02"), pattern="selfemployed.flat.*")
    assert {r.name for r in rows} == {
        "selfemployed.flat.family", "selfemployed.flat.isolated", "selfemployed.flat.cohabitant",
        "selfemployed.flat.cohabitant_assimilated",
    }  # fmt: skip
    assert all(r.reliability == "derived" for r in rows)
    assert len(svc.params_list(session=demo, reliability="official")) > 50


def test_episode_overlap_and_unknown_person(demo: Any) -> None:
    with pytest.raises(Conflict, match="overlaps the spell"):
        svc.episode_add(
            session=demo, niss=NADIA, scheme="self-employed", valid_from=d("2026-03-01")
        )
    with pytest.raises(NotFound, match="no person"):
        svc.episode_add(session=demo, niss="85073003328", scheme="employee",
                        valid_from=d("2026-03-01"))  # fmt: skip


def test_episode_end_then_a_new_one_after_14_days(demo: Any) -> None:
    ended = svc.episode_end(session=demo, niss=NADIA, on=d("2026-03-20"))
    assert ended.valid_to == d("2026-03-20")
    relapse = svc.episode_add(session=demo, niss=NADIA, scheme="self-employed",
                              valid_from=d("2026-04-03"), family_situation="family")  # fmt: skip
    assert relapse.relapse and relapse.episode_start == d("2026-02-09")
    svc.episode_end(session=demo, niss=NADIA, on=d("2026-04-10"))
    fresh = svc.episode_add(session=demo, niss=NADIA, scheme="self-employed",
                            valid_from=d("2026-04-25"), family_situation="family")  # fmt: skip
    assert not fresh.relapse and fresh.episode_start == d("2026-04-25")


def test_episode_end_is_audited_once_and_not_again_on_the_same_day(demo: Any) -> None:
    import json

    def updates() -> list[AuditEntry]:
        query = select(AuditEntry).where(
            AuditEntry.entity == "incapacity_spell", AuditEntry.action == "update"
        )
        return list(demo.execute(query).scalars())

    svc.episode_end(session=demo, niss=NADIA, on=d("2026-03-20"))
    again = svc.episode_end(session=demo, niss=NADIA, on=d("2026-03-20"))  # no change
    assert again.valid_to == d("2026-03-20")
    [entry] = updates()
    assert entry.key == f"{NADIA} 2026-02-09"
    before, after = json.loads(entry.before_json or ""), json.loads(entry.after_json or "")
    assert (before["valid_to"], after["valid_to"]) == (None, "2026-03-20")
    with pytest.raises(NotFound, match="no incapacity recorded on 2026-03-21"):
        svc.episode_end(session=demo, niss=NADIA, on=d("2026-03-21"))


def test_period_over_recorded_spells_skips_the_gap(demo: Any) -> None:
    result, _warnings = svc.indemnity_period(
        session=demo, start=d("2025-12-29"), end=d("2026-01-17"), given=svc.CaseInput(),
        niss=ANOUK,
    )  # fmt: skip
    spans = [(line.start, line.end, line.phase) for line in result.lines]
    assert spans == [
        (d("2025-12-29"), d("2025-12-30"), "guaranteed-wage"),
        (d("2025-12-31"), d("2026-01-02"), "primary"),
        (d("2026-01-12"), d("2026-01-17"), "primary"),
    ]


def test_batch_over_the_demo(demo: Any) -> None:
    source = (
        "on,niss,scheme,incapacity_start,family_situation,gross_daily\n"
        f"2026-03-02,{LUC},,,,\n"
        "2024-04-15,,employee,2024-03-04,isolated,250\n"
        "2024-04-15,,employee,2024-03-04,married,250\n"
    )
    out = io.StringIO()
    errors: list[str] = []
    summary = svc.indemnity_batch(session=demo, binary=io.BytesIO(source.encode()), out=out,
                                  filename="cases.csv", on_error=errors.append)  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("line,niss,scheme,on")
    assert lines[1].endswith(",55.11,derived,yes")
    assert lines[2].endswith(",107.73,fund,no")
    assert errors == ["cases.csv:4: --family-situation: 'married' is not one of family, "
                      "isolated, cohabitant"]  # fmt: skip
    assert (summary.rows, summary.ok, summary.errors, summary.derived_rows) == (3, 2, 1, 1)
    assert summary.total_daily == Decimal("162.84")
