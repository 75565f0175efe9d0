"""``reimburse batch`` answers its persons from the register's rows
(``_batch_people.answer``) exactly as ``domain.insurability.coverage_on`` does: random
registers, random days, dates as SQLite (ISO text) and PostgreSQL (``date``) return them."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain import insurability as rules
from inami_cli.services.bulkio import SharedDates
from inami_cli.services.insurability._batch_people import answer
from inami_cli.services.insurability._batch_rows import IsoDates
from tests.services.test_insured_batch_rows import NISS, _day, _spans


@st.composite
def _register(draw: st.DrawFn) -> tuple[list[Any], list[Any], list[Any], list[Any], date | None]:
    """One person's rows as ``BatchPeople`` reads them, and the periods of the register
    (``load_register``'s records) they stand for."""
    birth = draw(st.one_of(st.none(), _day))
    death = draw(st.one_of(st.none(), _day))
    insurer = st.sampled_from(["100", "300", "500"])
    quality = st.sampled_from(["titular", "dependent"])
    ct1 = st.sampled_from(["110", "111", "131"])
    affiliations = [
        rules.AffiliationPeriod(draw(insurer), "M1", draw(quality), "71010100187", draw(ct1),
                                "110", lo, hi, "319")
        for lo, hi in draw(_spans(6))
    ]  # fmt: skip
    detail = st.sampled_from(["", "automatic", "income", "12345678901"])
    entitlements = sorted(
        (
            rules.EntitlementPeriod(kind, start, end, draw(detail))
            for kind in draw(st.sets(st.sampled_from(rules.ENTITLEMENT_KINDS)))
            for start, end in draw(_spans(4))
        ),
        key=lambda e: (e.kind, e.valid_from),
    )
    rows: list[Any] = [
        (NISS, birth, death, a.insurer_code, a.quality, a.titular_niss, a.ct1, a.valid_from,
         a.valid_to)
        for a in affiliations
    ] or [(NISS, birth, death, None, None, None, None, None, None)]  # fmt: skip
    rights = [(NISS, e.kind, e.valid_from, e.valid_to, e.detail) for e in entitlements]
    return rows, rights, affiliations, entitlements, death


def _as_text(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)


@given(_register(), _day, st.booleans())
def test_answer_is_coverage_on(register: tuple[Any, ...], on: date, text_dates: bool) -> None:
    rows, rights, affiliations, entitlements, death = register
    if text_dates:  # SQLite gives dates as ISO text
        rows, rights = [_as_text(r) for r in rows], [_as_text(r) for r in rights]
    cov = rules.coverage_on(affiliations, entitlements, on, death_date=death)
    found = answer(rows, rights or None, on, on.isoformat(), IsoDates(), SharedDates())
    # the reason only for a person who is not insured (the batch reads it only to refuse)
    expected = (cov.insured, "" if cov.insured else cov.reason, cov.regime, cov.bim_automatic,
                cov.dmg, cov.chronic, cov.third_party)  # fmt: skip
    assert found == expected
