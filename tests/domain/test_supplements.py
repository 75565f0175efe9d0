"""Supplement codes billed with a main code: their own share rule (no personal share for
the GP night/weekend/holiday supplements since 2011) and eTarif 007 without a main code.
The supplement's fee below is invented for the test (no published amount in the facts)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inami_cli.domain import reimbursement as r
from inami_cli.domain.reimbursement import Act, Line, Patient, compute_visit
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal
GP = Act("101076", "Consultation GP", "gp_consultation")
GP_2024 = TariffView(
    "101076", date(2024, 1, 1), None, D("31.81"), (Profile(D("25.81"), "ordinary"),), "VNZ", "f"
)
NIGHT = Act("102410", "Supplément de nuit (test)", "supplement")
NIGHT_TARIFF = TariffView("102410", date(2024, 1, 1), None, D("20.00"), (), "test", "f")
ORD = Patient("ordinary", age=40)


def test_a_supplement_with_its_main_code_has_no_personal_share() -> None:
    main, night = compute_visit(
        [Line(GP, GP_2024), Line(NIGHT, NIGHT_TARIFF)],
        on=date(2024, 3, 1),
        patient=ORD,
        explain=True,
    )
    assert (main.reimbursement, main.personal_share) == (D("25.81"), D("6.00"))
    assert (night.reimbursement, night.personal_share, night.profile) == (
        D("20.00"),
        D("0.00"),
        "ordinary (fixed share)",
    )
    step = next(s for s in night.explanation if "gp_supplement_no_share" in s.what)
    assert step.valid_from == date(2011, 1, 1) and "[DERIVED]" in step.source


def test_a_supplement_alone_is_refused_007() -> None:
    [night] = compute_visit([Line(NIGHT, NIGHT_TARIFF)], on=date(2024, 3, 1), patient=ORD)
    assert night.refusal_code == r.R_DEPENDS_ON_OTHERS == "007"
    # the main code must come first and be accepted
    night_first, _ = compute_visit(
        [Line(NIGHT, NIGHT_TARIFF), Line(GP, GP_2024)], on=date(2024, 3, 1), patient=ORD
    )
    assert night_first.refusal_code == "007"


def test_the_share_rule_is_dated() -> None:
    assert r.supplement_share_rule("supplement", date(2010, 12, 31)) is None
    rule = r.supplement_share_rule("supplement", date(2011, 1, 1))
    assert rule is not None and rule.share("preferential", True) == (D("0.00"), False)
    assert r.supplement_share_rule("gp_consultation", date(2024, 1, 1)) is None
