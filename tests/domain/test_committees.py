"""Quorum and majority of the real committees (config/committees.toml), pure."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain.committees import (
    CommitteeRules,
    Vote,
    evaluate,
    format_decision_number,
    format_votes,
    next_sequence,
    parity_abstentions,
    parse_decision_number,
    parse_votes,
    rules_from_dict,
    rules_to_dict,
    tally,
    validate_rules,
)
from inami_cli.domain.errors import ConfigError, InvalidInput

CONFIG = Path(__file__).resolve().parents[2] / "config" / "committees.toml"
RAW: dict[str, Any] = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["committee"]
REAL = {code: rules_from_dict(code, data) for code, data in RAW.items()}


def rules(code: str) -> CommitteeRules:
    return REAL[code]


def test_all_real_committees_load() -> None:
    assert set(REAL) == {"CGG", "CG", "CASS", "CNMM", "CNDM", "CTM", "CGI"}
    assert rules("CGG").voting_seats == 15
    assert rules("CG").voting_seats == 21  # the chair and the 20 of the first four groups
    assert rules("CASS").voting_seats == 42
    assert rules("CNMM").voting_seats == 24


@pytest.mark.parametrize("code", sorted(RAW))
def test_rules_round_trip(code: str) -> None:
    again = rules_from_dict(code, rules_to_dict(REAL[code]))
    assert again == REAL[code]


# ---------------------------------------------------------------- quorum "half"


@pytest.mark.parametrize(
    ("code", "present", "reached"),
    [
        ("CGG", {"employers": 3, "workers": 3, "sickness_funds": 2}, True),  # 8 of 15
        ("CGG", {"employers": 3, "workers": 2, "sickness_funds": 2}, False),  # 7 of 15
        ("CTM", {"practitioners": 8, "fund_doctors": 4}, True),  # exactly half of 24
        ("CTM", {"practitioners": 8, "fund_doctors": 3}, False),
        ("CASS", {"sickness_funds": 11, "doctors_dentists": 10}, True),  # exactly 21 of 42
        ("CASS", {"sickness_funds": 11, "doctors_dentists": 9}, False),
        ("CG", {"chair": 1, "government": 5, "employers": 5}, True),  # 11 of 21
        ("CG", {"government": 5, "employers": 5}, False),
        ("CGI", {"chair": 1, "self_employed": 10}, True),  # 11 of 21
        ("CGI", {"self_employed": 10}, False),
    ],
)
def test_quorum_half(code: str, present: dict[str, int], reached: bool) -> None:
    outcome = evaluate(rules(code), present, {})
    assert outcome.quorum_reached is reached
    if not reached:
        assert outcome.reason.startswith("no quorum:")
        assert not outcome.adopted


def test_advisory_members_do_not_count_for_quorum() -> None:
    present = {"employers": 3, "workers": 2, "sickness_funds": 2, "government": 3, "chair": 3}
    outcome = evaluate(rules("CGG"), present, {})
    assert not outcome.quorum_reached
    assert outcome.reason == "no quorum: 7 of 15 voting members present, 8 required"


def test_more_present_than_seats_is_refused() -> None:
    with pytest.raises(InvalidInput, match="6 present but the group has 5 seats"):
        evaluate(rules("CGG"), {"workers": 6}, {})


# ---------------------------------------------------------------- simple majority

FULL_CGG = {"employers": 5, "workers": 5, "sickness_funds": 5}


@pytest.mark.parametrize(
    ("votes", "adopted", "reason"),
    [
        ("employers:4/1/0,workers:3/2/0,sickness_funds:2/3/0", True, "adopted: 9 for, 6 against"),
        # a tie rejects
        ("employers:5/0/0,workers:0/5/0,sickness_funds:2/2/1", False, "(a tie rejects)"),
        # abstentions are not counted: 2 for, 1 against, 12 abstaining adopts
        ("employers:1/0/4,workers:1/0/4,sickness_funds:0/1/4", True, "2 for, 1 against"),
        ("employers:0/0/5,workers:0/0/5,sickness_funds:0/0/5", False, "no vote cast"),
        ("employers:2/3/0,workers:2/3/0,sickness_funds:3/2/0", False, "7 for, 8 against"),
    ],
)
def test_cgg_simple_majority(votes: str, adopted: bool, reason: str) -> None:
    outcome = evaluate(rules("CGG"), FULL_CGG, parse_votes(votes))
    assert outcome.quorum_reached
    assert outcome.adopted is adopted
    assert outcome.majority_reached is adopted
    assert reason in outcome.reason


def test_ctm_tie_rejects() -> None:
    outcome = evaluate(
        rules("CTM"),
        {"practitioners": 10, "fund_doctors": 4},
        {"practitioners": Vote(5, 5, 0), "fund_doctors": Vote(2, 2, 0)},
        kind="nomenclature",
    )
    assert outcome.quorum_reached and not outcome.majority_reached
    assert outcome.reason == "no majority: 7 for, 7 against, 0 abstaining (a tie rejects)"


@pytest.mark.parametrize(
    ("code", "group"),
    [("CGG", "government"), ("CASS", "social_partners"), ("CG", "providers")],
)
def test_advisory_group_cannot_vote(code: str, group: str) -> None:
    committee = rules(code)
    present = {g.code: g.seats for g in committee.groups}
    with pytest.raises(InvalidInput, match=f"{group} is advisory"):
        evaluate(committee, present, {group: Vote(1, 0, 0)})


def test_advisory_group_with_zero_votes_is_ignored() -> None:
    outcome = evaluate(
        rules("CGG"), FULL_CGG, {"workers": Vote(5, 0, 0), "government": Vote(0, 0, 0)}
    )
    assert outcome.adopted


def test_more_votes_than_present_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"6 votes .* but 5 members present"):
        evaluate(rules("CGG"), FULL_CGG, {"workers": Vote(4, 1, 1)})


def test_unknown_group_is_refused() -> None:
    with pytest.raises(InvalidInput, match="CGG has no group 'doctors'"):
        evaluate(rules("CGG"), FULL_CGG, {"doctors": Vote(1, 0, 0)})


# ---------------------------------------------------------------- CASS two thirds

FULL_CASS = {g.code: g.seats for g in REAL["CASS"].voting_groups}


def test_cass_agreement_two_thirds_first_vote_fails_2017() -> None:
    # press, 2017: the agreement got 21 for, 16 against and failed on the first vote
    votes = {
        "sickness_funds": Vote(5, 16, 0),
        "doctors_dentists": Vote(10, 0, 0),
        "pharmacists": Vote(3, 0, 0),
        "institutions": Vote(3, 0, 0),
    }
    first = evaluate(rules("CASS"), FULL_CASS, votes, kind="agreement")
    assert not first.adopted
    assert "two thirds of 37 votes cast needs 25 for" in first.reason
    second = evaluate(rules("CASS"), FULL_CASS, votes, kind="agreement", vote_round=2)
    assert second.adopted


@pytest.mark.parametrize(("favour", "against", "adopted"), [(20, 10, True), (19, 10, False)])
def test_cass_two_thirds_boundary(favour: int, against: int, adopted: bool) -> None:
    votes = {"sickness_funds": Vote(favour, 0, 0), "doctors_dentists": Vote(0, against, 0)}
    assert evaluate(rules("CASS"), FULL_CASS, votes, kind="agreement").adopted is adopted


def test_cass_tariff_is_simple_majority() -> None:
    votes = {"sickness_funds": Vote(19, 0, 2), "doctors_dentists": Vote(0, 10, 0)}
    outcome = evaluate(rules("CASS"), FULL_CASS, votes, kind="tariff")
    assert outcome.adopted


# ---------------------------------------------------------------- CNMM / CNDM


@pytest.mark.parametrize("code", ["CNMM", "CNDM"])
@pytest.mark.parametrize(
    ("present", "reached", "reason"),
    [
        ((5, 5), True, ""),
        ((4, 5), False, "no quorum: {a} 4 present, 5 required"),
        ((5, 4), False, "no quorum: sickness_funds 4 present, 5 required"),
        ((3, 2), False, "{a} 3 present, 5 required; sickness_funds 2 present, 5 required"),
    ],
)
def test_agreement_commissions_quorum_five_each(
    code: str, present: tuple[int, int], reached: bool, reason: str
) -> None:
    providers = rules(code).groups[0].code
    attendance = {providers: present[0], "sickness_funds": present[1]}
    outcome = evaluate(rules(code), attendance, {})
    assert outcome.quorum_reached is reached
    assert reason.format(a=providers) in outcome.reason


FULL_CNMM = {"doctors": 12, "sickness_funds": 12}


@pytest.mark.parametrize(
    ("doctors", "funds", "adopted", "reason"),
    [
        (Vote(6, 6, 0), Vote(12, 0, 0), True, "adopted"),
        (Vote(5, 7, 0), Vote(12, 0, 0), False, "doctors 5 for"),  # one group short
        (Vote(12, 0, 0), Vote(5, 0, 0), False, "sickness_funds 5 for"),
        (Vote(11, 0, 1), Vote(12, 0, 0), False, "abstention not allowed (doctors 1)"),
        (Vote(6, 6, 0), Vote(6, 6, 0), False, "a tie rejects"),
    ],
)
def test_cnmm_agreement_needs_six_in_each_group_and_no_abstention(
    doctors: Vote, funds: Vote, adopted: bool, reason: str
) -> None:
    outcome = evaluate(
        rules("CNMM"), FULL_CNMM, {"doctors": doctors, "sickness_funds": funds}, kind="agreement"
    )
    assert outcome.adopted is adopted
    assert reason in outcome.reason


def test_cnmm_other_decisions_simple_majority_abstentions_allowed() -> None:
    outcome = evaluate(
        rules("CNMM"),
        FULL_CNMM,
        {"doctors": Vote(3, 0, 9), "sickness_funds": Vote(2, 4, 6)},
        kind="tariff",
    )
    assert outcome.adopted


def test_cnmm_parity_youngest_abstain() -> None:
    attendance = {"doctors": 8, "sickness_funds": 6}
    assert parity_abstentions(rules("CNMM"), attendance) == {"doctors": 2}
    with pytest.raises(InvalidInput, match=r"parity allows 6 .*2 youngest"):
        evaluate(rules("CNMM"), attendance, {"doctors": Vote(7, 0, 0)})
    ok = evaluate(rules("CNMM"), attendance, {"doctors": Vote(6, 0, 0)})
    assert ok.adopted and ok.parity_abstentions == {"doctors": 2}
    assert parity_abstentions(rules("CGG"), {"workers": 5}) == {}


# ---------------------------------------------------------------- properties

votes_st = st.builds(Vote, st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)).filter(
    lambda v: v.total <= 5
)


@given(votes_st, votes_st, votes_st)
def test_simple_majority_never_adopts_both_ways(a: Vote, b: Vote, c: Vote) -> None:
    votes = {"employers": a, "workers": b, "sickness_funds": c}
    flipped = {g: Vote(v.against, v.favour, v.abstain) for g, v in votes.items()}
    one = evaluate(rules("CGG"), FULL_CGG, votes)
    two = evaluate(rules("CGG"), FULL_CGG, flipped)
    assert not (one.adopted and two.adopted)
    assert one.adopted == (one.totals.favour > one.totals.against)


@given(votes_st, votes_st, votes_st)
def test_adopted_means_quorum_and_majority(a: Vote, b: Vote, c: Vote) -> None:
    present = {"employers": a.total, "workers": b.total, "sickness_funds": c.total}
    outcome = evaluate(rules("CGG"), present, {"employers": a, "workers": b, "sickness_funds": c})
    assert outcome.adopted == (outcome.quorum_reached and outcome.majority_reached)


# ---------------------------------------------------------------- validation


def problems_of(patch: dict[str, Any], code: str = "CGG") -> list[tuple[tuple[str, ...], str]]:
    data = {**RAW[code], **patch}
    rules_, problems = validate_rules(code, data)
    assert rules_ is None
    return [(p.path, p.message) for p in problems]


def test_validation_messages() -> None:
    assert problems_of({"quorum": {"kind": "most"}}) == [
        (
            ("quorum", "kind"),
            "quorum kind 'most' is not one of half, half_each_group, min_each_group, none",
        )
    ]
    assert problems_of({"quorum": {"kind": "min_each_group"}}) == [
        (("quorum", "minimum"), "min_each_group needs 'minimum', an integer >= 1")
    ]
    assert problems_of({"equal_seats": [["employers"], ["doctors"]]})[0] == (
        ("equal_seats",),
        "equal_seats names unknown group 'doctors'",
    )
    groups = {**RAW["CGG"]["groups"], "workers": {**RAW["CGG"]["groups"]["workers"], "seats": 4}}
    assert problems_of({"groups": groups}) == [
        (("equal_seats",), "seats do not match: employers = 5 vs workers = 4 vs sickness_funds = 5")
    ]
    groups = {**RAW["CGG"]["groups"], "workers": {"seats": 0}}
    assert (("groups", "workers", "seats"), "group workers: seats must be an integer >= 1") in (
        problems_of({"groups": groups})
    )
    assert problems_of({"majority": {"kind": "unanimity"}})[0][0] == ("majority", "kind")
    assert problems_of({"colour": "blue"}) == [(("colour",), "unknown key 'colour'")]
    assert problems_of({"majority_by_kind": {"party": {"kind": "simple"}}})[0][0] == (
        "majority_by_kind",
        "party",
    )
    assert problems_of({"parity": "oldest"}) == [
        (("parity",), "parity 'oldest' is not one of youngest_abstain")
    ]
    cnmm_too_many = {"quorum": {"kind": "min_each_group", "minimum": 13}}
    assert "doctors, sickness_funds has fewer seats" in problems_of(cnmm_too_many, "CNMM")[0][1]


def test_rules_from_dict_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"committee\.CGG\.quorum\.kind: quorum kind"):
        rules_from_dict("CGG", {**RAW["CGG"], "quorum": {"kind": "x"}})


# ---------------------------------------------------------------- votes and numbers


def test_parse_votes() -> None:
    votes = parse_votes("workers:8/0/0, employers:6/1/1")
    assert votes == {"workers": Vote(8, 0, 0), "employers": Vote(6, 1, 1)}
    assert format_votes(votes) == "workers:8/0/0,employers:6/1/1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("workers:8/0", "'workers:8/0' is not group:for/against/abstain"),
        ("workers:8/0/0,workers:1/0/0", "group 'workers' given twice"),
        ("", "empty"),
    ],
)
def test_parse_votes_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_votes(text)


def test_tally_member_votes() -> None:
    counted = tally([("doctors", "for"), ("doctors", "abstain"), ("sickness_funds", "against")])
    assert counted == {"doctors": Vote(1, 0, 1), "sickness_funds": Vote(0, 1, 0)}
    with pytest.raises(InvalidInput, match="'maybe'"):
        tally([("doctors", "maybe")])


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("CASS 2026/014", ("CASS", 2026, 14)),
        ("cass 2026/14", ("CASS", 2026, 14)),
        ("CNMM-2023-001", ("CNMM", 2023, 1)),
    ],
)
def test_parse_decision_number(text: str, parsed: tuple[str, int, int]) -> None:
    assert parse_decision_number(text) == parsed


@pytest.mark.parametrize("text", ["CASS", "2026/014", "CASS 2026/0", "CASS 26/1"])
def test_parse_decision_number_errors(text: str) -> None:
    with pytest.raises(InvalidInput, match="decision number"):
        parse_decision_number(text)


@given(st.sampled_from(sorted(RAW)), st.integers(1900, 2999), st.integers(1, 99999))
def test_decision_number_round_trip(code: str, year: int, seq: int) -> None:
    text = format_decision_number(code, year, seq)
    assert parse_decision_number(text) == (code, year, seq)


def test_numbering() -> None:
    assert format_decision_number("CASS", 2026, 14) == "CASS 2026/014"
    assert next_sequence([]) == 1
    assert next_sequence([1, 2, 13]) == 14
