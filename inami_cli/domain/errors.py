"""Exit codes and the typed errors that map onto them.

One table, used by the CLI's single exception handler (``cli/app.py``) and documented in
the README and in ``inami --help``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Documented exit codes of every ``inami`` command."""

    OK = 0
    NEGATIVE = 1  # a negative answer: not insured, check found problems, refused
    USAGE = 2  # usage error or invalid input
    NOT_FOUND = 3
    CONFLICT = 4  # conflict or rule violated (overlap, quorum not met, ...)
    CONFIG = 5
    DATABASE = 6  # locked, unreachable, schema too old or too new
    INTERRUPTED = 130
    TERMINATED = 143  # SIGTERM (128 + 15): rolled back, nothing half-written


EXIT_CODE_HELP: dict[ExitStatus, str] = {
    ExitStatus.OK: "ok / yes",
    ExitStatus.NEGATIVE: "negative answer (not insured, problems found, refused)",
    ExitStatus.USAGE: "usage error or invalid input",
    ExitStatus.NOT_FOUND: "not found",
    ExitStatus.CONFLICT: "conflict or rule violated",
    ExitStatus.CONFIG: "configuration error",
    ExitStatus.DATABASE: "database error (locked, unreachable, schema too old)",
    ExitStatus.INTERRUPTED: "interrupted",
    ExitStatus.TERMINATED: "terminated by SIGTERM (nothing saved)",
}


class InamiError(Exception):
    """Base of every expected error: carries its exit status and a one-line message."""

    status: ExitStatus = ExitStatus.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidInput(InamiError):
    """Bad value given by the user or found in an input file (exit 2)."""

    status = ExitStatus.USAGE


class MissingValue(InvalidInput):
    """A required value was not given and no prompt is allowed (exit 2)."""


class NotFound(InamiError):
    """The code, person, committee or decision does not exist (exit 3)."""

    status = ExitStatus.NOT_FOUND


class Conflict(InamiError):
    """A write would break a rule: overlapping periods, seats exceeded... (exit 4)."""

    status = ExitStatus.CONFLICT


class ConfigError(InamiError):
    """The configuration file or a configuration value is wrong (exit 5)."""

    status = ExitStatus.CONFIG


class DatabaseError(InamiError):
    """The database is locked, unreachable or at the wrong schema (exit 6)."""

    status = ExitStatus.DATABASE


class Negative(InamiError):
    """A negative answer that is not an error of the user (exit 1)."""

    status = ExitStatus.NEGATIVE


class FileErrors(InvalidInput):
    """Several ``FILE:LINE: reason`` problems found in one input file (exit 2)."""

    def __init__(self, problems: list[str]) -> None:
        first = problems[0] if problems else "invalid file"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)
        self.problems = problems


class FileConflicts(FileErrors):
    """``FILE:LINE`` problems that break a rule (periods overlapping stored ones or each
    other, invalid blocks): exit 4, as the same change made by a command (README, exit
    codes: an overlap with stored periods is exit 4 for every command)."""

    status = ExitStatus.CONFLICT


def file_problems(problems: list[str], conflicts: int) -> FileErrors:
    """The error for an import's *problems*, of which *conflicts* are overlaps: exit 4 when
    every problem is one, else exit 2 (a malformed line comes first)."""
    if problems and conflicts == len(problems):
        return FileConflicts(problems)
    return FileErrors(problems)
