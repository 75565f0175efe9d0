"""The rules that depend on the provider (issue 14, rules-audit R7, R8, R11 and the
supplement rules), each with published figures where one exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

import pytest

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.providers import Allowed, AttestRule
from inami_cli.domain.reimbursement import (
    Act,
    Line,
    Patient,
    ProviderTerms,
    SpecialRequirement,
    compute_visit,
    find_special_requirement,
    parse_time_of_day,
)
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal

GP = Act("101076", "Consultation généraliste accrédité", "gp_consultation", "ambulatory")
GP_2024 = TariffView(
    "101076", date(2024, 1, 1), date(2024, 12, 31), D("31.81"),
    (
        Profile(D("25.81"), "ordinary", False), Profile(D("30.31"), "preferential", False),
        Profile(D("27.81"), "ordinary", True), Profile(D("30.81"), "preferential", True),
    ),
    "VNZ 2024", "fixture",
)  # fmt: skip
GP_2026 = TariffView("101076", date(2026, 1, 1), None, D("33.73"), (), "Domus Medica", "x")
SPEC = Act("102034", "Consultation spécialiste", "specialist_consultation", "ambulatory")
SPEC_2017 = TariffView(
    "102034", date(2017, 1, 1), None, D("37.15"),
    (Profile(D("25.15"), "ordinary"), Profile(D("34.15"), "preferential")), "CM 2017", "x",
)  # fmt: skip
PHYSIO = Act("560011", "Séance kinésithérapie", "physio")
# 560011 in 2018: 16.37 reimbursed, 12.28 at a non-conventioned physiotherapist (AXXON,
# tarieven vanaf 1 januari 2018; RIZIV kine-overeenkomst), rules-audit R9
PHYSIO_2018 = TariffView(
    "560011", date(2018, 1, 1), None, D("21.53"),
    (Profile(D("16.37"), "ordinary"), Profile(D("16.37"), "preferential")), "AXXON 2018", "x",
)  # fmt: skip


@dataclass(frozen=True)
class ArticleAct(Act):
    """An act with its nomenclature article (as ``ActView`` carries it)."""

    article: str = ""


DENTAL = ArticleAct("301011", "Soins dentaires (article 5)", "dental", article="5")
DENTAL_2024 = TariffView(
    "301011", date(2024, 1, 1), None, D("30.00"), (Profile(D("30.00"), "ordinary"),), "t", "x"
)

# the shipped table's rows (inami_cli/data/attest_rules.csv) as the domain reads them
RULES = (
    AttestRule("code", "101076", "101076", "", (Allowed("doctor", "003", "004"),), True,
               date(2024, 1, 1), None, "[OFF label]", "NomenSoft label"),
    AttestRule("range", "102012", "102896", "", (Allowed("doctor", "010", "999"),), False,
               date(2014, 1, 1), None, "[SEC]", "NomenSoft labels"),
    AttestRule("article", "", "", "5", (Allowed("dentist"),), False,
               date(2014, 1, 1), None, "[DERIVED]", "DOMAIN.md §2"),
)  # fmt: skip

LATE_GP = SpecialRequirement("late_consultation", "gp", "after 21:00", "[MUT]", "CM")
LATE_SPEC = SpecialRequirement("late_consultation", "specialist", "after 21:00", "[MUT]", "CM")
ROOM = SpecialRequirement("single_room", "specialist", "single room", "[MUT]", "CM")

ORDINARY = Patient("ordinary", dmg=False, age=40)
YOUNG_BIM = Patient("preferential", dmg=True, age=20)


def run(
    act: Act,
    tariff: TariffView,
    on: date,
    patient: Patient,
    terms: ProviderTerms,
    *,
    charged: str | None = None,
    setting: str | None = None,
    explain: bool = False,
) -> tuple[str, str | None, str | None, str | None, str | None]:
    [res] = compute_visit(
        [Line(act, tariff, D(charged) if charged else None)],
        on=on,
        patient=patient,
        setting=setting,
        terms=terms,
        explain=explain,
    )
    return (
        res.status,
        res.refusal_code,
        f"{res.reimbursement}" if res.reimbursement is not None else None,
        f"{res.personal_share}" if res.personal_share is not None else None,
        f"{res.supplement}" if res.supplement is not None else None,
    )


def doctor(qual: str, *, accredited: bool = False, **kw: object) -> ProviderTerms:
    role = "gp" if qual in ("003", "004") else "specialist"
    return ProviderTerms(
        given=False, why="register", nihii="1900170600" + qual[-1], profession="doctor",
        qualification=qual, role=role, accredited=accredited, attest_rules=RULES,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


# ------------------------------------------------------------------ codes by qualification


@pytest.mark.parametrize(
    ("act", "tariff", "terms", "expected"),
    [
        (GP, GP_2024, doctor("004", accredited=True), ("ok", None)),
        (GP, GP_2024, doctor("004"), ("refused", "910")),  # recognised, not accredited
        (GP, GP_2024, doctor("100", accredited=True), ("refused", "910")),  # a specialist
        (SPEC, SPEC_2017, doctor("100"), ("ok", None)),
        (SPEC, SPEC_2017, doctor("004", accredited=True), ("refused", "910")),
        (DENTAL, DENTAL_2024, doctor("004", accredited=True), ("refused", "910")),
        (
            DENTAL,
            DENTAL_2024,
            ProviderTerms(profession="dentist", qualification="001", attest_rules=RULES),
            ("ok", None),
        ),
        # a status given by flag only: nothing known of the qualification, no check
        (GP, GP_2024, ProviderTerms(), ("ok", None)),
    ],
)
def test_codes_allowed_by_qualification(
    act: Act, tariff: TariffView, terms: ProviderTerms, expected: tuple[str, str | None]
) -> None:
    status, code, *_ = run(act, tariff, date(2024, 6, 3), ORDINARY, terms)
    assert (status, code) == expected


def test_not_qualified_reason_names_the_rule_and_the_provider() -> None:
    [res] = compute_visit(
        [Line(GP, GP_2024)], on=date(2024, 6, 3), patient=ORDINARY, terms=doctor("004")
    )
    assert res.refusal_code == "910"
    assert "101076: doctor:003-004, accredited" in (res.refusal_reason or "")
    assert "not accredited" in (res.refusal_reason or "")


# ------------------------------------------------------------------ supplements


ON_2024 = date(2024, 6, 3)  # a Monday, before the BIM supplement bans


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        # conventioned: the agreed fee (R11), unless a special requirement of the patient
        (ProviderTerms("conventioned"), ("refused", "905", "0.00", "31.81", "8.19")),
        (
            ProviderTerms("conventioned", special_requirement=(LATE_GP, LATE_SPEC)),
            ("ok", None, "25.81", "6.00", "8.19"),
        ),
        # a specialist's requirement does not free a GP consultation
        (ProviderTerms("conventioned", special_requirement=(ROOM,)), ("refused", "905")),
        # partially: inside a declared block only
        (ProviderTerms("partially", in_block=True), ("ok", None, "25.81", "6.00", "8.19")),
        (ProviderTerms("partially", in_block=False), ("refused", "905")),
        (
            ProviderTerms("partially", in_block=False, special_requirement=(LATE_GP,)),
            ("ok", None, "25.81", "6.00", "8.19"),
        ),
        # non-conventioned: free fees
        (ProviderTerms("non-conventioned"), ("ok", None, "25.81", "6.00", "8.19")),
    ],
)
def test_supplement_by_status(terms: ProviderTerms, expected: tuple[str | None, ...]) -> None:
    got = run(GP, GP_2024, ON_2024, ORDINARY, terms, charged="40.00")
    assert got[: len(expected)] == expected


def test_partially_conventioned_specialist_deviates_only_for_ambulatory_patients() -> None:
    terms = ProviderTerms("partially", in_block=True, ambulatory_only=True, role="specialist")
    on = date(2017, 5, 2)
    ok = run(SPEC, SPEC_2017, on, ORDINARY, terms, charged="50.00", setting="ambulatory")
    assert ok == ("ok", None, "25.15", "12.00", "12.85")
    hosp = Act("102034", "x", "specialist_consultation", "any")
    refused = run(hosp, SPEC_2017, on, ORDINARY, terms, charged="50.00", setting="hospitalised")
    assert refused[:2] == ("refused", "905")


def test_partially_conventioned_from_the_register_needs_a_time() -> None:
    terms = ProviderTerms("partially", given=False, in_block=None, nihii="19002595100")
    with pytest.raises(InvalidInput, match="pass --time"):
        run(GP, GP_2024, ON_2024, ORDINARY, terms, charged="40.00")
    # charging the fee needs no time
    assert run(GP, GP_2024, ON_2024, ORDINARY, terms)[0] == "ok"


@pytest.mark.parametrize(
    "terms",
    [
        ProviderTerms("non-conventioned"),
        ProviderTerms("partially", in_block=True),
        ProviderTerms("conventioned", special_requirement=(LATE_GP,)),
    ],
)
def test_bim_supplement_ban_overrides_every_status(terms: ProviderTerms) -> None:
    # all BIM from 2026-01-01 (mc.be): even a special requirement does not allow it
    bim = Patient("preferential", dmg=False, age=40)
    got = run(GP, GP_2026, date(2026, 3, 2), bim, terms, charged="40.00", setting="ambulatory")
    assert got[:2] == ("refused", "906")


def test_supplement_step_says_why() -> None:
    terms = ProviderTerms("conventioned", special_requirement=(LATE_GP,))
    [res] = compute_visit(
        [Line(GP, GP_2024, D("40.00"))], on=ON_2024, patient=ORDINARY, terms=terms, explain=True
    )
    step = next(s for s in res.explanation if s.what == "supplement allowed")
    assert "special requirement" in step.source


# ------------------------------------------------------------------ R7 young BIM


@pytest.mark.parametrize("status", ["conventioned", "partially", "non-conventioned"])
def test_young_bim_with_dmg_pays_no_share_whatever_the_status(status: str) -> None:
    # inami.fgov.be: "100 % du tarif ... des médecins généralistes et spécialistes"; 2026 fee
    # 33.73 (Domus Medica): the insurer pays 33.73, the patient 0.00
    terms = ProviderTerms(status, in_block=True)
    assert run(GP, GP_2026, date(2026, 3, 2), YOUNG_BIM, terms)[2:4] == ("33.73", "0.00")
    # specialists too (CM 2017 fee 37.15), from 2023-10-01
    got = run(SPEC, SPEC_2017, date(2023, 10, 1), YOUNG_BIM, terms)
    assert got[2:4] == ("37.15", "0.00")


def test_young_bim_at_non_conventioned_doctor_may_pay_a_supplement_before_the_bans() -> None:
    # 2024: no ban yet for BIM granted on income; share 0, the supplement is the patient's
    young = Patient("preferential", dmg=True, age=20, bim_automatic=False)
    got = run(GP, GP_2024, ON_2024, young, ProviderTerms("non-conventioned"), charged="40.00")
    assert got == ("ok", None, "31.81", "0.00", "8.19")


# ------------------------------------------------------------------ R8 physiotherapy cut


@pytest.mark.parametrize(
    ("convention", "expected"),
    [
        (True, "12.28"),  # M/18 in force: 16.37 -> 12.28 (AXXON 2018)
        (False, "16.37"),  # no convention in force (2025-01-01..04-30, early 2022): no cut
        (None, "12.28"),  # not known (no agreements table): as before
    ],
)
def test_physio_cut_only_while_a_convention_is_in_force(
    convention: bool | None, expected: str
) -> None:
    terms = ProviderTerms("non-conventioned", physio_convention=convention)
    got = run(PHYSIO, PHYSIO_2018, date(2018, 6, 1), ORDINARY, terms)
    assert got[2] == expected
    # BIM: never cut
    bim = Patient("preferential", age=40)
    assert run(PHYSIO, PHYSIO_2018, date(2018, 6, 1), bim, terms)[2] == "16.37"


def test_physio_without_convention_explains_why_there_is_no_cut() -> None:
    terms = ProviderTerms("non-conventioned", physio_convention=False)
    [res] = compute_visit(
        [Line(PHYSIO, PHYSIO_2018)], on=date(2025, 3, 3), patient=ORDINARY, terms=terms,
        explain=True,
    )  # fmt: skip
    assert any("no physiotherapists' convention" in s.source for s in res.explanation)


# ------------------------------------------------------------------ small parsers


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19:30", time(19, 30)), ("9:05", time(9, 5)), ("19h30", time(19, 30)), ("21h", time(21)),
     ("8", time(8))],
)  # fmt: skip
def test_parse_time_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["25:00", "noon", "19:75", ""])
def test_parse_time_of_day_rejects(text: str) -> None:
    with pytest.raises(InvalidInput, match="--time"):
        parse_time_of_day(text)


def test_find_special_requirement() -> None:
    table = (LATE_GP, LATE_SPEC, ROOM)
    assert find_special_requirement(table, "late-consultation") == (LATE_GP, LATE_SPEC)
    with pytest.raises(InvalidInput, match="expected one of late_consultation, single_room"):
        find_special_requirement(table, "lunch")
