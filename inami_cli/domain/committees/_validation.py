"""A ``[committee.CODE]`` table checked key by key into rules, and the rules back to a table.

Every problem names its key path below ``committee.CODE`` so the loader can print
``FILE:LINE``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from inami_cli.domain.committees._model import (
    DECISION_KINDS,
    MAJORITY_KINDS,
    PARITY_KINDS,
    QUORUM_KINDS,
    CommitteeRules,
    GroupRule,
    MajorityRule,
    QuorumRule,
    RuleProblem,
)
from inami_cli.domain.errors import ConfigError

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_GROUP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
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
