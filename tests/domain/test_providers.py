"""Pure provider rules: the INAMI number, declared blocks, ProviderFacts, may_attest."""

from __future__ import annotations

from datetime import date, time

import pytest

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.providers import (
    GP_RULE,
    SPECIALIST_RULE,
    AdherenceTerm,
    AgreementTerm,
    Allowed,
    Attester,
    AttestRule,
    DatedCode,
    ProviderRecord,
    QualificationLabel,
    block_rule,
    block_violations,
    format_blocks,
    in_blocks,
    make_nihii,
    may_attest,
    nihii_check_digits,
    parse_allowed,
    parse_blocks,
    parse_nihii,
    physio_convention_in_force,
    resolve_facts,
)

D = date.fromisoformat


# ------------------------------------------------------------------ the number


@pytest.mark.parametrize(
    ("first_six", "check"),
    [("789011", "84"), ("730004", "18"), ("755005", "43"), ("826626", "08"), ("710004", "36")],
)
def test_check_digits_match_the_published_institution_vectors_derived(first_six, check):
    # providers.md §7.2: the 5 published test vectors (the formula itself is not official)
    assert nihii_check_digits(first_six) == check


@pytest.mark.parametrize(
    "text", ["1-90017-06-004", "19001706004", "1 90017 06 004", "1.90017.06.004", " 190017/06/004 "]
)
def test_number_with_or_without_separators(text):
    n = parse_nihii(text)
    assert (n.number, n.root, n.profession_digit, n.sequence, n.check, n.qualification) == (
        "19001706004", "19001706", "1", "90017", "06", "004",
    )  # fmt: skip
    assert n.formatted == "1-90017-06-004"
    assert n.check_ok and n.warnings() == []
    assert n.profession_hint == "doctor"


def test_a_wrong_check_is_a_warning_not_a_refusal():
    n = parse_nihii("1-90017-07-004")
    assert not n.check_ok
    assert "not official" in n.warnings()[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("1-9001706", "8 digits, expected 11"),
        ("1-90017-06-0045", "12 digits"),
        ("1-90O17-06-004", "'O' is not a digit"),
        ("１９００１７０６００４", "is not a digit"),  # fullwidth digits are not ASCII digits
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(text, reason):
    with pytest.raises(InvalidInput, match=reason):
        parse_nihii(text)


def test_the_root_alone_is_accepted_only_when_asked():
    assert parse_nihii("19001706", allow_root=True).qualification is None
    assert parse_nihii("19001706", allow_root=True).formatted == "1-90017-06"
    with pytest.raises(InvalidInput):
        parse_nihii("19001706")


def test_make_nihii_gives_valid_numbers():
    number = make_nihii(5, 90041, "001")
    assert parse_nihii(number).check_ok
    assert parse_nihii(number).profession_hint is None  # 5: not in the sourced digits


# ------------------------------------------------------------------ blocks


def test_blocks_in_three_languages_and_formats():
    blocks = parse_blocks("Mon 14-18, mercredi 9h-13h; za 09:30-13:30")
    assert format_blocks(blocks) == "Mon 14:00-18:00, Wed 09:00-13:00, Sat 09:30-13:30"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Mon", "not a block"),
        ("Funday 9-12", "unknown day"),
        ("Mon 18-14", "ends before it starts"),
        ("Mon 22-02", "ends before it starts"),
        ("Mon 9-25", "not a time of day"),
    ],
)
def test_malformed_blocks(text, reason):
    with pytest.raises(InvalidInput, match=reason):
        parse_blocks(text)


def test_gp_three_blocks_of_four_hours_are_valid():
    assert block_violations(parse_blocks("Mon 14-18, Wed 14-18, Sat 09-13"), GP_RULE) == []


def test_gp_fourth_block_breaks_the_rule():
    problems = block_violations(parse_blocks("Mon 8-12, Tue 8-12, Wed 8-12, Thu 8-12"), GP_RULE)
    assert problems == [
        "4 blocks a week: a GP may declare at most 3 "
        "(CM, voorwaarden gedeeltelijke conventionering (huisarts) [MUT])"
    ]


