"""Option values the command groups read the same way (one parser, one error message), and
the prompt that asks for a missing one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


def optional_day(text: str | None, flag: str) -> date | None:
    """A date option (``YYYY-MM-DD`` or ``D/M/YYYY``), None when not given; a bad date is an
    exit 2 naming *flag*."""
    from inami_cli.domain.dates import parse_date

    return parse_date(text, what=flag) if text is not None else None


def ask_text(question: str) -> Callable[[], str]:
    """The prompt for a missing option (``AppState.require(..., ask=)``): the typed text;
    Ctrl-C or Ctrl-D cancels the command (exit 130). questionary is imported only here."""

    def ask() -> str:
        import questionary

        answer: str | None = questionary.text(question).ask()
        if answer is None:
            raise KeyboardInterrupt
        return answer

    return ask
