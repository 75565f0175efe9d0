"""Insurability rules: who covers a person on a date, over a range, and write checks."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.insurability import (
    CT1_VALUES,
    INSURERS,
    AffiliationPeriod,
    EntitlementPeriod,
    check_affiliation,
    check_ct1,
    check_ct2,
    check_detail,
    check_insurer_code,
    check_kind,
    check_no_overlap,
    check_quality,
    coverage_on,
    coverage_over,
    coverage_span,
    regime_from_ct1,
    transfer_end,
)

D = date.fromisoformat


def aff(
    start: str,
    end: str | None = None,
    *,
    insurer: str = "300",
    ct1: str = "110",
    quality: str = "titular",
    titular: str | None = None,
) -> AffiliationPeriod:
    return AffiliationPeriod(
        insurer, "M" + insurer, quality, titular, ct1, ct1, D(start), D(end) if end else None
    )


def ent(kind: str, start: str, end: str | None = None, detail: str = "") -> EntitlementPeriod:
    return EntitlementPeriod(kind, D(start), D(end) if end else None, detail)


# ------------------------------------------------------------------ reference data


def test_seven_insurers_with_both_names() -> None:
    assert list(INSURERS) == ["100", "200", "300", "400", "500", "600", "900"]
    assert INSURERS["300"].short_name == "Solidaris"
    assert all(i.name_fr and i.name_nl for i in INSURERS.values())


@pytest.mark.parametrize(
    ("ct1", "regime"),
    [("110", "ordinary"), ("131", "preferential"), ("411", "preferential"), ("480", "ordinary")],
)
def test_regime_from_ct1_last_digit(ct1: str, regime: str) -> None:
    assert check_ct1(ct1) == ct1
    assert regime_from_ct1(ct1) == regime


def test_ct1_list_is_the_official_24() -> None:
    assert len(CT1_VALUES) == 24
    with pytest.raises(InvalidInput, match="CT1 '112'"):
        check_ct1("112")
    with pytest.raises(InvalidInput, match="CT2 '11'"):
        check_ct2("11")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: check_insurer_code("700"), "insurer '700': unknown code"),
        (lambda: check_kind("maf"), "entitlement kind 'maf'"),
        (lambda: check_quality("child"), "quality 'child'"),
        (lambda: check_detail("dmg", " "), "must name the GP"),
        (lambda: check_detail("bim", "maybe"), "bim detail 'maybe'"),
        (lambda: check_affiliation("85073003328", "dependent", None), "must name its titular"),
        (lambda: check_affiliation("85073003328", "dependent", "85073003328"), "own titular"),
        (lambda: check_affiliation("85073003328", "titular", "40000095579"), "has no titular"),
    ],
)
def test_invalid_values_are_named(call: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        call()  # type: ignore[operator]


def test_kind_and_quality_aliases() -> None:
    assert check_kind("third-party") == "third_party"
    assert check_quality("Titulaire") == "titular"
    assert check_affiliation("85073003328", "dependent", "40000095579") == (
        "dependent",
        "40000095579",
    )


# ------------------------------------------------------------------ on a date


@pytest.mark.parametrize(
    ("on", "insured", "reason"),
    [
        ("2019-12-31", False, "coverage with 300 starts on 2020-01-01"),
        ("2020-01-01", True, "affiliated with 300 as titular since 2020-01-01 until 2024-12-31"),
        ("2024-12-31", True, "affiliated with 300"),
        ("2025-01-01", True, "affiliated with 500 as titular since 2025-01-01"),  # transfer
        ("2030-06-30", True, "affiliated with 500"),
    ],
)
def test_transfer_between_funds_leaves_no_gap(on: str, insured: bool, reason: str) -> None:
    periods = [aff("2020-01-01", "2024-12-31"), aff("2025-01-01", insurer="500")]
    answer = coverage_on(periods, [], D(on))
    assert answer.insured is insured
    assert reason in answer.reason


def test_coverage_ended_and_no_affiliation() -> None:
    ended = coverage_on([aff("2010-01-01", "2022-06-30")], [], D("2023-01-01"))
    assert not ended.insured
    assert ended.reason == "coverage with 300 ended on 2022-06-30"
    assert coverage_on([], [], D("2023-01-01")).reason == "no affiliation with any insurer"


def test_deceased_covered_on_the_day_of_death_only() -> None:
    periods = [aff("2000-01-01")]
    assert coverage_on(periods, [], D("2025-03-10"), death_date=D("2025-03-10")).insured
    after = coverage_on(periods, [], D("2025-03-11"), death_date=D("2025-03-10"))
    assert not after.insured
    assert after.reason == "deceased on 2025-03-10"
    assert after.affiliation is None


def test_dependent_names_titular() -> None:
    child = aff("2015-05-01", quality="dependent", titular="85073003328")
    answer = coverage_on([child], [], D("2026-03-02"))
    assert answer.insured
    assert "as dependent of 85073003328" in answer.reason


@pytest.mark.parametrize(
    ("ct1", "entitlements", "on", "regime", "automatic", "dmg", "chronic", "third_party"),
    [
        ("110", [], "2026-03-02", "ordinary", False, False, False, False),
        ("131", [], "2026-03-02", "preferential", False, False, False, False),
        ("110", [ent("bim", "2024-01-01", None, "automatic")], "2026-03-02",
         "preferential", True, False, False, False),
        ("110", [ent("bim", "2024-01-01", "2025-12-31", "income")], "2026-03-02",
         "ordinary", False, False, False, False),
        ("111", [ent("dmg", "2026-01-01", "2026-12-31", "19012345004"),
                 ent("chronic", "2020-01-01"), ent("third_party", "2026-03-02")],
         "2026-03-02", "preferential", False, True, True, True),
        ("110", [ent("dmg", "2026-03-03", None, "19012345004")], "2026-03-02",
         "ordinary", False, False, False, False),
    ],
)  # fmt: skip
def test_regime_and_entitlements_on_the_date(
    ct1: str,
    entitlements: list[EntitlementPeriod],
    on: str,
    regime: str,
    automatic: bool,
    dmg: bool,
    chronic: bool,
    third_party: bool,
) -> None:
    answer = coverage_on([aff("2000-01-01", ct1=ct1)], entitlements, D(on))
    assert answer.insured
    assert (answer.regime, answer.bim_automatic, answer.dmg) == (regime, automatic, dmg)
    assert (answer.chronic, answer.third_party) == (chronic, third_party)
    if dmg:
        assert answer.dmg_gp == "19012345004"


# ------------------------------------------------------------------ over a range


def test_range_split_into_covered_and_uncovered() -> None:
    periods = [aff("2024-03-01", "2024-06-30"), aff("2024-09-01", insurer="500")]
    segments = coverage_over(periods, D("2024-01-01"), D("2024-12-31"))
    assert [(str(s.start), str(s.end), s.covered) for s in segments] == [
        ("2024-01-01", "2024-02-29", False),
        ("2024-03-01", "2024-06-30", True),
        ("2024-07-01", "2024-08-31", False),
        ("2024-09-01", "2024-12-31", True),
    ]
    assert segments[0].reason == "coverage with 300 starts on 2024-03-01"
    assert segments[2].reason == "coverage with 300 ended on 2024-06-30"
    assert segments[3].affiliation is not None and segments[3].affiliation.insurer_code == "500"


def test_range_stops_at_death() -> None:
    segments = coverage_over([aff("2000-01-01")], D("2025-01-01"), D("2025-12-31"),
                             death_date=D("2025-03-10"))  # fmt: skip
    assert [(s.end, s.covered) for s in segments] == [(D("2025-03-10"), True),
                                                      (D("2025-12-31"), False)]  # fmt: skip
    assert segments[1].reason == "deceased on 2025-03-10"


def test_range_backwards_refused() -> None:
    with pytest.raises(InvalidInput, match="ends"):
        coverage_over([], D("2025-01-02"), D("2025-01-01"))


_day = st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 12, 31))


@st.composite
def _affiliations(draw: st.DrawFn) -> list[AffiliationPeriod]:
    """Non-overlapping periods, possibly touching, the last possibly open."""
    bounds = sorted(draw(st.sets(_day, min_size=0, max_size=6)))
    out = []
    for lo, hi in zip(bounds[::2], bounds[1::2], strict=False):
        out.append(aff(str(lo), str(hi), insurer=draw(st.sampled_from(["100", "300", "500"]))))
    if len(bounds) % 2:
        out.append(aff(str(bounds[-1])))
    return out


@given(_affiliations(), _day, _day, st.one_of(st.none(), _day))
def test_segments_tile_the_range_and_agree_with_each_day(
    periods: list[AffiliationPeriod], a: date, b: date, death: date | None
) -> None:
    start, end = min(a, b), max(a, b)
    segments = coverage_over(periods, start, end, death_date=death)
    assert segments[0].start == start and segments[-1].end == end
    for left, right in itertools.pairwise(segments):
        assert right.start == left.end + timedelta(days=1)
    for seg in segments:
        for day in (seg.start, seg.end):
            assert coverage_on(periods, [], day, death_date=death).insured is seg.covered


@st.composite
def _entitlements(draw: st.DrawFn) -> list[EntitlementPeriod]:
    """Entitlements of any kind over any days, the end possibly open."""
    out = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(_day)
        end = draw(st.one_of(st.none(), _day.filter(lambda d, s=start: d >= s)))
        kind = draw(st.sampled_from(["bim", "dmg", "chronic", "third_party"]))
        detail = draw(st.sampled_from(["", "automatic"]))
        out.append(EntitlementPeriod(kind, start, end, detail))
    return out


@given(_affiliations(), _entitlements(), _day, st.one_of(st.none(), _day), st.data())
def test_coverage_span_days_have_the_answer_of_the_day(
    periods: list[AffiliationPeriod],
    rights: list[EntitlementPeriod],
    on: date,
    death: date | None,
    data: st.DataObject,
) -> None:
    """Every day of the span ``coverage_span`` gives answers as *on* does (a batch reuses
    the answer there), its first day and its last included."""
    start, end = coverage_span(periods, rights, on, death_date=death)
    assert start <= on and (end is None or on < end)
    first = max(start, date(2019, 1, 1))
    last = (end or date(2023, 1, 1)) - timedelta(days=1)
    days = {first, last, data.draw(st.dates(min_value=first, max_value=last))}
    answer = coverage_on(periods, rights, on, death_date=death)
    for day in days:
        assert coverage_on(periods, rights, day, death_date=death) == answer


def test_coverage_span_cuts_at_starts_ends_and_death() -> None:
    periods = [aff("2020-01-01", "2020-12-31"), aff("2021-03-01")]
    rights = [ent("dmg", "2020-06-01", "2020-06-30")]
    span = coverage_span(periods, rights, D("2020-07-15"), death_date=D("2021-05-04"))
    assert span == (D("2020-07-01"), D("2021-01-01"))
    span = coverage_span(periods, rights, D("2021-02-01"), death_date=D("2021-05-04"))
    assert span == (D("2021-01-01"), D("2021-03-01"))
    assert coverage_span(periods, [], D("2021-06-01"), death_date=D("2021-05-04")) == (
        D("2021-05-05"),
        None,
    )
    assert coverage_span([], [], D("2021-06-01")) == (date.min, None)


# ------------------------------------------------------------------ writes


def test_overlap_refused_naming_the_existing_period() -> None:
    existing = [(D("2020-01-01"), D("2024-12-31")), (D("2025-01-01"), None)]
    with pytest.raises(Conflict, match=r"overlaps the existing period 2025-01-01\.\."):
        check_no_overlap(existing, D("2026-01-01"), None, what="affiliation")
    with pytest.raises(Conflict, match=r"2020-01-01\.\.2024-12-31"):
        check_no_overlap(existing[:1], D("2024-12-31"), D("2024-12-31"), what="bim")
    check_no_overlap(existing[:1], D("2025-01-01"), None, what="affiliation")  # touching: ok


def test_transfer_end_is_the_day_before() -> None:
    assert transfer_end(D("2020-01-01"), D("2025-01-01")) == D("2024-12-31")
    with pytest.raises(Conflict):
        transfer_end(D("2020-01-01"), D("2020-01-01"))
