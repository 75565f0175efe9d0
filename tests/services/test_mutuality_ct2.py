"""The closed CT2 list and the member's own mutuality (rules-audit.md R35, R37) in the
register, its import and the ``insured`` answer (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import FileErrors, InvalidInput
from inami_cli.services import insurability as svc

D = date.fromisoformat
PARENT = "72110313704"
HEADER = (
    "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
    "valid_from,valid_to"
)


@pytest.mark.parametrize("ct2", ["000", "110", "131", "144", "464", "481", "701", "911"])
def test_ct2_closed_list_accepts(ct2: str) -> None:
    assert rules.check_ct2(f" {ct2} ") == ct2


@pytest.mark.parametrize(("ct2", "message"), [("999", "not a holder code"), ("11", "three")])
def test_ct2_closed_list_refuses(ct2: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rules.check_ct2(ct2)


def test_mutuality_within_the_union() -> None:
    assert rules.check_mutuality("417", "400") == "417"
    assert rules.check_mutuality(" 319", "300") == "319"
    assert rules.check_mutuality("", "300") is None
    with pytest.raises(InvalidInput, match="not a mutuality of insurer 300"):
        rules.check_mutuality("417", "300")
    with pytest.raises(InvalidInput, match="three digits"):
        rules.check_mutuality("41", "400")


def _import(session: Any, text: str) -> svc.ImportReport:
    return svc.import_persons(session=session, lines=text.splitlines(True), filename="f.csv")


def test_import_with_a_mutuality_column(session: Any) -> None:
    svc.seed_insurers(session=session)
    with_mut = (
        f"{HEADER},mutuality\n"
        f"{PARENT},Verhaegen,Marc,100,7200113,titular,,110,110,1995-09-01,,131\n"
    )
    first = _import(session, with_mut)
    assert first.inserted == 2
    status = svc.beneficiary_on(session=session, niss=PARENT, on=D("2026-03-02"))
    assert status.mutuality == "131" and status.as_record()["mutuality"] == "131"
    # no mutuality column: what is stored stays, nothing changes
    without = f"{HEADER}\n{PARENT},Verhaegen,Marc,100,7200113,titular,,110,110,1995-09-01,\n"
    again = _import(session, without)
    assert (again.updated, again.unchanged) == (0, 2)
    assert svc.beneficiary_on(session=session, niss=PARENT, on=D("2026-03-02")).mutuality == "131"
    changed = _import(session, with_mut.replace(",131\n", ",116\n"))
    assert changed.updated == 1
    register = svc.load_register(session=session)
    assert register.status(PARENT, D("2026-03-02")).mutuality == "116"
    bad = with_mut.replace(",131\n", ",417\n").replace(",110,110,", ",110,999,")
    with pytest.raises(FileErrors) as caught:
        _import(session, bad)
    assert caught.value.problems == [
        "f.csv:2: CT2 '999': not a holder code (BeCSHolderCode2, e.g. 110, 131)"
    ]
    with pytest.raises(FileErrors) as caught:
        _import(session, with_mut.replace(",131\n", ",417\n"))
    assert caught.value.problems == [
        "f.csv:2: mutuality 417: not a mutuality of insurer 100 (expected 1xx)"
    ]
