"""The vocabulary of committees (kinds, states, roles) and their immutable rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inami_cli.domain.errors import InvalidInput

QUORUM_KINDS = ("half", "half_each_group", "min_each_group", "none")
MAJORITY_KINDS = ("simple", "two_thirds", "min_each_group")
PARITY_KINDS = ("youngest_abstain",)
DECISION_KINDS = ("tariff", "nomenclature", "agreement", "budget", "opinion", "other")
DECISION_STATES = ("draft", "adopted", "rejected")
MEETING_STATES = ("planned", "held", "closed")
STEP_KINDS = ("proposal", "advice", "decision", "opinion", "publication", "in_force")
MEMBER_ROLES = ("effective", "substitute")
VOTE_CHOICES = ("for", "against", "abstain")


@dataclass(frozen=True)
class GroupRule:
    """A group that sits in a committee: how many seats, and whether it votes."""

    code: str
    name_fr: str
    name_nl: str
    seats: int
    substitutes: int = 0
    voting: bool = True


@dataclass(frozen=True)
class QuorumRule:
    """When a committee may deliberate validly."""

    kind: str = "half"
    minimum: int = 0  # for min_each_group

    def describe(self) -> str:
        """One line in plain words."""
        return {
            "half": "at least half of the voting members present",
            "half_each_group": "at least half of each voting group present",
            "min_each_group": f"at least {self.minimum} members of each voting group present",
            "none": "no quorum",
        }[self.kind]


@dataclass(frozen=True)
class MajorityRule:
    """When a vote adopts a proposal; ``second_round`` applies from the second vote on."""

    kind: str = "simple"
    minimum: int = 0  # for min_each_group: favourable votes needed in each voting group
    no_abstention: bool = False
    second_round: MajorityRule | None = None

    def describe(self) -> str:
        """One line in plain words."""
        text = {
            "simple": "simple majority of votes cast, abstentions not counted, a tie rejects",
            "two_thirds": "two thirds of votes cast, abstentions not counted",
            "min_each_group": (
                f"simple majority and at least {self.minimum} votes for in each voting group"
            ),
        }[self.kind]
        if self.no_abstention:
            text += ", no abstention"
        if self.second_round is not None:
            text += f"; from the second vote: {self.second_round.describe()}"
        return text


@dataclass(frozen=True)
class CommitteeRules:
    """A committee's composition and voting rules, as configured."""

    code: str
    name_fr: str
    name_nl: str
    groups: tuple[GroupRule, ...]
    quorum: QuorumRule
    majority: MajorityRule
    majority_by_kind: Mapping[str, MajorityRule] = field(default_factory=dict)
    parity: str | None = None
    source: str = ""

    def group(self, code: str) -> GroupRule:
        """The group *code*, or ``InvalidInput`` naming the committee's groups."""
        for group in self.groups:
            if group.code == code:
                return group
        known = ", ".join(g.code for g in self.groups)
        raise InvalidInput(f"{self.code} has no group {code!r} (groups: {known})")

    @property
    def voting_groups(self) -> tuple[GroupRule, ...]:
        """The groups whose members vote."""
        return tuple(g for g in self.groups if g.voting)

    @property
    def voting_seats(self) -> int:
        """Seats of the voting groups."""
        return sum(g.seats for g in self.voting_groups)

    def majority_for(self, kind: str) -> MajorityRule:
        """The majority rule for a decision of *kind* (agreement, tariff, ...)."""
        return self.majority_by_kind.get(kind, self.majority)


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a committee's configuration, at a key path below ``committee.CODE``."""

    path: tuple[str, ...]
    message: str
