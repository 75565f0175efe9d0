"""Votes per group (for/against/abstain): parsing, formatting and counting per member."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from inami_cli.domain.committees._model import VOTE_CHOICES
from inami_cli.domain.errors import InvalidInput


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