def test_specialist_may_declare_four_blocks_but_not_five():
    four = parse_blocks("Mon 8-12, Tue 8-12, Wed 8-12, Thu 8-12")
    assert block_violations(four, SPECIALIST_RULE) == []
    five = parse_blocks("Mon 8-12, Tue 8-12, Wed 8-12, Thu 8-12, Fri 8-12")
    assert "at most 4" in block_violations(five, SPECIALIST_RULE)[0]


def test_a_block_over_four_consecutive_hours_is_refused():
    assert "lasts 4.5 hours" in block_violations(parse_blocks("Mon 8-12:30"), GP_RULE)[0]


def test_touching_blocks_count_as_one_long_block():
    problems = block_violations(parse_blocks("Mon 08-12, Mon 12-14"), GP_RULE)
    assert problems == [
        "block Mon 08:00-14:00 lasts 6 hours: at most 4 consecutive hours "
        "(CM, voorwaarden gedeeltelijke conventionering (huisarts) [MUT])"
    ]


def test_partial_without_blocks_is_refused():
    assert "must declare its time blocks" in block_violations((), GP_RULE)[0]


def test_rule_by_role():
    assert block_rule("specialist") is SPECIALIST_RULE
    assert block_rule("gp") is block_rule(None) is GP_RULE
    assert SPECIALIST_RULE.ambulatory_only and not GP_RULE.ambulatory_only


def test_in_blocks_end_exclusive():
    blocks = parse_blocks("Tue 14-18")
    assert in_blocks(blocks, 1, time(14, 0))
    assert in_blocks(blocks, 1, time(17, 59))
    assert not in_blocks(blocks, 1, time(18, 0))
    assert not in_blocks(blocks, 2, time(15, 0))


# ------------------------------------------------------------------ facts

AGREEMENTS = (
    AgreementTerm("doctors-2024-2025", "doctor", D("2024-01-01"), D("2025-12-31")),
    AgreementTerm("doctors-2026-2027", "doctor", D("2026-01-01"), D("2027-12-31")),
    AgreementTerm("physio-m21", "physiotherapist", D("2021-01-01"), D("2021-12-31")),
    AgreementTerm("physio-m22", "physiotherapist", D("2022-07-01"), D("2023-12-31")),
    AgreementTerm("physio-m24", "physiotherapist", D("2024-01-01"), D("2024-12-31")),
    AgreementTerm("physio-m25", "physiotherapist", D("2025-05-01"), None),
)
LABELS = (
    QualificationLabel("doctor", "003", "004", "gp", "MG agréé", "Erkende huisarts", "", ""),
    QualificationLabel("doctor", "010", "999", "specialist", "Spécialiste", "Specialist", "", ""),
)


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        ("2021-12-31", True),
        ("2022-01-01", False),  # the early-2022 gap
        ("2022-06-30", False),
        ("2022-07-01", True),
        ("2024-12-31", True),
        ("2025-01-01", False),  # no convention from 2025-01-01 to 2025-04-30
        ("2025-04-30", False),
        ("2025-05-01", True),
        ("2026-03-02", True),
    ],
)
def test_physio_convention_in_force_follows_the_agreements_table(day, in_force):
    assert physio_convention_in_force(D(day), AGREEMENTS) is in_force


SPECIALIST = ProviderRecord(
    root="19002595",
    profession="doctor",
    qualifications=(DatedCode("100", D("2010-07-01"), None),),
    accreditations=((D("2012-01-01"), None),),
    adherences=(
        AdherenceTerm(
            "doctors-2026-2027", "partial", D("2026-01-01"), parse_blocks("Tue 14-18, Sat 9-13")
        ),
    ),
    region="flanders",
)


def test_partial_specialist_inside_and_outside_a_block():
    tuesday = D("2026-03-03")
    inside = resolve_facts(SPECIALIST, agreements=AGREEMENTS, on=tuesday, at=time(15, 0),
                           labels=LABELS)  # fmt: skip
    assert inside.convention_status == "partially"
    assert inside.in_declared_block is True and inside.deviates_at_time is True
    assert inside.partial_ambulatory_only is True
    assert inside.qualification_role == "specialist" and inside.accredited
    outside = resolve_facts(SPECIALIST, agreements=AGREEMENTS, on=tuesday, at=time(19, 0),
                            labels=LABELS)  # fmt: skip
    assert outside.in_declared_block is False and outside.deviates_at_time is False
    no_time = resolve_facts(SPECIALIST, agreements=AGREEMENTS, on=tuesday, labels=LABELS)
    assert no_time.in_declared_block is None and no_time.deviates_at_time is None


