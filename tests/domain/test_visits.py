"""Home visits (rules audit R4) and fee-only tariffs: published per-profile amounts, never a
fixed share borrowed from consultations, never an invented reimbursement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain.nomenclature import group_rows, parse_tariff_row
from inami_cli.domain.reimbursement import Act, Patient, fixed_share_rule
from inami_cli.domain.tariffs import Profile, TariffView, check_profiles
from tests.domain.test_reimbursement import one

D = Decimal
VISIT = Act("103132", "Visite à domicile", "gp_visit", "ambulatory")


def visit_2024() -> TariffView:
    """103132 from 2024-01-01 as in fixtures/nomenclature.csv (VNZ 2024, R4)."""
    fee = D("45.81")
    shares = [
        ("8.00", "ordinary", None, 0, 9, None),
        ("2.00", "preferential", None, 0, 9, None),
        ("17.03", "ordinary", False, 10, 74, None),
        ("16.03", "ordinary", True, 10, 74, None),  # derived: 17.03 - 1.00
        ("3.56", "preferential", None, 10, 74, None),
        ("16.03", "ordinary", False, 75, None, None),
        ("11.22", "ordinary", True, 75, None, None),
        ("3.56", "preferential", False, 75, None, None),
        ("2.49", "preferential", True, 75, None, None),
        ("16.03", "ordinary", False, 10, 74, True),
        ("11.22", "ordinary", True, 10, 74, True),
        ("3.56", "preferential", False, 10, 74, True),
        ("2.49", "preferential", True, 10, 74, True),
    ]
    profiles = tuple(
        Profile(fee - D(s), regime, dmg, low, high, chronic)
        for s, regime, dmg, low, high, chronic in shares
    )
    assert check_profiles(profiles, fee) == []
    return TariffView("103132", date(2024, 1, 1), date(2024, 12, 31), fee, profiles, "VNZ", "x")


@pytest.mark.parametrize(
    ("patient", "share"),
    [
        # VNZ 2024, published
        (Patient("ordinary", age=5), "8.00"),
        (Patient("ordinary", age=40), "17.03"),
        (Patient("ordinary", age=80), "16.03"),
        (Patient("preferential", age=5), "2.00"),
        (Patient("preferential", age=40), "3.56"),
        (Patient("preferential", age=80), "3.56"),
        (Patient("ordinary", dmg=True, age=80), "11.22"),
        (Patient("preferential", dmg=True, age=80), "2.49"),
        # chronic 10-74 like 75+
        (Patient("ordinary", age=40, chronic=True), "16.03"),
        (Patient("ordinary", dmg=True, age=40, chronic=True), "11.22"),
        (Patient("preferential", dmg=True, age=40, chronic=True), "2.49"),
        # derived: DMG lowers the ordinary 10-74 share by 1.00; nothing under 10, BIM 10-74
        (Patient("ordinary", dmg=True, age=40), "16.03"),
        (Patient("ordinary", dmg=True, age=5), "8.00"),
        (Patient("preferential", dmg=True, age=40, chronic=False), "3.56"),
    ],
)
def test_visit_shares_are_the_published_age_band_amounts(patient: Patient, share: str) -> None:
    result = one(VISIT, visit_2024(), date(2024, 6, 1), patient)
    assert (result.status, result.personal_share) == ("ok", D(share))
    assert result.fee == result.reimbursement + result.personal_share  # type: ignore[operator]


def test_visits_have_no_fixed_share_rule() -> None:
    """R4: the consultation's 6.00/4.00/1.50/1.00 never applies to a home visit."""
    assert fixed_share_rule("gp_visit", date(2025, 6, 1)) is None
    assert fixed_share_rule("gp_consultation", date(2025, 6, 1)) is not None


def test_fee_only_visit_is_refused_not_invented() -> None:
    fee_only = TariffView("103132", date(2026, 1, 1), None, D("48.57"), (), "DOMUS", "x")
    result = one(VISIT, fee_only, date(2026, 3, 2), Patient("ordinary", age=40))
    assert (result.refusal_code, result.fee) == ("904", D("48.57"))
    # unknown age: no band, no answer
    assert one(VISIT, visit_2024(), date(2024, 6, 1), Patient("ordinary")).refusal_code == "904"


def test_gp_fixed_share_dated_from_its_real_start() -> None:
    """R3: the fixed GP consultation shares go back to 2011, not to 2024."""
    rule = fixed_share_rule("gp_consultation", date(2012, 6, 1))
    assert rule is not None and rule.valid_from == date(2011, 11, 16)
    assert rule.share("ordinary", True) == (D("4.00"), True)
    assert fixed_share_rule("gp_consultation", date(2011, 11, 15)) is None


def _row(**cells: str) -> dict[str, str]:
    base = {"code": "103132", "valid_from": "2026-01-01", "fee": "48.57", "reimbursement": ""}
    base.update(cells)
    return base


def test_fee_only_import_row() -> None:
    parsed = parse_tariff_row(2, _row())
    assert parsed.profile is None and parsed.fee == D("48.57")
    grouped = group_rows([parsed])
    assert grouped.problems == []
    [tariff] = grouped.tariffs
    assert (tariff.fee, tariff.profiles) == (D("48.57"), ())


def test_fee_only_row_cannot_mix_with_profiles_or_lack_reimbursement_with_a_profile() -> None:
    rows = [_row(), _row(regime="ordinary", reimbursement="40.00")]
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    assert grouped.problems and "fee only" in grouped.problems[0][1]
    with pytest.raises(Exception, match="reimbursement is empty"):
        parse_tariff_row(2, _row(regime="ordinary"))
