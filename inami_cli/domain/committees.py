"""Committees as data: groups and seats, quorum and majority rules, and their evaluation.

A committee's composition and voting rules come from ``config/committees.toml`` (the real
bodies of DOMAIN.md section 5, law of 14 July 1994 and royal decree of 3 July 1996). This
module turns such a table into immutable rules (with every problem reported against its key
path, so the loader can print ``FILE:LINE``) and evaluates a vote against them:

* quorum: ``half`` (at least half of the voting seats filled - "au moins la moitié",
  so exactly half is enough), ``half_each_group``, ``min_each_group`` (at least N members of
  each voting group: the agreement commissions sit validly with five members of each group,
  RD 4 November 1963 art. 43, now RD 3 July 1996 art. 27), or ``none``;
* majority: ``simple`` (more votes for than against among the votes cast; abstentions are not
  counted and a tie rejects, RD 3 July 1996 art. 3), ``two_thirds`` (of the votes cast), or
  ``min_each_group`` (the simple majority and at least N votes for in each voting group, with
  no abstention if so configured: the CNMM concludes an agreement only that way, RD art. 27);
* parity (optional, ``youngest_abstain``): when one voting group has more members present
  than another, its youngest members abstain until the groups are equal (RD art. 27). The
  evaluation checks that the larger group did not cast more votes than parity allows.

Advisory groups (``voting = false``) sit but neither count for the quorum nor vote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from inami_cli.domain.errors import ConfigError, InvalidInput

QUORUM_KINDS = ("half", "half_each_group", "min_each_group", "none")
MAJORITY_KINDS = ("simple", "two_thirds", "min_each_group")
PARITY_KINDS = ("youngest_abstain",)
DECISION_KINDS = ("tariff", "nomenclature", "agreement", "budget", "opinion", "other")
DECISION_STATES = ("draft", "adopted", "rejected")
MEETING_STATES = ("planned", "held", "closed")
STEP_KINDS = ("proposal", "advice", "decision", "opinion", "publication", "in_force")
MEMBER_ROLES = ("effective", "substitute")
VOTE_CHOICES = ("for", "against", "abstain")

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_GROUP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NUMBER = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]{0,15})\s*[ -]\s*(\d{4})\s*[/-]\s*(\d{1,6})\s*$")
_COMMITTEE_KEYS = frozenset(
    {
        "name_fr",
        "name_nl",
        "source",
        "groups",
        "quorum",
        "majority",
        "majority_by_kind",
        "parity",
        "equal_seats",
    }
)
_GROUP_KEYS = frozenset({"name_fr", "name_nl", "seats", "substitutes", "voting", "source"})


# ---------------------------------------------------------------- rules


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


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_majority(
    data: object, path: tuple[str, ...], problems: list[RuleProblem]
) -> MajorityRule | None:
    if not isinstance(data, Mapping):
        problems.append(RuleProblem(path, "must be a table with a 'kind'"))
        return None
    unknown = set(data) - {"kind", "minimum", "no_abstention", "second_round"}
    for key in sorted(unknown):
        problems.append(RuleProblem((*path, key), f"unknown key {key!r}"))
    kind = data.get("kind")
    if kind not in MAJORITY_KINDS:
        problems.append(
            RuleProblem(
                (*path, "kind"),
                f"majority kind {kind!r} is not one of {', '.join(MAJORITY_KINDS)}",
            )
        )
        return None
    minimum = data.get("minimum", 0)
    if kind == "min_each_group":
        if _as_int(minimum) is None or minimum < 1:
            problems.append(
                RuleProblem((*path, "minimum"), "min_each_group needs 'minimum', an integer >= 1")
            )
            return None
    elif "minimum" in data:
        problems.append(RuleProblem((*path, "minimum"), f"'minimum' is meaningless for {kind}"))
    no_abstention = data.get("no_abstention", False)
    if not isinstance(no_abstention, bool):
        problems.append(RuleProblem((*path, "no_abstention"), "must be true or false"))
        return None
    second: MajorityRule | None = None
    if "second_round" in data:
        second = _check_majority(data["second_round"], (*path, "second_round"), problems)
        if second is None:
            return None
    return MajorityRule(
        kind=str(kind), minimum=int(minimum), no_abstention=no_abstention, second_round=second
    )


def validate_rules(
    code: str, data: Mapping[str, Any]
) -> tuple[CommitteeRules | None, list[RuleProblem]]:
    """Check one ``[committee.CODE]`` table; return the rules (None if invalid) and problems.

    Every problem names its key path so the caller can point at the line of the file.
    """
    problems: list[RuleProblem] = []
    if not _CODE.match(code):
        problems.append(
            RuleProblem((), f"committee code {code!r}: use capitals and digits (e.g. CASS)")
        )
    for key in sorted(set(data) - _COMMITTEE_KEYS):
        problems.append(RuleProblem((key,), f"unknown key {key!r}"))
    names: dict[str, str] = {}
    for key in ("name_fr", "name_nl"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(RuleProblem((key,), f"{key} is required (a non-empty string)"))
        else:
            names[key] = value.strip()
    source = data.get("source", "")
    if not isinstance(source, str):
        problems.append(RuleProblem(("source",), "source must be a string"))
        source = ""

    groups: list[GroupRule] = []
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, Mapping) or not raw_groups:
        problems.append(RuleProblem(("groups",), "at least one group is required"))
        raw_groups = {}
    for gcode, gdata in raw_groups.items():
        gpath = ("groups", str(gcode))
        if not _GROUP.match(str(gcode)):
            problems.append(
                RuleProblem(gpath, f"group code {gcode!r}: use lower-case letters, digits, _")
            )
            continue
        if not isinstance(gdata, Mapping):
            problems.append(RuleProblem(gpath, "a group must be a table"))
            continue
        for key in sorted(set(gdata) - _GROUP_KEYS):
            problems.append(RuleProblem((*gpath, key), f"unknown key {key!r}"))
        seats = _as_int(gdata.get("seats"))
        if seats is None or seats < 1:
            problems.append(
                RuleProblem((*gpath, "seats"), f"group {gcode}: seats must be an integer >= 1")
            )
            continue
        substitutes = _as_int(gdata.get("substitutes", 0))
        if substitutes is None or substitutes < 0:
            problems.append(
                RuleProblem(
                    (*gpath, "substitutes"), f"group {gcode}: substitutes must be an integer >= 0"
                )
            )
            continue
        voting = gdata.get("voting", True)
        if not isinstance(voting, bool):
            problems.append(
                RuleProblem((*gpath, "voting"), f"group {gcode}: voting must be true or false")
            )
            continue
        name_fr = gdata.get("name_fr", gcode)
        name_nl = gdata.get("name_nl", name_fr)
        groups.append(GroupRule(str(gcode), str(name_fr), str(name_nl), seats, substitutes, voting))
    group_codes = {g.code for g in groups}
    if groups and not any(g.voting for g in groups):
        problems.append(RuleProblem(("groups",), "no group votes: set voting = true on one"))

    quorum: QuorumRule | None = None
    raw_quorum = data.get("quorum")
    if not isinstance(raw_quorum, Mapping):
        problems.append(RuleProblem(("quorum",), "quorum is required: a table with a 'kind'"))
    else:
        for key in sorted(set(raw_quorum) - {"kind", "minimum"}):
            problems.append(RuleProblem(("quorum", key), f"unknown key {key!r}"))
        kind = raw_quorum.get("kind")
        minimum = raw_quorum.get("minimum", 0)
        if kind not in QUORUM_KINDS:
            problems.append(
                RuleProblem(
                    ("quorum", "kind"),
                    f"quorum kind {kind!r} is not one of {', '.join(QUORUM_KINDS)}",
                )
            )
        elif kind == "min_each_group" and (_as_int(minimum) is None or minimum < 1):
            problems.append(
                RuleProblem(
                    ("quorum", "minimum"), "min_each_group needs 'minimum', an integer >= 1"
                )
            )
        elif kind != "min_each_group" and "minimum" in raw_quorum:
            problems.append(
                RuleProblem(("quorum", "minimum"), f"'minimum' is meaningless for {kind}")
            )
        else:
            quorum = QuorumRule(kind=str(kind), minimum=int(minimum))
            too_small = [
                g.code
                for g in groups
                if g.voting and kind == "min_each_group" and g.seats < minimum
            ]
            if too_small:
                problems.append(
                    RuleProblem(
                        ("quorum", "minimum"),
                        f"quorum needs {minimum} members of each group but "
                        f"{', '.join(too_small)} has fewer seats",
                    )
                )

    majority: MajorityRule | None = None
    if "majority" not in data:
        problems.append(RuleProblem(("majority",), "majority is required: a table with a 'kind'"))
    else:
        majority = _check_majority(data["majority"], ("majority",), problems)
        if majority is not None and majority.kind == "min_each_group":
            _check_group_minimum(majority, groups, ("majority", "minimum"), problems)

    by_kind: dict[str, MajorityRule] = {}
    raw_by_kind = data.get("majority_by_kind", {})
    if not isinstance(raw_by_kind, Mapping):
        problems.append(RuleProblem(("majority_by_kind",), "must be a table of decision kinds"))
        raw_by_kind = {}
    for dkind, rdata in raw_by_kind.items():
        path = ("majority_by_kind", str(dkind))
        if dkind not in DECISION_KINDS:
            problems.append(
                RuleProblem(
                    path, f"decision kind {dkind!r} is not one of {', '.join(DECISION_KINDS)}"
                )
            )
            continue
        rule = _check_majority(rdata, path, problems)
        if rule is not None:
            if rule.kind == "min_each_group":
                _check_group_minimum(rule, groups, (*path, "minimum"), problems)
            by_kind[str(dkind)] = rule

    parity = data.get("parity")
    if parity is not None and parity not in PARITY_KINDS:
        problems.append(
            RuleProblem(("parity",), f"parity {parity!r} is not one of {', '.join(PARITY_KINDS)}")
        )

    raw_equal = data.get("equal_seats", [])
    if not isinstance(raw_equal, list) or not all(
        isinstance(side, list) and side and all(isinstance(c, str) for c in side)
        for side in raw_equal
    ):
        problems.append(
            RuleProblem(
                ("equal_seats",),
                'equal_seats is a list of lists of group codes: [["a"], ["b", "c"]]',
            )
        )
    elif raw_equal:
        seats_by_group = {g.code: g.seats for g in groups}
        sums: list[int] = []
        for side in raw_equal:
            for gcode in side:
                if gcode not in group_codes:
                    problems.append(
                        RuleProblem(("equal_seats",), f"equal_seats names unknown group {gcode!r}")
                    )
            sums.append(sum(seats_by_group.get(c, 0) for c in side))
        if len(set(sums)) > 1 and all(c in group_codes for side in raw_equal for c in side):
            detail = " vs ".join(
                f"{'+'.join(side)} = {total}" for side, total in zip(raw_equal, sums, strict=True)
            )
            problems.append(RuleProblem(("equal_seats",), f"seats do not match: {detail}"))

    if problems or quorum is None or majority is None:
        return None, problems
    return (
        CommitteeRules(
            code=code,
            name_fr=names["name_fr"],
            name_nl=names["name_nl"],
            groups=tuple(groups),
            quorum=quorum,
            majority=majority,
            majority_by_kind=by_kind,
            parity=parity,
            source=str(source),
        ),
        problems,
    )


def _check_group_minimum(
    rule: MajorityRule,
    groups: list[GroupRule],
    path: tuple[str, ...],
    problems: list[RuleProblem],
) -> None:
    short = [g.code for g in groups if g.voting and g.seats < rule.minimum]
    if short:
        problems.append(
            RuleProblem(
                path,
                f"majority needs {rule.minimum} votes for in each group but "
                f"{', '.join(short)} has fewer seats",
            )
        )


def rules_from_dict(code: str, data: Mapping[str, Any]) -> CommitteeRules:
    """Rules from a validated table; ``ConfigError`` with the first problem otherwise."""
    rules, problems = validate_rules(code, data)
    if rules is None:
        first = problems[0] if problems else RuleProblem((), "invalid rules")
        where = ".".join(("committee", code, *first.path))
        raise ConfigError(f"{where}: {first.message}")
    return rules


def _majority_to_dict(rule: MajorityRule) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": rule.kind}
    if rule.kind == "min_each_group":
        out["minimum"] = rule.minimum
    if rule.no_abstention:
        out["no_abstention"] = True
    if rule.second_round is not None:
        out["second_round"] = _majority_to_dict(rule.second_round)
    return out


def rules_to_dict(rules: CommitteeRules) -> dict[str, Any]:
    """The rules as a plain table (the inverse of ``rules_from_dict``), for storage and JSON."""
    out: dict[str, Any] = {
        "name_fr": rules.name_fr,
        "name_nl": rules.name_nl,
        "source": rules.source,
        "groups": {
            g.code: {
                "name_fr": g.name_fr,
                "name_nl": g.name_nl,
                "seats": g.seats,
                "substitutes": g.substitutes,
                "voting": g.voting,
            }
            for g in rules.groups
        },
        "quorum": {"kind": rules.quorum.kind}
        | ({"minimum": rules.quorum.minimum} if rules.quorum.kind == "min_each_group" else {}),
        "majority": _majority_to_dict(rules.majority),
    }
    if rules.majority_by_kind:
        out["majority_by_kind"] = {
            k: _majority_to_dict(v) for k, v in rules.majority_by_kind.items()
        }
    if rules.parity:
        out["parity"] = rules.parity
    return out


# ---------------------------------------------------------------- votes


@dataclass(frozen=True)
class Vote:
    """One group's vote: how many for, against and abstaining."""

    favour: int = 0
    against: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        if min(self.favour, self.against, self.abstain) < 0:
            raise InvalidInput(f"vote {self}: counts cannot be negative")

    @property
    def cast(self) -> int:
        """Votes cast (for + against): abstentions are not counted."""
        return self.favour + self.against

    @property
    def total(self) -> int:
        """Members who took part in the vote, abstentions included."""
        return self.favour + self.against + self.abstain

    def __add__(self, other: Vote) -> Vote:
        return Vote(
            self.favour + other.favour, self.against + other.against, self.abstain + other.abstain
        )

    def __str__(self) -> str:
        return f"{self.favour}/{self.against}/{self.abstain}"


