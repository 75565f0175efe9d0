"""Golden checks: the published amounts of ../shared/data/published-tariffs.csv, shipped as
assertions in fixtures/published_amounts.csv, hold on the demo data (issue 15)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from inami_cli.domain.errors import FileErrors
from inami_cli.services import nomenclature
from inami_cli.services import reimbursement as svc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PUBLISHED = FIXTURES / "published_amounts.csv"


@pytest.fixture
def demo(session: Any) -> Any:
    nomenclature.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def test_every_published_amount_holds_on_the_demo_data(demo: Any) -> None:
    summary = svc.check_assertions(
        session=demo, data=PUBLISHED.read_bytes(), filename=PUBLISHED.name
    )
    assert [d.text() for d in summary.differences] == []
    assert summary.lines > 100 and summary.assertions > 200


def test_a_broken_figure_is_named_with_its_line(demo: Any) -> None:
    data = (
        b"code,date,regime,dmg,age,fee,reimbursement,personal_share,source\n"
        b"# the published 2024 figure of 101076 is 25.81\n"
        b"101076,2024-01-01,ordinary,no,40,31.81,25.80,,VNZ\n"
        b"103132,2024-01-01,ordinary,no,40,45.81,,17.03,VNZ\n"
        b"103132,2026-01-01,ordinary,no,40,48.57,42.57,,invented\n"
    )
    summary = svc.check_assertions(session=demo, data=data, filename="f.csv")
    assert [d.text() for d in summary.differences] == [
        "f.csv:3: expected reimbursement 25.80, computed 25.81 (101076 on 2024-01-01; source VNZ)",
        "f.csv:5: expected reimbursement 42.57, computed refused 904 (no reimbursement for "
        "this beneficiary profile: tariff of 103132 has no profile for ordinary, no dmg, age 40 "
        "and no fixed personal share applies) (103132 on 2026-01-01; source invented)",
    ]


def test_bad_lines_are_file_errors_and_nothing_is_computed(demo: Any) -> None:
    data = b"code,date,fee\n10107,2024-01-01,1\n101076,2024-01-01,x\n101076,2024-01-01,31.81\n"
    with pytest.raises(FileErrors) as caught:
        svc.check_assertions(session=demo, data=data, filename="f.csv")
    assert caught.value.problems[0].startswith("f.csv:2: code '10107'")
    assert caught.value.problems[1].startswith("f.csv:3: fee")
    with pytest.raises(FileErrors, match=r"f\.csv:1: unknown column"):
        svc.check_assertions(session=demo, data=b"code,date,colour\n", filename="f.csv")


def test_demo_amounts_are_published_or_marked_derived() -> None:
    """Issue 15: the demo data holds published amounts, or amounts derived by a named rule
    and marked ``derived`` in their source; fee-only rows say that nothing was derived."""
    published = ("VNZ 2024", "CM 20", "MC 20", "DOMUS 20", "OPH", "INAMI tariff circular")
    with (FIXTURES / "nomenclature.csv").open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), 2):
            source = row["source"]
            assert "derived" in source.lower() or source.startswith(published), (line, source)
            if not row["reimbursement"]:
                assert "fee only" in source, (line, source)


def test_no_year_long_hole_in_2025_physiotherapy() -> None:
    with (FIXTURES / "nomenclature.csv").open(encoding="utf-8") as handle:
        starts = {
            (r["code"], r["valid_from"])
            for r in csv.DictReader(handle)
            if r["category"] == "physio"
        }
    for code in ("560011", "560092", "567011"):
        assert (code, "2025-02-01") in starts


def test_the_register_names_the_dmg_holder_for_the_split() -> None:
    """R3: resolve_patient carries the DMG holder of the register (the case's GP, when
    known, decides whether the DMG reduction applies)."""
    from types import SimpleNamespace

    status = SimpleNamespace(
        insured=True, reason="", insurer_code="300", insurer_name="x", regime="ordinary",
        bim_automatic=False, dmg=True, chronic=False, age=40, dmg_gp="19012345004",
    )  # fmt: skip
    patient, _ = svc.resolve_patient(status, svc.Overrides())
    assert (patient.dmg, patient.dmg_holder, patient.gp) == (True, "19012345004", "")
    given, _ = svc.resolve_patient(status, svc.Overrides(dmg=True))
    assert given.dmg_holder == ""  # a DMG given explicitly is taken as given
