"""Votes: read from a vote file (per group or per member) and stored with a decision."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from sqlmodel import Session

from inami_cli import tabular
from inami_cli.db.models import Decision
from inami_cli.domain.committees import VOTE_CHOICES, Vote, tally
from inami_cli.domain.errors import FileErrors, InvalidInput
from inami_cli.services.committees._common import _meeting
from inami_cli.services.committees._meetings import _attendance

_VOTE_COLUMNS = tabular.Columns(
    required=(), optional=("group", "for", "against", "abstain", "member", "vote")
)


def parse_vote_file(
    text: str, *, filename: str, members: Mapping[str, tuple[int, str]] | None = None
) -> tuple[dict[str, Vote], dict[str, str]]:
    """Read a vote file: ``group,for,against,abstain`` rows, or ``member,vote`` rows.

    *members* maps member id (as text) and name to ``(id, group)``. Returns the votes per
    group and, for a per-member file, each member's vote. Errors are ``FILE:LINE: reason``.
    """
    # `,` `;` or tab, as every input (Excel in a Belgian locale writes `;`)
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text),
        delimiter=tabular.sniff_delimiter(header_line, _VOTE_COLUMNS),
    )
    columns = [c.strip() for c in (reader.fieldnames or [])]
    problems: list[str] = []
    by_group: dict[str, Vote] = {}
    by_member: dict[str, str] = {}
    if {"group", "for", "against", "abstain"} <= set(columns):
        for number, row in enumerate(reader, start=2):
            try:
                group = (row.get("group") or "").strip()
                counts = [
                    int((row.get(k) or "0").strip() or 0) for k in ("for", "against", "abstain")
                ]
                if group in by_group:
                    raise InvalidInput(f"group {group!r} given twice")
                by_group[group] = Vote(*counts)
            except ValueError:
                problems.append(f"{filename}:{number}: for/against/abstain must be whole numbers")
            except InvalidInput as exc:
                problems.append(f"{filename}:{number}: {exc.message}")
    elif {"member", "vote"} <= set(columns):
        members = members or {}
        seen: dict[int, int] = {}
        for number, row in enumerate(reader, start=2):
            key = (row.get("member") or "").strip()
            choice = (row.get("vote") or "").strip().lower()
            found = members.get(key)
            if found is None:
                problems.append(
                    f"{filename}:{number}: member {key!r} is not present at the meeting"
                )
                continue
            if found[0] in seen:
                problems.append(
                    f"{filename}:{number}: member {key!r} already voted on line {seen[found[0]]}"
                )
                continue
            if choice not in VOTE_CHOICES:
                problems.append(
                    f"{filename}:{number}: vote {choice!r}: expected for, against or abstain"
                )
                continue
            seen[found[0]] = number
            by_member[str(found[0])] = choice
            group = found[1]
            by_group[group] = by_group.get(group, Vote()) + tally([(group, choice)])[group]
    else:
        problems.append(f"{filename}:1: expected columns group,for,against,abstain or member,vote")
    if problems:
        raise FileErrors(problems)
    return by_group, by_member


def vote_file_members(*, session: Session, meeting_id: int) -> dict[str, tuple[int, str]]:
    """The members present at a meeting, by id and by name, for ``parse_vote_file``."""
    meeting = _meeting(session, meeting_id)
    attendees, _ = _attendance(session, meeting)
    out: dict[str, tuple[int, str]] = {}
    for a in attendees:
        out[str(a.member_id)] = (a.member_id, a.group)
        out[a.name] = (a.member_id, a.group)
    return out


def _votes_doc(votes: Mapping[str, Vote], members: Mapping[str, str], vote_round: int) -> str:
    return json.dumps(
        {
            "round": vote_round,
            "by_group": {
                g: {"for": v.favour, "against": v.against, "abstain": v.abstain}
                for g, v in votes.items()
            },
            "by_member": dict(members),
        },
        sort_keys=True,
    )


def _votes_of(decision: Decision) -> tuple[dict[str, Vote], dict[str, str], int]:
    doc = json.loads(decision.votes_json or "{}")
    by_group = {
        g: Vote(v["for"], v["against"], v["abstain"]) for g, v in doc.get("by_group", {}).items()
    }
    return by_group, dict(doc.get("by_member", {})), int(doc.get("round", 1))
