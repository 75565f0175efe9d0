"""``history_matters``: when it says a person's history cannot change a case's answer, the
answer with the history is the answer without it (the audit's answer cache relies on it).

Property test over invented acts (frequency limits, same-day exclusions, the dental
prerequisite, none) and histories of a few codes over a few days, against the engine
itself (``compute_case``), which stays the authority.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from inami_cli.domain import reimbursement as r
from inami_cli.domain.reimbursement import Act, Line, PastCare, Patient
from inami_cli.domain.tariffs import Profile, TariffView

CODES = ("101076", "102012", "371571", "301593")
DAY = date(2025, 3, 3)
ACTS = (
    Act("101076", category="gp_consultation"),
    Act("102012", max_per_period=1, frequency_period="calendar_year"),
    Act("371571", category="dental", not_combinable_with=("301593",)),
    Act("301593", category="dental", prerequisite=r.PREREQUISITE_DENTAL_PREVIOUS_YEAR),
)
CARE = st.builds(
    PastCare,
    code=st.sampled_from(CODES),
    care_date=st.integers(-400, 3).map(lambda d: DAY + timedelta(days=d)),
    category=st.sampled_from(("other", "dental", "gp_consultation")),
    not_combinable_with=st.sampled_from(((), ("101076",), ("371571",), ("102012",))),
)


def _answer(act: Act, history: list[PastCare]) -> tuple[object, ...]:
    tariff = TariffView(act.code, date(2020, 1, 1), None, Decimal("30.00"),
                        (Profile(Decimal("20.00"), "ordinary"),), "test", "fixture")  # fmt: skip
    result = r.compute_case(Line(act, tariff, None), on=DAY, patient=Patient(age=40),
                            history=history)  # fmt: skip
    return (result.ok, result.refusal_code, result.refusal_reason, result.reimbursement)


@settings(max_examples=300, deadline=None)
@given(act=st.sampled_from(ACTS), history=st.lists(CARE, max_size=6))
def test_an_irrelevant_history_changes_no_answer(act: Act, history: list[PastCare]) -> None:
    if not r.history_matters(act, DAY, history):
        assert _answer(act, history) == _answer(act, [])


def test_the_history_that_matters_is_seen() -> None:
    """Each rule that reads the history makes it matter (the cache would be wrong else)."""
    year_ago = PastCare("101076", DAY - timedelta(days=365), "dental")
    assert r.history_matters(ACTS[3], DAY, [year_ago])  # prerequisite: any care
    assert _answer(ACTS[3], [year_ago]) != _answer(ACTS[3], [])
    same_code = PastCare("102012", DAY - timedelta(days=10))
    assert r.history_matters(ACTS[1], DAY, [same_code])  # frequency: 1 a year reached
    assert _answer(ACTS[1], [same_code])[1] == r.R_MAX_REACHED
    excluded = PastCare("301593", DAY, "dental")
    assert r.history_matters(ACTS[2], DAY, [excluded])  # not on the same day
    assert _answer(ACTS[2], [excluded])[1] == r.R_NOT_COMBINABLE
    assert not r.history_matters(ACTS[2], DAY, [PastCare("301593", DAY - timedelta(days=1))])
    assert not r.history_matters(ACTS[0], DAY, [same_code, excluded])
