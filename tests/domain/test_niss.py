"""NISS and BIS numbers: real structure cases, precise rejections, generated numbers."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import bis, nn

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.niss import (
    check_digits,
    compact_niss,
    format_niss,
    generate_niss,
    iter_generated_niss,
    make_niss,
    niss_problem,
    parse_niss,
    person_niss,
    sex_of,
    validate_niss,
)


@pytest.mark.parametrize(
    ("text", "niss", "is_bis", "year", "month", "day", "sex"),
    [
        # stdnum.be.nn doctests
        ("85073003328", "85073003328", False, 1985, 7, 30, "M"),
        ("85.07.30-033.28", "85073003328", False, 1985, 7, 30, "M"),
        ("85 07 30 033 28", "85073003328", False, 1985, 7, 30, "M"),
        ("17073003384", "17073003384", False, 2017, 7, 30, "M"),  # born from 2000: "2" prefix
        # DOMAIN.md: incomplete birth date (month and day 00), unknown date 000001
        ("40000095579", "40000095579", False, 1940, None, None, "M"),
        ("00000100364", "00000100364", False, None, None, None, "M"),
        # stdnum.be.bis doctests: month + 40 (sex known)
        ("98.47.28-997.65", "98472899765", True, 1998, 7, 28, "M"),
        ("01490700185", "01490700185", True, 2001, 9, 7, "M"),
    ],
)
def test_valid_numbers(
    text: str,
    niss: str,
    is_bis: bool,
    year: int | None,
    month: int | None,
    day: int | None,
    sex: str,
) -> None:
    info = parse_niss(text)
    assert (info.niss, info.is_bis, info.birth_year, info.birth_month, info.birth_day) == (
        niss,
        is_bis,
        year,
        month,
        day,
    )
    assert info.sex == sex
    assert validate_niss(text) == niss
    assert niss_problem(text) is None


def test_birth_date_complete_and_incomplete() -> None:
    assert parse_niss("85073003328").birth_date == date(1985, 7, 30)
    assert parse_niss("40000095579").birth_date is None
    day_unknown = make_niss(date(1975, 3, 1), 15, incomplete="day")
    assert day_unknown[2:6] == "0300"
    info = parse_niss(day_unknown)
    assert (info.birth_year, info.birth_month, info.birth_day) == (1975, 3, None)
    assert info.birth_date is None


def test_sex_from_counter_and_bis_offsets() -> None:
    woman = make_niss(date(2003, 11, 5), 42)  # even counter
    assert sex_of(woman) == "F"
    assert sex_of(make_niss(date(2003, 11, 5), 41)) == "M"
    known = make_niss(date(1990, 5, 4), 12, bis=True)
    unknown = make_niss(date(1990, 5, 4), 12, bis=True, sex_known=False)
    assert known[2:4] == "45" and unknown[2:4] == "25"
    assert parse_niss(known).sex == "F"
    assert parse_niss(unknown).sex is None
    assert parse_niss(unknown).birth_date == date(1990, 5, 4)


def _with_check(first_nine: str, *, born_2000: bool = False) -> str:
    return first_nine + check_digits(first_nine, born_2000=born_2000)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "NISS is empty"),
        ("8507300332", "has 10 digits, expected 11"),
        ("850730033288", "has 12 digits, expected 11"),
        ("85O73003328", "contains 'O', only digits are allowed"),
        ("85073003329", "bad check digits 29 (expected 28)"),
        ("17073003300", "bad check digits 00 (expected 55 for a birth before 2000, 84 from 2000)"),
        (_with_check("851330033"), "impossible birth month 13"),
        (_with_check("856330033"), "impossible birth month 63"),
        (_with_check("850229033"), "impossible birth date 1985-02-29 (1985-02 has 28 days)"),
        (_with_check("850431033"), "impossible birth date 1985-04-31"),
        (_with_check("014229033", born_2000=True), "impossible birth date 2001-02-29"),
        (_with_check("850730000"), "counter 000 is never issued"),
        (_with_check("850730999"), "counter 999 is never issued"),
    ],
)
def test_rejections_say_which_check_failed(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_niss(text)
    assert reason in caught.value.message
    assert "\n" not in caught.value.message
    assert niss_problem(text) == caught.value.message


def test_leap_day_2000_is_valid() -> None:
    # 2000 was a leap year: the "2" prefix selects the century that decides it.
    assert parse_niss(make_niss(date(2000, 2, 29), 2)).birth_date == date(2000, 2, 29)


def test_format_and_compact() -> None:
    assert format_niss("85073003328") == "85.07.30-033.28"
    assert parse_niss("85073003328").formatted == "85.07.30-033.28"
    assert compact_niss("85.07.30-033.28") == "85073003328"


@given(st.text(alphabet="0123456789 .-/x\u00b2\u0663", max_size=16))
def test_compact_removes_only_the_separators(text: str) -> None:
    """Digits alone come back as they are; otherwise only spaces, dots, dashes and slashes
    go (a superscript or an Arabic-Indic digit, which ``isdigit`` accepts, stays)."""
    expected = "".join(c for c in text if c not in " .-/")
    assert compact_niss(text) == expected


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    counter=st.integers(min_value=1, max_value=998),
    as_bis=st.booleans(),
)
def test_made_numbers_round_trip_and_stdnum_agrees(birth: date, counter: int, as_bis: bool) -> None:
    number = make_niss(birth, counter, bis=as_bis)
    info = parse_niss(number)
    assert info.birth_date == birth
    assert info.sex == ("M" if counter % 2 else "F")
    assert info.is_bis == as_bis
    assert (bis if as_bis else nn).is_valid(number)


_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(_digits, st.booleans(), st.text(alphabet="0123456789", min_size=2, max_size=2))
def test_same_verdict_as_stdnum(first_nine: str, born_2000: bool, noise: str) -> None:
    """stdnum is the reference: we accept exactly what it accepts, minus the impossible
    dates it reads as "day unknown" and the counters never issued."""
    for number in (first_nine + check_digits(first_nine, born_2000=born_2000), first_nine + noise):
        problem = niss_problem(number)
        theirs = nn.is_valid(number) or bis.is_valid(number)
        if problem is None:
            assert theirs, number
        elif theirs:
            assert "impossible birth date" in problem or "never issued" in problem, problem


@given(_digits, st.booleans(), st.text(alphabet="0123456789 .-", min_size=2, max_size=3))
def test_person_niss_is_parse_niss_as_a_person_row(
    first_nine: str, born_2000: bool, noise: str
) -> None:
    """The bulk imports' tuple says what parse_niss says: the same person columns for a
    valid number, the same message for any other (issue 19)."""
    for number in (first_nine + check_digits(first_nine, born_2000=born_2000), first_nine + noise):
        try:
            info = parse_niss(number, what="titular_niss")
        except InvalidInput as exc:
            with pytest.raises(InvalidInput) as caught:
                person_niss(number, what="titular_niss")
            assert caught.value.message == exc.message
            continue
        assert person_niss(number, what="titular_niss") == (
            info.niss,
            info.birth_date,
            info.sex,
            info.is_bis,
        )


def test_generator_is_deterministic_distinct_and_valid() -> None:
    first = list(iter_generated_niss(500, seed=7))
    assert first == list(iter_generated_niss(500, seed=7))
    assert len(set(first)) == 500
    assert all(niss_problem(n) is None for n in first)
    rng = random.Random(1)
    women = [generate_niss(rng, sex="F") for _ in range(50)]
    assert all(sex_of(n) == "F" for n in women)
    bis_numbers = [generate_niss(rng, bis=True) for _ in range(20)]
    assert all(parse_niss(n).is_bis for n in bis_numbers)
