"""Callers' words find the codes (issue 17): tandarts, dentiste, kiné, kinesist, dokter,
huisarts."""

from __future__ import annotations

from typing import Any

import pytest

from inami_cli.services.desk import code_choices, match_choices

DENTAL = {"301593", "302153", "371571"}
PHYSIO = {"560011", "560092"}
GP = {"101076", "103132"}


@pytest.mark.parametrize(
    ("words", "some", "never"),
    [
        ("tandarts", DENTAL, PHYSIO | GP),
        ("dentiste", DENTAL, PHYSIO | GP),
        ("kiné", PHYSIO, DENTAL | GP),
        ("kinesist", PHYSIO, DENTAL | GP),
        ("dokter", GP, DENTAL | PHYSIO),
        ("huisarts", GP, DENTAL | PHYSIO),
        ("Huisarts bezoek", {"103132"}, {"101076"}),  # with a word of the label
    ],
)
def test_callers_words_find_the_codes(
    demo_session: Any, words: str, some: set[str], never: set[str]
) -> None:
    found = {c.code for c in match_choices(words, code_choices(session=demo_session, on=None))}
    assert some <= found
    assert not found & never


@pytest.mark.parametrize("provider", ["non-conventioned", "conventioned"])
def test_a_refused_answer_never_says_the_fund_pays_back(demo_session: Any, provider: str) -> None:
    """Issue 17: "Not reimbursed" and "pays back 28.30 €" were said of one case."""
    from datetime import date
    from decimal import Decimal

    from inami_cli.services.desk import reimbursement_answer

    answer = reimbursement_answer(
        session=demo_session,
        code="560011",
        on=date(2026, 3, 2),
        niss="85061508234",
        provider=provider,
        charged=Decimal("40"),
    )
    assert answer.sentence.startswith("Not reimbursed")
    assert not [line for line in answer.why if "pays back" in line]
    assert any("published tariff for this patient (BIM) is 28.30 €" in w for w in answer.why)


def test_the_desk_says_a_physiotherapist_cannot_be_partially_conventioned(
    demo_session: Any,
) -> None:
    """Issue 14: "partially" on a physiotherapy code is an input error, not an amount."""
    from datetime import date
    from decimal import Decimal

    from inami_cli.domain.errors import InvalidInput
    from inami_cli.services.desk import reimbursement_answer

    with pytest.raises(InvalidInput, match="physiotherapists cannot be partially conventioned"):
        reimbursement_answer(
            session=demo_session, code="560011", on=date(2026, 3, 2), niss="85061508234",
            provider="partially", charged=Decimal("40"),
        )  # fmt: skip
