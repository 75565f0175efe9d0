"""The plan of a first import (issue 19): codes with no stored tariff are planned without
the generic overlap plan (``plan_first_versions``), with the same result as
``plan_versions``; anything else (an overlap, stored periods, a dry run) takes the generic
plan. Service tests run on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from inami_cli.domain.nomenclature import TariffSpec
from inami_cli.domain.tariffs import Profile
from inami_cli.services import nomenclature as svc
from inami_cli.services.nomenclature import _imports
from inami_cli.services.nomenclature._tariffs import plan_first_versions, plan_versions

HEADER = "code,valid_from,valid_to,fee,regime,reimbursement,label_fr,label_nl,article,source"
D = Decimal


def _specs(seed: int) -> list[TariffSpec]:
    """Periods of a few codes, in shuffled order, some open, some with a source."""
    rng = random.Random(seed)
    specs = []
    for code in ("101010", "101032", "102012"):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(30))
        for _ in range(rng.randrange(1, 5)):
            end = start + timedelta(days=rng.randrange(1, 400))
            fee = None if rng.random() < 0.2 else D(rng.randrange(1000, 5000)) / 100
            profiles = (Profile(D("10.00"), "ordinary"), Profile(D("12.50"), "preferential"))
            source = rng.choice(["", "AR 2024"])
            specs.append(TariffSpec(code, start, end, fee, profiles, source, (len(specs) + 2,)))
            start = end + timedelta(days=rng.randrange(1, 30))
        if rng.random() < 0.5:  # the last period open
            specs[-1] = specs[-1]._replace(valid_to=None)
    rng.shuffle(specs)
    return specs


def _generic(specs: list[TariffSpec]) -> Any:
    return plan_versions(
        specs,
        {},
        source_kind="import",
        default_source="t.csv",
        batch_id=None,
        decision_id=7,
        correct=False,
        replace_same_start=True,
        want_diff=False,
    )


@pytest.mark.parametrize("seed", range(20))
def test_the_first_plan_is_the_generic_plan_of_periods_that_do_not_overlap(seed: int) -> None:
    specs = _specs(seed)
    fast = plan_first_versions(specs, source_kind="import", default_source="t.csv", decision_id=7)
    generic = _generic(specs)
    assert fast is not None
    assert not generic.problems
    assert fast.inserts == generic.inserts
    assert fast.audit == generic.audit
    assert fast.status == generic.status
    assert (fast.supersede, fast.diff, fast.problems) == ([], [], [])


@pytest.mark.parametrize(
    ("second_start", "first_end"),
    [(date(2024, 6, 1), None), (date(2024, 6, 1), date(2024, 6, 1)), (date(2024, 1, 1), None)],
    ids=["open-before", "end-on-start", "same-start"],
)
def test_overlapping_periods_are_left_to_the_generic_plan(
    second_start: date, first_end: date | None
) -> None:
    profiles = (Profile(D("10.00"), "ordinary"),)
    specs = [
        TariffSpec("101010", date(2024, 1, 1), first_end, D("30"), profiles, "", (2,)),
        TariffSpec("101010", second_start, None, D("31"), profiles, "", (3,)),
    ]
    # (the generic plan closes an open period, or reports the overlap)
    assert plan_first_versions(specs, source_kind="import", default_source="t.csv",
                               decision_id=None) is None  # fmt: skip


def _import(session: Any, lines: list[str], **kw: Any) -> Any:
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    return svc.import_rows(
        session=session, rows=svc.read_table(data, "t.csv"), filename="t.csv", **kw
    )


def _row(code: str, start: str, end: str, fee: str, regime: str, amount: str) -> str:
    return f"{code},{start},{end},{fee},{regime},{amount},Acte {code},Akte {code},2,AR 2024"


FIRST = [
    _row("101010", "2024-01-01", "", "30.00", "ordinary", "20.00"),
    _row("101010", "2024-01-01", "", "30.00", "preferential", "25.00"),
    _row("101010", "2025-01-01", "", "31.00", "ordinary", "21.00"),
]


def _tariffs(session: Any) -> list[tuple[Any, ...]]:
    query = text(
        "SELECT code, valid_from, valid_to, fee_cents, superseded_at IS NULL FROM tariff "
        "ORDER BY code, valid_from, id"
    )
    return [(c, str(f)[:10], t and str(t)[:10], fee, cur) for c, f, t, fee, cur in
            session.execute(query)]  # fmt: skip


def test_a_first_import_takes_the_first_plan_a_second_the_generic_one(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []
    generic, first = _imports.plan_versions, _imports.plan_first_versions

    def spy_generic(*args: Any, **kw: Any) -> Any:
        used.append("generic")
        return generic(*args, **kw)

    def spy_first(*args: Any, **kw: Any) -> Any:
        used.append("first")
        return first(*args, **kw)

    monkeypatch.setattr(_imports, "plan_versions", spy_generic)
    monkeypatch.setattr(_imports, "plan_first_versions", spy_first)
    assert _import(session, FIRST).inserted == 3
    assert used == ["first"]
    used.clear()
    # a new period for the stored code (generic: it closes the open one), a new code (first)
    second = [
        _row("101010", "2026-01-01", "", "32.00", "ordinary", "22.00"),
        _row("102012", "2026-01-01", "", "40.00", "ordinary", "30.00"),
    ]
    monkeypatch.setattr(_imports, "BATCH_ROWS", 1)  # one code a batch
    assert _import(session, second).inserted == 2
    assert used == ["generic", "first"]
    assert _tariffs(session) == [
        ("101010", "2024-01-01", "2024-12-31", 3000, True),
        ("101010", "2025-01-01", None, 3100, False),  # superseded: closed by 2026
        ("101010", "2025-01-01", "2025-12-31", 3100, True),
        ("101010", "2026-01-01", None, 3200, True),
        ("102012", "2026-01-01", None, 4000, True),
    ]


def test_a_dry_run_of_a_first_import_takes_the_generic_plan(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kw: Any) -> Any:
        raise AssertionError("a dry run lists every period: the generic plan")

    monkeypatch.setattr(_imports, "plan_first_versions", refused)
    summary = _import(session, FIRST, dry_run=True)
    assert [line.split(":")[0] for line in summary.diff[1:]] == [
        "insert 101010 2024-01-01..2024-12-31",
        "insert 101010 2025-01-01..",
    ]


def test_a_first_import_through_the_command_audits_every_period(cli: Any, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join(
            [
                HEADER,
                _row("101010", "2024-01-01", "2024-12-31", "30.00", "ordinary", "20.00"),
                _row("101010", "2024-06-01", "", "31.00", "ordinary", "21.00"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    refused = cli("nomenclature", "import", str(bad))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[0].endswith(
        "bad.csv:3: period of 101010 from 2024-06-01 overlaps the period from 2024-01-01 (line 2)"
    ), refused.stderr
    good = tmp_path / "t.csv"
    good.write_text("\n".join([HEADER, *FIRST]) + "\n", encoding="utf-8")
    done = cli("--format", "json", "nomenclature", "import", str(good))
    assert done.exit_code == 0, done.stderr
    assert done.json()["inserted"] == 3
    log = cli("audit", "log", "--entity", "tariff", "--key", "101010", "--format", "json")
    assert log.exit_code == 0, log.stderr
    assert sorted((r["action"], r["key"]) for r in log.json()) == [
        ("insert", "101010 2024-01-01"),
        ("insert", "101010 2025-01-01"),
    ]