_VOTE_ITEM = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*[:=]\s*(\d+)\s*/\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_votes(text: str) -> dict[str, Vote]:
    """Parse ``"workers:8/0/0,employers:6/1/1"`` (for/against/abstain per group)."""
    votes: dict[str, Vote] = {}
    if not text.strip():
        raise InvalidInput("--votes: empty (use group:for/against/abstain,...)")
    for item in text.split(","):
        match = _VOTE_ITEM.match(item)
        if not match:
            raise InvalidInput(
                f"--votes: {item.strip()!r} is not group:for/against/abstain (e.g. workers:8/0/1)"
            )
        group = match.group(1)
        if group in votes:
            raise InvalidInput(f"--votes: group {group!r} given twice")
        votes[group] = Vote(int(match.group(2)), int(match.group(3)), int(match.group(4)))
    return votes


def format_votes(votes: Mapping[str, Vote]) -> str:
    """The inverse of ``parse_votes``."""
    return ",".join(f"{g}:{v}" for g, v in votes.items())


def tally(member_votes: Iterable[tuple[str, str]]) -> dict[str, Vote]:
    """Count per-member votes ``(group, "for"|"against"|"abstain")`` into per-group votes."""
    counts: dict[str, list[int]] = {}
    for group, choice in member_votes:
        if choice not in VOTE_CHOICES:
            raise InvalidInput(f"vote {choice!r} is not one of {', '.join(VOTE_CHOICES)}")
        counts.setdefault(group, [0, 0, 0])[VOTE_CHOICES.index(choice)] += 1
    return {g: Vote(*c) for g, c in counts.items()}


# ---------------------------------------------------------------- evaluation


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


# ---------------------------------------------------------------- numbering


def format_decision_number(committee: str, year: int, seq: int) -> str:
    """``CASS 2026/014``: committee, year, sequence in the year (three digits at least)."""
    return f"{committee} {year}/{seq:03d}"


def parse_decision_number(text: str) -> tuple[str, int, int]:
    """``"CASS 2026/014"`` (or ``cass 2026/14``, ``CASS-2026-014``) -> ``("CASS", 2026, 14)``."""
    match = _NUMBER.match(text)
    if not match:
        raise InvalidInput(f"decision number {text!r}: expected COMMITTEE YEAR/SEQ (CASS 2026/014)")
    seq = int(match.group(3))
    if seq < 1:
        raise InvalidInput(f"decision number {text!r}: the sequence starts at 1")
    return match.group(1).upper(), int(match.group(2)), seq


def next_sequence(existing: Iterable[int]) -> int:
    """The next number in a committee's year: one more than the highest so far."""
    return max(existing, default=0) + 1
