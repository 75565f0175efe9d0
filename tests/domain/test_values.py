"""The one parser of values (``inami_cli.domain.values``): grammar and bounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from inami_cli.domain import values
from inami_cli.domain.errors import InvalidInput

JUNK = ["1e400", "1e26", "9.2e16", "NaN", "nan", "Infinity", "-inf", "12_5", "１２", "٣", "²",
        "0x10", "1.2.3", "", " ", "--1", "1,2,3"]  # fmt: skip


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_no_number_anywhere(text: str):
    for parse in (
        values.parse_amount,
        values.parse_number,
        values.parse_rate,
        values.parse_key_value,
        values.parse_coefficient,
        values.parse_budget_amount,
    ):
        with pytest.raises(InvalidInput) as info:
            parse(text)
        assert repr(text) in info.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.81", "31.81"),
        ("31,81", "31.81"),
        ("€ 31,81", "31.81"),
        ("1 000,5", "1000.50"),
        ("0", "0.00"),
        ("999999999.99", "999999999.99"),
    ],
)
def test_amounts(text: str, expected: str):
    assert values.parse_amount(text) == Decimal(expected)
    assert str(values.parse_amount(text)) == expected


@pytest.mark.parametrize("text", ["1000000000", "1000000000.00", "-0.01", "0.001", "1.234"])
def test_amounts_out_of_bounds(text: str):
    with pytest.raises(InvalidInput):
        values.parse_amount(text)


def test_budget_amounts_have_their_own_bound():
    assert values.parse_budget_amount("40986000000") == Decimal("40986000000.00")
    with pytest.raises(InvalidInput):
        values.parse_budget_amount("10000000000000")


@pytest.mark.parametrize(
    ("parse", "good", "bad"),
    [
        (values.parse_key_value, ["3.372107", "0.000001", "999999.999999"], ["0", "-1", "1000000"]),
        (values.parse_coefficient, ["8", "0.5", "99999.999999"], ["0", "100000", "1.0000001"]),
        (values.parse_rate, ["2.72", "2,72%", "-99.99", "1000"], ["-100", "1000.01", "-200"]),
    ],
)
def test_bounds_of_each_kind(parse, good: list[str], bad: list[str]):
    for text in good:
        parse(text)
    for text in bad:
        with pytest.raises(InvalidInput):
            parse(text)


@pytest.mark.parametrize("text", ["101076", " 101076 "])
def test_codes(text: str):
    assert values.parse_code(text) == "101076"


@pytest.mark.parametrize("text", ["１０１０７６", "10107", "1010760", "10107a", "٠١٠١٠٧"])
def test_codes_are_six_ascii_digits(text: str):
    with pytest.raises(InvalidInput):
        values.parse_code(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02", date(2026, 3, 2)),
        ("2/3/2026", date(2026, 3, 2)),
        ("02.03.2026", date(2026, 3, 2)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2199-12-31", date(2199, 12, 31)),
        ("today", date(2026, 3, 2)),
    ],
)
def test_dates(text: str, expected: date):
    assert values.parse_date(text, today=date(2026, 3, 2)) == expected


@pytest.mark.parametrize(
    "text",
    ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "2026-02-30", "２０２６-０３-０２",
     "20260302", "2026-W10-1", "2026-03-02T10:00"],
)  # fmt: skip
def test_dates_out_of_range_or_form(text: str):
    with pytest.raises(InvalidInput) as info:
        values.parse_date(text)
    assert repr(text) in info.value.message


def test_long_values_are_quoted_short():
    with pytest.raises(InvalidInput) as info:
        values.parse_amount("x" * 10_000)
    assert len(info.value.message) < 200


@given(st.text(max_size=30))
@example("1e400")
@example("9.2e16")
def test_any_text_is_a_bounded_amount_or_an_input_error(text: str):
    try:
        value = values.parse_amount(text)
    except InvalidInput:
        return
    assert Decimal(0) <= value < values.AMOUNT_LIMIT
    assert value == value.quantize(Decimal("0.01"))
