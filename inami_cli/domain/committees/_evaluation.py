"""Quorum, majority and parity applied to an attendance and a vote.

The meaning of each rule, with its legal source, is in the package docstring
(``inami_cli.domain.committees``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inami_cli.domain.committees._model import DECISION_KINDS, CommitteeRules, MajorityRule
from inami_cli.domain.committees._votes import Vote
from inami_cli.domain.errors import InvalidInput


@dataclass(frozen=True)
class Outcome:
    """What the committee's rules make of an attendance and a vote."""

    quorum_reached: bool
    majority_reached: bool
    adopted: bool
    reason: str
    present_voting: int = 0
    totals: Vote = field(default_factory=Vote)
    parity_abstentions: Mapping[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """``adopted`` or ``rejected``."""
        return "adopted" if self.adopted else "rejected"


def parity_abstentions(
    rules: CommitteeRules, attendance_by_group: Mapping[str, int]
) -> dict[str, int]:
    """How many of each voting group's youngest members must abstain to restore parity.

    Only for committees with ``parity = "youngest_abstain"`` (CNMM, RD 3 July 1996 art. 27);
    empty otherwise or when the groups are already equal.
    """
    if rules.parity != "youngest_abstain":
        return {}
    present = {g.code: attendance_by_group.get(g.code, 0) for g in rules.voting_groups}
    smallest = min(present.values(), default=0)
    return {g: n - smallest for g, n in present.items() if n > smallest}


def check_attendance(rules: CommitteeRules, attendance_by_group: Mapping[str, int]) -> None:
    """``InvalidInput`` when a group is unknown or has more members present than seats."""
    for gcode, present in attendance_by_group.items():
        group = rules.group(gcode)
        if present < 0:
            raise InvalidInput(f"{rules.code} {gcode}: {present} present is negative")
        if present > group.seats:
            raise InvalidInput(
                f"{rules.code} {gcode}: {present} present but the group has {group.seats} seats"
            )


def evaluate_quorum(
    rules: CommitteeRules, attendance_by_group: Mapping[str, int]
) -> tuple[bool, str]:
    """Whether the quorum is reached, and if not why (naming the short group)."""
    check_attendance(rules, attendance_by_group)
    voting = rules.voting_groups
    present = {g.code: attendance_by_group.get(g.code, 0) for g in voting}
    total = sum(present.values())
    kind = rules.quorum.kind
    if kind == "none":
        return True, ""
    if kind == "half":
        seats = rules.voting_seats
        # "au moins la moitié": exactly half is enough; with 15 seats that means 8.
        needed = (seats + 1) // 2
        if total >= needed:
            return True, ""
        return False, f"no quorum: {total} of {seats} voting members present, {needed} required"
    short: list[str] = []
    for group in voting:
        needed = rules.quorum.minimum if kind == "min_each_group" else (group.seats + 1) // 2
        if present[group.code] < needed:
            short.append(f"{group.code} {present[group.code]} present, {needed} required")
    if short:
        return False, "no quorum: " + "; ".join(short)
    return True, ""


def _majority(
    rule: MajorityRule, rules: CommitteeRules, votes: Mapping[str, Vote], totals: Vote
) -> tuple[bool, str]:
    counts = f"{totals.favour} for, {totals.against} against, {totals.abstain} abstaining"
    if rule.no_abstention:
        abstaining = [f"{g} {v.abstain}" for g, v in votes.items() if v.abstain]
        if abstaining:
            return False, f"no majority: abstention not allowed ({', '.join(abstaining)}); {counts}"
    if totals.cast == 0:
        return False, f"no majority: no vote cast ({counts})"
    if rule.kind == "two_thirds":
        # favour / cast >= 2/3, in integers
        if 3 * totals.favour >= 2 * totals.cast:
            return True, counts
        needed = (2 * totals.cast + 2) // 3
        return False, (
            f"no majority: {counts}; two thirds of {totals.cast} votes cast needs {needed} for"
        )
    if totals.favour == totals.against:
        return False, f"no majority: {counts} (a tie rejects)"
    if totals.favour < totals.against:
        return False, f"no majority: {counts}"
    if rule.kind == "min_each_group":
        short = [
            f"{g.code} {votes.get(g.code, Vote()).favour} for"
            for g in rules.voting_groups
            if votes.get(g.code, Vote()).favour < rule.minimum
        ]
        if short:
            return False, (
                f"no majority: at least {rule.minimum} for needed in each group "
                f"({'; '.join(short)}); {counts}"
            )
    return True, counts


def evaluate(
    rules: CommitteeRules,
    attendance_by_group: Mapping[str, int],
    votes_by_group: Mapping[str, Vote],
    *,
    kind: str = "other",
    vote_round: int = 1,
) -> Outcome:
    """Apply the committee's quorum and majority rules to an attendance and a vote.

    *attendance_by_group* counts the members sitting per group (a substitute sitting for an
    absent effective member counts once); *votes_by_group* gives for/against/abstain per
    group. The majority rule is the one for the decision *kind* (``majority_by_kind``), and
    its ``second_round`` from *vote_round* 2 on. Raises ``InvalidInput`` when the vote is
    impossible: an unknown or advisory group voting, more votes than members present, more
    votes than parity allows.
    """
    if kind not in DECISION_KINDS:
        raise InvalidInput(f"kind {kind!r} is not one of {', '.join(DECISION_KINDS)}")
    if vote_round < 1:
        raise InvalidInput(f"vote round {vote_round} must be 1 or more")
    check_attendance(rules, attendance_by_group)
    parity = parity_abstentions(rules, attendance_by_group)
    for gcode, vote in votes_by_group.items():
        group = rules.group(gcode)
        if not group.voting:
            if vote.total:
                raise InvalidInput(f"{rules.code} {gcode} is advisory and does not vote")
            continue
        present = attendance_by_group.get(gcode, 0)
        if vote.total > present:
            raise InvalidInput(
                f"{rules.code} {gcode}: {vote.total} votes ({vote}) but {present} members present"
            )
        excess = parity.get(gcode, 0)
        if excess and vote.total > present - excess:
            raise InvalidInput(
                f"{rules.code} {gcode}: {vote.total} votes but parity allows {present - excess} "
                f"(the {excess} youngest present must abstain, RD 3 July 1996 art. 27)"
            )
    voting_votes = {g: v for g, v in votes_by_group.items() if rules.group(g).voting}
    totals = sum(voting_votes.values(), Vote())
    present_voting = sum(attendance_by_group.get(g.code, 0) for g in rules.voting_groups)
    quorum_ok, quorum_reason = evaluate_quorum(rules, attendance_by_group)
    rule = rules.majority_for(kind)
    if vote_round >= 2 and rule.second_round is not None:
        rule = rule.second_round
    majority_ok, majority_reason = _majority(rule, rules, voting_votes, totals)
    if not quorum_ok:
        reason = quorum_reason
    elif majority_ok:
        reason = f"adopted: {majority_reason}"
    else:
        reason = majority_reason
    return Outcome(
        quorum_reached=quorum_ok,
        majority_reached=majority_ok,
        adopted=quorum_ok and majority_ok,
        reason=reason,
        present_voting=present_voting,
        totals=totals,
        parity_abstentions=parity,
    )
