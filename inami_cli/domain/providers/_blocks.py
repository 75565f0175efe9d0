"""Declared time blocks of a partially conventioned doctor, and the rules they must meet.

A partially conventioned doctor deviates from the agreed fees only in declared blocks:

- GP: only consultations, appointments and acts in the consulting room, at most **3 blocks
  a week**, each at most **4 consecutive hours** (the rest of the practice, at least 3/4,
  at agreed fees);
- specialist: only for **ambulatory** patients (not hospitalised, not day hospital, not a
  forfait), at most **4 blocks a week**, each at most **4 consecutive hours**.

Sources: CM, "Voorwaarden gedeeltelijke conventionering" [MUT]
(https://www.cm.be/professioneel/zorgverleners/artsen/conventionering/voorwaarden-gedeeltelijke-conventionering)
and the text of the agreement quoted in the royal decree on the social status (2017) [OFF
text]; shared/domain/providers.md §7.1 rows 4-5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from inami_cli.domain.errors import InvalidInput

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("mon", "monday", "lun", "lundi", "ma", "maandag"),
        ("tue", "tuesday", "mar", "mardi", "di", "dinsdag"),
        ("wed", "wednesday", "mer", "mercredi", "wo", "woensdag"),
        ("thu", "thursday", "jeu", "jeudi", "do", "donderdag"),
        ("fri", "friday", "ven", "vendredi", "vr", "vrijdag"),
        ("sat", "saturday", "sam", "samedi", "za", "zaterdag"),
        ("sun", "sunday", "dim", "dimanche", "zo", "zondag"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _i

_TIME = r"(\d{1,2})(?:[:hH.](\d{2})|[hH])?"
_BLOCK = re.compile(rf"^([A-Za-z]+)\s*{_TIME}\s*-\s*{_TIME}$")


@dataclass(frozen=True, order=True)
class TimeBlock:
    """One weekly block: a day (0 = Monday) and minutes from midnight, end exclusive."""

    day: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        """Length of the block."""
        return self.end - self.start

    def __str__(self) -> str:
        return f"{DAYS[self.day]} {_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(hours: str, mins: str | None, text: str) -> int:
    h, m = int(hours), int(mins or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise InvalidInput(f"--blocks: {text!r}: {hours}:{mins or '00'} is not a time of day")
    return h * 60 + m


@dataclass(frozen=True)
class BlockRule:
    """The limits on declared blocks for one kind of doctor, with their source."""

    role: str  # gp | specialist
    max_blocks: int
    max_hours: int
    ambulatory_only: bool
    source: str


GP_RULE = BlockRule(
    role="gp",
    max_blocks=3,
    max_hours=4,
    ambulatory_only=False,
    source="CM, voorwaarden gedeeltelijke conventionering (huisarts) [MUT]",
)
SPECIALIST_RULE = BlockRule(
    role="specialist",
    max_blocks=4,
    max_hours=4,
    ambulatory_only=True,
    source="CM, voorwaarden gedeeltelijke conventionering (arts-specialist) [MUT]",
)


def block_rule(role: str | None) -> BlockRule:
    """The rule for a qualification's role: specialists theirs, every other doctor the
    stricter GP rule (a plain doctor or one in training is not a specialist)."""
    return SPECIALIST_RULE if role == "specialist" else GP_RULE


def parse_blocks(text: str) -> tuple[TimeBlock, ...]:
    """``"Mon 14-18, Wed 09:00-13:00, sam 9h30-13h30"`` as blocks, sorted (exit 2 if
    malformed). Days in English, French or Dutch; times ``HH``, ``HH:MM`` or ``HHhMM``."""
    blocks: list[TimeBlock] = []
    for raw in re.split(r"[,;]", text):
        part = raw.strip()
        if not part:
            continue
        match = _BLOCK.match(part)
        if match is None:
            raise InvalidInput(
                f"--blocks: {part!r} is not a block (write DAY HH:MM-HH:MM, e.g. Mon 14-18)"
            )
        day_name, h1, m1, h2, m2 = match.groups()
        day = _DAY_NAMES.get(day_name.lower())
        if day is None:
            raise InvalidInput(f"--blocks: {part!r}: unknown day {day_name!r} (Mon ... Sun)")
        start, end = _minutes(h1, m1, part), _minutes(h2, m2, part)
        if end <= start:
            raise InvalidInput(
                f"--blocks: {part!r} ends before it starts (a block stays within one day)"
            )
        blocks.append(TimeBlock(day, start, end))
    return tuple(sorted(blocks))


def format_blocks(blocks: tuple[TimeBlock, ...]) -> str:
    """The canonical text of *blocks* (what the register stores)."""
    return ", ".join(str(b) for b in sorted(blocks))


def _merged(blocks: tuple[TimeBlock, ...]) -> list[TimeBlock]:
    """Blocks of one day that touch or overlap joined: two blocks 09-13 and 13-17 are 8
    consecutive hours, not two blocks of 4."""
    out: list[TimeBlock] = []
    for block in sorted(blocks):
        if out and out[-1].day == block.day and block.start <= out[-1].end:
            last = out[-1]
            out[-1] = TimeBlock(last.day, last.start, max(last.end, block.end))
        else:
            out.append(block)
    return out


def block_violations(blocks: tuple[TimeBlock, ...], rule: BlockRule) -> list[str]:
    """Each broken rule, one sentence naming it (empty when the blocks are valid)."""
    who = "a GP" if rule.role == "gp" else "a specialist"
    if not blocks:
        return [
            f"partial adherence must declare its time blocks ({who}: at most "
            f"{rule.max_blocks} a week, each at most {rule.max_hours} consecutive hours)"
        ]
    problems: list[str] = []
    merged = _merged(blocks)
    if len(merged) > rule.max_blocks:
        problems.append(
            f"{len(merged)} blocks a week: {who} may declare at most {rule.max_blocks} "
            f"({rule.source})"
        )
    for block in merged:
        if block.minutes > rule.max_hours * 60:
            problems.append(
                f"block {block} lasts {block.minutes / 60:g} hours: at most "
                f"{rule.max_hours} consecutive hours ({rule.source})"
            )
    return problems


def in_blocks(blocks: tuple[TimeBlock, ...], weekday: int, at: time) -> bool:
    """Whether a moment (weekday 0 = Monday, time of day) falls inside a declared block."""
    minute = at.hour * 60 + at.minute
    return any(b.day == weekday and b.start <= minute < b.end for b in blocks)
