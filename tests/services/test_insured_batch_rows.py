"""``insured batch`` answers from the register's rows (``_batch_rows.in_force``) exactly as
``domain.insurability.coverage_on`` does: random registers, random days, dates as SQLite
(ISO text) and PostgreSQL (``date``) return them."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain import insurability as rules
from inami_cli.services.bulkio import SharedDates
from inami_cli.services.insurability._batch_rows import IsoDates, in_force, periods

NISS = "85073003328"
_day = st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 12, 31))


@st.composite
def _spans(draw: st.DrawFn, max_size: int) -> list[tuple[date, date | None]]:
    """Non-overlapping periods, possibly touching, the last possibly open."""
    bounds = sorted(draw(st.sets(_day, min_size=0, max_size=max_size)))
    spans: list[tuple[date, date | None]] = list(zip(bounds[::2], bounds[1::2], strict=False))
    if len(bounds) % 2:
        spans.append((bounds[-1], None))
    return spans


@st.composite
def _register_rows(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    """One person's rows as ``chunk_rows`` reads them (dates as date objects)."""
    death = draw(st.one_of(st.none(), _day))
    insurer = st.sampled_from(["100", "300", "500"])
    quality = st.sampled_from(["titular", "dependent"])
    ct1 = st.sampled_from(["110", "111", "131"])
    rows: list[Any] = [
        (NISS, death, draw(insurer), "M1", draw(quality), "71010100187", draw(ct1), "110", lo, hi)
        for lo, hi in draw(_spans(6))
    ] or [(NISS, death, None, None, None, None, None, None, None, None)]
    rights: list[Any] = [
        (NISS, kind, start, end)
        for kind in draw(st.sets(st.sampled_from(rules.ENTITLEMENT_KINDS)))
        for start, end in draw(_spans(4))
    ]
    return rows, rights


def _as_text(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)


@given(_register_rows(), _day, st.booleans())
def test_in_force_answers_as_coverage_on(
    register: tuple[list[Any], list[Any]], day: date, text_dates: bool
) -> None:
    rows, rights = register
    if text_dates:  # SQLite gives dates as ISO text
        rows, rights = [_as_text(r) for r in rows], [_as_text(r) for r in rights]
    affiliations, entitlements, death = periods(rows, rights or None, SharedDates())
    cov = rules.coverage_on(affiliations, entitlements, day, death_date=death)
    iso = IsoDates()
    answer = in_force(rows, rights or None, day.isoformat(), iso)
    if answer is None:
        assert not cov.insured
        return
    row, bim, dmg = answer
    assert cov.insured and cov.affiliation is not None
    _, _, code, _, quality, titular, ct1, _, start, end = row
    assert (code, cov.affiliation.valid_from.isoformat()) == (
        cov.affiliation.insurer_code,
        iso[start],
    )
    regime = rules.PREFERENTIAL if bim or ct1[-1:] == "1" else rules.ORDINARY
    assert (regime, dmg) == (cov.regime, cov.dmg)
    reason = rules.describe_affiliation(code, quality, titular, iso[start], iso[end])
    assert reason == cov.reason