def test_no_answer_recorded_means_fully_conventioned():
    facts = resolve_facts(SPECIALIST, agreements=AGREEMENTS, on=D("2025-03-03"), labels=LABELS)
    assert facts.agreement == "doctors-2024-2025"
    assert facts.adherence == "full" and facts.convention_status == "conventioned"


def test_refusal_applies_from_its_effective_date():
    gp = ProviderRecord(
        "19003387", "doctor", (DatedCode("003", D("2008-09-01"), None),),
        adherences=(AdherenceTerm("doctors-2024-2025", "refused", D("2025-01-01")),),
    )  # fmt: skip
    assert resolve_facts(gp, agreements=AGREEMENTS, on=D("2024-06-01")).convention_status == (
        "conventioned"
    )
    later = resolve_facts(gp, agreements=AGREEMENTS, on=D("2025-06-01"))
    assert later.convention_status == "non-conventioned" and later.deviates_at_time is True
    assert later.nihii == "19003387003"


def test_no_agreement_in_force_means_no_status():
    physio = ProviderRecord(
        "59004110", "physiotherapist", (DatedCode("001", D("2016-06-01"), None),),
        adherences=(AdherenceTerm("physio-m25", "refused", D("2025-05-01")),),
    )  # fmt: skip
    gap = resolve_facts(physio, agreements=AGREEMENTS, on=D("2025-03-01"))
    assert gap.agreement is None and gap.convention_status is None
    assert gap.physio_convention_in_force is False
    after = resolve_facts(physio, agreements=AGREEMENTS, on=D("2025-06-01"))
    assert after.convention_status == "non-conventioned" and after.physio_convention_in_force


def test_qualification_on_a_date_changes_the_number():
    career = ProviderRecord(
        "19001706", "doctor",
        (DatedCode("005", D("2012-10-01"), D("2014-12-31")),
         DatedCode("004", D("2015-01-01"), None)),
    )  # fmt: skip
    assert resolve_facts(career, agreements=(), on=D("2014-12-31")).nihii == "19001706005"
    assert resolve_facts(career, agreements=(), on=D("2015-01-01")).nihii == "19001706004"
    before = resolve_facts(career, agreements=(), on=D("2000-01-01"))
    assert before.qualification is None and before.nihii == "19001706000"


# ------------------------------------------------------------------ may_attest

RULES = (
    AttestRule("code", "101076", "101076", "", parse_allowed("doctor:003-004"), True,
               D("2024-01-01"), None, "", ""),
    AttestRule("range", "102012", "102896", "", parse_allowed("doctor:010-999"), False,
               D("2014-01-01"), None, "", ""),
    AttestRule("article", "", "", "5", (Allowed("dentist"),), False, D("2014-01-01"), None, "",
               ""),
)  # fmt: skip


def test_101076_only_by_an_accredited_gp():
    on = D("2026-03-02")
    assert may_attest("101076", Attester("doctor", "004", True), on, rules=RULES) is True
    assert may_attest("101076", Attester("doctor", "004", False), on, rules=RULES) is False
    assert may_attest("101076", Attester("doctor", "100", True), on, rules=RULES) is False
    assert may_attest("101076", Attester("dentist", "001", True), on, rules=RULES) is False


def test_specialist_consultations_by_specialists_and_dental_by_dentists():
    on = D("2026-03-02")
    assert may_attest("102535", Attester("doctor", "100"), on, rules=RULES) is True
    assert may_attest("102535", Attester("doctor", "004"), on, rules=RULES) is False
    assert may_attest("301593", Attester("dentist", "001"), on, rules=RULES, article="5") is True
    assert may_attest("301593", Attester("doctor", "004"), on, rules=RULES, article="5") is False


def test_no_rule_is_no_answer_and_rules_are_dated():
    assert may_attest("560011", Attester("doctor", "004"), D("2026-03-02"), rules=RULES) is None
    assert may_attest("101076", Attester("doctor", "100"), D("2023-12-31"), rules=RULES) is None


def test_parse_allowed():
    assert [str(a) for a in parse_allowed("doctor:3-4 dentist")] == ["doctor:003-004", "dentist"]
    with pytest.raises(InvalidInput):
        parse_allowed("")
