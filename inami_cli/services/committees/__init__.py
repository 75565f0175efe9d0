"""Committees, mandates, meetings and numbered decisions (use cases).

The rules of each committee live in ``config/committees.toml`` and are evaluated by
``domain.committees``; this package stores the composition, the attendance and the votes,
numbers the decisions (``CASS 2026/014``), keeps their revisions, and hands an adopted
decision's tariff changes to the nomenclature import (``services.nomenclature.import_rows``),
so every tariff it sets carries the decision as its source.

Every function takes the caller's ``session`` and never commits it.
"""

from __future__ import annotations

from inami_cli.services.committees._checks import CHECKS, _check_committee_seats
from inami_cli.services.committees._composition import (
    add_member,
    committee_rules_by_code,
    end_member,
    get_rules,
    list_committees,
    list_members,
    show_committee,
)
from inami_cli.services.committees._decisions import (
    list_decisions,
    preview_outcome,
    record_decision,
    revise_decision,
    show_decision,
)
from inami_cli.services.committees._dossiers import MissingDossier, add_step, chain
from inami_cli.services.committees._fixtures import load_fixtures
from inami_cli.services.committees._meetings import (
    add_meeting,
    attend,
    close_meeting,
    list_meetings,
    show_meeting,
)
from inami_cli.services.committees._minutes import minutes, minutes_markdown
from inami_cli.services.committees._rules_file import (
    default_committees_path,
    read_committees_file,
    sync_committees,
)
from inami_cli.services.committees._tariffs import (
    TariffRows,
    apply_decision,
    check_tariff_rows,
    read_tariff_file,
)
from inami_cli.services.committees._views import (
    ApplySummary,
    Attendee,
    Chain,
    CommitteeInfo,
    DecisionInfo,
    GroupInfo,
    MeetingInfo,
    MemberInfo,
    Minutes,
    RevisionInfo,
    StepInfo,
    SyncSummary,
)
from inami_cli.services.committees._votes import parse_vote_file, vote_file_members

__all__ = [
    "CHECKS",
    "ApplySummary",
    "Attendee",
    "Chain",
    "CommitteeInfo",
    "DecisionInfo",
    "GroupInfo",
    "MeetingInfo",
    "MemberInfo",
    "Minutes",
    "MissingDossier",
    "RevisionInfo",
    "StepInfo",
    "SyncSummary",
    "TariffRows",
    "_check_committee_seats",
    "add_meeting",
    "add_member",
    "add_step",
    "apply_decision",
    "attend",
    "chain",
    "check_tariff_rows",
    "close_meeting",
    "committee_rules_by_code",
    "default_committees_path",
    "end_member",
    "get_rules",
    "list_committees",
    "list_decisions",
    "list_meetings",
    "list_members",
    "load_fixtures",
    "minutes",
    "minutes_markdown",
    "parse_vote_file",
    "preview_outcome",
    "read_committees_file",
    "read_tariff_file",
    "record_decision",
    "revise_decision",
    "show_committee",
    "show_decision",
    "show_meeting",
    "sync_committees",
    "vote_file_members",
]
