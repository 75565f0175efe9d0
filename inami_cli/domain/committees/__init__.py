"""Committees as data: groups and seats, quorum and majority rules, and their evaluation.

A committee's composition and voting rules come from ``config/committees.toml`` (the real
bodies of DOMAIN.md section 5, law of 14 July 1994 and royal decree of 3 July 1996). This
package turns such a table into immutable rules (with every problem reported against its key
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

from inami_cli.domain.committees._evaluation import (
    Outcome,
    check_attendance,
    evaluate,
    evaluate_quorum,
    parity_abstentions,
)
from inami_cli.domain.committees._model import (
    DECISION_KINDS,
    DECISION_STATES,
    MAJORITY_KINDS,
    MEETING_STATES,
    MEMBER_ROLES,
    PARITY_KINDS,
    QUORUM_KINDS,
    STEP_KINDS,
    VOTE_CHOICES,
    CommitteeRules,
    GroupRule,
    MajorityRule,
    QuorumRule,
    RuleProblem,
)
from inami_cli.domain.committees._numbers import (
    format_decision_number,
    next_sequence,
    parse_decision_number,
)
from inami_cli.domain.committees._validation import rules_from_dict, rules_to_dict, validate_rules
from inami_cli.domain.committees._votes import Vote, format_votes, parse_votes, tally

__all__ = [
    "DECISION_KINDS",
    "DECISION_STATES",
    "MAJORITY_KINDS",
    "MEETING_STATES",
    "MEMBER_ROLES",
    "PARITY_KINDS",
    "QUORUM_KINDS",
    "STEP_KINDS",
    "VOTE_CHOICES",
    "CommitteeRules",
    "GroupRule",
    "MajorityRule",
    "Outcome",
    "QuorumRule",
    "RuleProblem",
    "Vote",
    "check_attendance",
    "evaluate",
    "evaluate_quorum",
    "format_decision_number",
    "format_votes",
    "next_sequence",
    "parity_abstentions",
    "parse_decision_number",
    "parse_votes",
    "rules_from_dict",
    "rules_to_dict",
    "tally",
    "validate_rules",
]
