"""``--explain`` names each rule applied: the rules-audit id with its source (issue 15)."""

from __future__ import annotations

from datetime import date

from inami_cli.domain.reimbursement import Patient
from inami_cli.domain.reimbursement._explain import RULE_IDS
from tests.domain.test_reimbursement import (
    BIM_DMG,
    ORDINARY,
    PHYSIO,
    PHYSIO_2024,
    SCALING,
    SCALING_2022,
    gp_on,
    one,
)
from tests.domain.test_visits import VISIT, visit_2024


def rules(result: object) -> dict[str, str]:
    return {s.rule: s.source for s in result.explanation if s.rule}  # type: ignore[attr-defined]


def test_fixed_share_steps_name_r3_with_source() -> None:
    named = rules(gp_on(date(2026, 3, 2), BIM_DMG, explain=True))
    assert set(named) == {"R3", "R1"}
    assert "AR 23/3/1982" in named["R3"]


def test_profile_visit_continuity_physio_cut_and_refusals() -> None:
    assert "R4" in rules(one(VISIT, visit_2024(), date(2024, 6, 1), ORDINARY, explain=True))
    assert "R20" in rules(one(SCALING, SCALING_2022, date(2023, 3, 1), ORDINARY, explain=True))
    cut = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), ORDINARY, provider="non-conventioned",
              explain=True)  # fmt: skip
    assert {"R2", "R8", "R1"} <= set(rules(cut))
    bim = Patient("preferential", age=40)
    refused = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), bim, provider="non-conventioned",
                  charged="35.00", explain=True)  # fmt: skip
    assert "R15" in rules(refused)
    no_age = one(VISIT, visit_2024(), date(2024, 6, 1), Patient("ordinary"), explain=True)
    assert "R2" in rules(no_age)  # refused 904


def test_every_named_rule_is_in_the_audit_table() -> None:
    result = one(SCALING, SCALING_2022, date(2023, 3, 1), ORDINARY, explain=True)
    assert all(s.rule in RULE_IDS for s in result.explanation if s.rule)
