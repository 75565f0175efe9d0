"""How a decision's vote comes in: ``--votes``, a vote file, or the wizard on a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from inami_cli.cli.context import AppState
from inami_cli.domain.committees import DECISION_KINDS, Vote, parse_votes
from inami_cli.domain.errors import InvalidInput, MissingValue


def _read_text(path: Path) -> str:
    """The vote file's text, decoded by the shared reader (BOM dropped; a byte that is not
    UTF-8 is ``FILE:LINE``, never a codec message)."""
    from inami_cli.tabular import open_binary, text_lines

    with open_binary(path) as binary:
        return "".join(text_lines(binary, filename=str(path)))


def _votes_from(
    session: Any, meeting_id: int, votes: str | None, vote_file: Path | None
) -> tuple[dict[str, Vote] | None, dict[str, str]]:
    from inami_cli.services import committees as svc

    if votes is not None and vote_file is not None:
        raise InvalidInput("give --votes or --vote-file, not both")
    if votes is not None:
        return parse_votes(votes), {}
    if vote_file is not None:
        members = svc.vote_file_members(session=session, meeting_id=meeting_id)
        return svc.parse_vote_file(_read_text(vote_file), filename=str(vote_file), members=members)
    return None, {}


def _wizard(
    st: AppState,
    committee: str | None,
    meeting: int | None,
    title: str | None,
    kind: str | None,
    votes: str | None,
    tariff_file: Path | None,
    *,
    other_vote_source: bool = False,
    vote_round: int = 1,
) -> tuple[str, int, str, str, str | None, Path | None]:
    """Ask on a terminal for what the flags did not give; show the outcome; confirm."""
    import questionary

    from inami_cli.services import committees as svc

    def ask(question: Any) -> Any:
        answer = question.ask()
        if answer is None:
            raise KeyboardInterrupt
        return answer

    with st.session() as session:
        rules_by_code = svc.committee_rules_by_code(session=session)
        if committee is None:
            committee = ask(questionary.select("Committee", choices=sorted(rules_by_code)))
        rules = svc.get_rules(session=session, code=committee)
        if meeting is None:
            meetings = [
                m
                for m in svc.list_meetings(session=session, committee=committee)
                if m.state != "closed"
            ]
            if not meetings:
                raise MissingValue(
                    f"{committee} has no open meeting: pass --meeting after `inami meeting add`"
                )
            choice = ask(
                questionary.select(
                    "Meeting",
                    choices=[
                        questionary.Choice(f"{m.id}: {m.meeting_date} {m.title}", value=m.id)
                        for m in meetings
                    ],
                )
            )
            meeting = int(choice)
        if title is None:
            title = str(ask(questionary.text("Title", validate=lambda t: bool(t.strip()))))
        if kind is None:
            kind = str(ask(questionary.select("Kind", choices=list(DECISION_KINDS))))
        if votes is None and not other_vote_source:
            parts = []
            for group in rules.voting_groups:
                answer = ask(
                    questionary.text(
                        f"{group.code} ({group.name_fr}): for/against/abstain",
                        default="0/0/0",
                        validate=lambda t: _valid_vote(t),
                    )
                )
                parts.append(f"{group.code}:{answer.strip()}")
            votes = ",".join(parts)
        if tariff_file is None and kind in ("tariff", "nomenclature"):
            path = str(ask(questionary.path("Tariff file (CSV, empty for none)", default="")))
            tariff_file = Path(path) if path.strip() else None
        outcome = (
            svc.preview_outcome(
                session=session,
                committee=committee,
                meeting_id=meeting,
                votes=parse_votes(votes),
                kind=kind,
                vote_round=vote_round,
            )
            if votes is not None
            else None
        )
    if outcome is not None:
        typer.echo(f"Outcome: {outcome.state} - {outcome.reason}", err=True)
    else:
        typer.echo("Outcome: computed from the vote file, or draft without a vote", err=True)
    if not ask(questionary.confirm("Record this decision?", default=True)):
        raise typer.Exit(1)
    return committee, meeting, title, kind, votes, tariff_file


def _valid_vote(text: str) -> bool | str:
    try:
        parse_votes(f"g:{text}")
    except InvalidInput:
        return "for/against/abstain, e.g. 8/0/1"
    return True
