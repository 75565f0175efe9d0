"""The shared test helpers (tests/helpers.py) do what the golden tests rely on."""

from __future__ import annotations

import pytest

from tests.helpers import assert_same_text, mask_seconds, reimburse_argv


def test_mask_seconds_masks_the_text_and_json_summaries_only() -> None:
    text = (
        "inami: 12 rows: 10 ok, 1 refused, 1 rejected, 3 warnings, 0.42 s; exit 2\n"
        '{"rows": 12, "warnings": 3, "seconds": 1.5}\n'
        '{"seconds": 7}\n'
        "code 101076 costs 0.42 s\n"
    )
    assert mask_seconds(text) == (
        "inami: 12 rows: 10 ok, 1 refused, 1 rejected, 3 warnings, <seconds> s; exit 2\n"
        '{"rows": 12, "warnings": 3, "seconds": <seconds>}\n'
        '{"seconds": <seconds>}\n'
        "code 101076 costs 0.42 s\n"
    )


def test_assert_same_text_names_the_first_differing_line() -> None:
    assert_same_text("same", "a\nb\n", "a\nb\n")
    with pytest.raises(AssertionError, match="x: line 2 differs"):
        assert_same_text("x", "a\nb\nc\n", "a\nB\nc\n")
    with pytest.raises(AssertionError, match="y: line counts differ"):
        assert_same_text("y", "a\n", "a\nb\n")


def test_reimburse_argv_turns_a_batch_row_into_flags() -> None:
    header = "code,date,niss,regime,dmg,age,chronic,third_party,referred,charged\n"
    row = ("101076", "2026-03-02", "", "ordinary", "no", "50", "yes", "no", "yes", "31.81")
    assert reimburse_argv(header, row) == [
        *("reimburse", "101076", "--date", "2026-03-02", "--format", "json"),
        *("--regime", "ordinary", "--no-dmg", "--age", "50", "--chronic", "--no-third-party"),
        *("--referred", "--charged", "31.81"),
    ]
    no_referral = ("101076", "2026-03-02", "", "", "", "", "", "", "no", "")
    assert reimburse_argv(header, no_referral)[6:] == []
