"""The billing audit's own rules (``domain.control``): billing limit, prescriber, claim,
what is undue on a line; figures from the facts files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain import control
from inami_cli.domain.control import Finding
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.reimbursement import REFUSAL_REASONS

D = date.fromisoformat
E = Decimal


@pytest.mark.parametrize(
    ("care", "last"),
    [
        # art. 174: 2 years from the end of the month of care (maf-control-funding.md §8.1-6)
        ("2023-11-14", "2025-11-30"),
        ("2022-02-03", "2024-02-29"),  # a leap year's February
        ("2023-02-28", "2025-02-28"),
        ("2024-12-31", "2026-12-31"),
    ],
)
def test_billing_limit(care: str, last: str) -> None:
    assert control.billing_limit(D(care)) == D(last)


def test_check_billing_limit_boundary() -> None:
    claim = E("25.81")
    assert control.check_billing_limit(D("2023-11-14"), D("2025-11-30"), claim) is None
    late = control.check_billing_limit(D("2023-11-14"), D("2025-12-01"), claim)
    assert late is not None and late.code == control.A_PRESCRIBED == "101"
    assert late.indu == claim and "2025-11-30" in late.detail


def test_check_claim_101076_figures() -> None:
    # 101076 in 2024: fee 31.81, ordinary without DMG reimbursed 25.81 (DOMAIN.md §3, VNZ)
    assert control.check_claim(E("25.81"), E("25.81")) is None
    over = control.check_claim(E("31.81"), E("25.81"))
    assert over is not None and over.code == control.A_CLAIM and over.indu == E("6.00")
    under = control.check_claim(E("20.00"), E("25.81"))
    assert under is not None and under.indu == E("0")  # a finding, nothing undue


def test_check_prescriber() -> None:
    claim = E("17.81")
    missing = control.check_prescriber("", required=True, claimed=claim)
    assert missing is not None and missing.code == "104" and missing.indu == claim
    assert control.check_prescriber("", required=False, claimed=claim) is None
    short = control.check_prescriber("1900170", required=True, claimed=claim)
    assert short is not None and short.code == "104"
    assert control.check_prescriber("1900170", required=False, claimed=claim) is None
    # check digits 97 - (first 6 mod 97): 789011 -> 84 (providers.md §7.2 test vectors)
    assert control.check_prescriber("78901184000", required=True, claimed=claim) is None
    bad = control.check_prescriber("7-89011-85-000", required=True, claimed=claim)
    assert bad is not None and bad.code == "106" and bad.indu == 0
    assert "expected 84" in bad.detail


def test_needs_prescriber_is_dated_data() -> None:
    rules = (control.PrescribedRule("physio", D("2014-01-01"), D("2020-12-31"), "[SEC]", "s"),)
    assert control.needs_prescriber("physio", D("2014-01-01"), rules)
    assert not control.needs_prescriber("physio", D("2021-01-01"), rules)
    assert not control.needs_prescriber("gp_consultation", D("2015-01-01"), rules)


def test_engine_findings_follow_the_basis() -> None:
    above = control.engine_finding("905", "above", claimed=E("26.84"), excess=E("7.16"))
    assert above.indu == E("7.16") and above.rule.basis == "excess"
    maxed = control.engine_finding("002", "max", claimed=E("68.00"), excess=E("0"))
    assert maxed.indu == E("68.00") and maxed.rule.name == "max_reached"


def test_line_undue() -> None:
    claim = E("26.84")
    whole = [Finding("108", "d", E("6.00")), Finding("103", "q", claim)]
    assert control.line_undue(whole, claim) == claim  # the claim, not claim + 6.00
    parts = [Finding("108", "d", E("6.00")), Finding("905", "x", E("7.16"))]
    assert control.line_undue(parts, claim) == E("13.16")
    assert control.line_undue([Finding("106", "w")], claim) == 0
    assert control.line_undue([], claim) == 0


def test_every_engine_refusal_is_an_audit_rule() -> None:
    assert set(REFUSAL_REASONS) <= set(control.AUDIT_RULES)
    assert all(r.basis in control.BASES for r in control.AUDIT_RULES.values())
    assert all(r.source for r in control.AUDIT_RULES.values())
    names = [r.name for r in control.AUDIT_RULES.values()]
    assert len(names) == len(set(names))
    with pytest.raises(InvalidInput):
        control.finding("999", "unknown")
    assert control.finding("101", "late", E("1")).rule.name == "billing_prescribed"


def test_codes_table_is_documented_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for row in control.codes_table():
        assert f"| {row['code']} | `{row['name']}`" in readme, row["code"]


# ------------------------------------------------------------------ profiles


def test_median() -> None:
    assert control.median([E("3"), E("1"), E("2")]) == E("2")
    assert control.median([E("1.00"), E("2.00"), E("4.00"), E("3.00")]) == E("2.50")
    with pytest.raises(InvalidInput):
        control.median([])


def test_compare_peers_flags_outliers_in_groups_of_two_or_more() -> None:
    counts = [
        control.PeerCount("A", "doctor gp", services=120, patients=40),  # 3.00
        control.PeerCount("B", "doctor gp", services=100, patients=100),  # 1.00
        control.PeerCount("C", "doctor gp", services=150, patients=100),  # 1.50
        control.PeerCount("D", "dentist 001", services=90, patients=10),  # alone: never flagged
        control.PeerCount("E", "doctor 100", services=0, patients=0),
    ]
    rows = {r.provider_id: r for r in control.compare_peers(counts, outlier=E("1.5"))}
    assert rows["A"].peer_median == E("1.50") and rows["A"].ratio == E("2.00")
    assert rows["A"].outlier and not rows["B"].outlier and not rows["C"].outlier
    assert rows["A"].group_size == 3
    assert rows["D"].ratio == E("1.00") and not rows["D"].outlier
    assert rows["E"].per_patient == 0 and rows["E"].ratio is None
    with pytest.raises(InvalidInput, match="--outlier"):
        control.compare_peers(counts, outlier=E("0"))


def test_histogram() -> None:
    lines = control.histogram([E("1"), E("1"), E("1.5"), E("3")], bins=2, width=10, label="spp")
    assert lines[0] == "spp (4 values)"
    assert lines[1].split()[-2:] == ["3", "#" * 10] and lines[2].split()[-2:] == ["1", "###"]
    assert control.histogram([], label="spp") == ["spp: no values"]
    assert len(control.histogram([E("2")] * 3, bins=4)) == 5
