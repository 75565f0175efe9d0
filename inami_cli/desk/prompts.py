"""Prompts of the desk: validators that explain, code completion, questionary wrappers.

Validators return ``True`` or the reason in a few words; prompt_toolkit shows the reason
under the prompt while the person types, and Enter is refused until the value is valid.
Every prompt goes through ``Prompter``, which passes the prompt_toolkit ``input`` and
``output`` (a pipe and a dummy output in the tests) and uses ``unsafe_ask`` so that Ctrl-C
reaches the loop as ``KeyboardInterrupt`` (questionary's ``ask`` would swallow it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import parse_amount
from inami_cli.domain.niss import compact_niss, niss_problem
from inami_cli.domain.values import is_digits
from inami_cli.services.desk import CodeChoice, match_choices, resolve_code

Validator = Callable[[str], bool | str]

MAX_COMPLETIONS = 40  # a menu taller than a terminal helps nobody; more words narrow it


# ------------------------------------------------------------------ validators


def check_niss(text: str, *, empty_ok: bool = False) -> bool | str:
    """A NISS or BIS number with the reason when wrong (dots, dashes and spaces allowed)."""
    cleaned = compact_niss(text.strip())
    if not cleaned:
        return True if empty_ok else "type the 11 digits of the NISS (dots and dashes allowed)"
    if empty_ok and cleaned == "-":
        return True
    return niss_problem(cleaned) or True


def check_date(text: str, *, empty_ok: bool = True) -> bool | str:
    """``today``, ``2026-03-02`` or the Belgian day-first ``2/3/2026``."""
    if not text.strip():
        return True if empty_ok else "type a date: today, 2026-03-02 or 2/3/2026"
    try:
        parse_date(text)
    except InvalidInput as exc:
        return exc.message.replace("(use YYYY-MM-DD)", "(use today, 2026-03-02 or 2/3/2026)")
    return True


def check_amount(text: str, *, empty_ok: bool = True) -> bool | str:
    """A euro amount with a comma or a dot (``31,81``, ``31.81``, ``€ 40``)."""
    if not text.strip():
        return True if empty_ok else "type an amount such as 31.81 or 31,81"
    try:
        parse_amount(text)
    except InvalidInput as exc:
        return exc.message
    return True


def check_nihii(text: str) -> bool | str:
    """A provider's INAMI number (11 digits, dashes allowed), or nothing (skip)."""
    from inami_cli.domain.providers import parse_nihii

    if not text.strip():
        return True
    try:
        parse_nihii(text)
    except InvalidInput as exc:
        return exc.message
    return True


def check_time(text: str) -> bool | str:
    """A time of day (``19:30``, ``19h30``), or nothing when unknown."""
    from inami_cli.domain.reimbursement import parse_time_of_day

    if not text.strip():
        return True
    try:
        parse_time_of_day(text, what="time")
    except InvalidInput as exc:
        return exc.message
    return True


def check_age(text: str) -> bool | str:
    """An age in whole years (0-150), or nothing when unknown."""
    value = text.strip()
    if not value:
        return True
    if not is_digits(value) or int(value) > 150:
        return f"{value!r} is not an age in years (0-150); leave empty if unknown"
    return True


def check_code(choices: Sequence[CodeChoice]) -> Validator:
    """A validator accepting a code offered, or words narrowing to a single code."""

    def check(text: str) -> bool | str:
        try:
            resolve_code(text, choices)
        except InvalidInput as exc:
            return exc.message
        return True

    return check


def check_words(text: str) -> bool | str:
    """Something to look for: words, a code or a decision number."""
    return True if text.strip() else "type a word (kiné), a code (560011) or CASS 2026/001"


# ------------------------------------------------------------------ completion


class CodeCompleter(Completer):
    """Completion over code and both labels: ``kiné`` or ``101`` narrow the list.

    Accents and case are ignored and every typed word must occur (``services.desk
    .match_choices``). Nothing is offered for an empty line until Tab is pressed.
    """

    def __init__(self, choices: Sequence[CodeChoice]) -> None:
        self.choices = list(choices)

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        """The choices matching the text typed so far (the whole line is replaced)."""
        typed = document.text_before_cursor
        if not typed.strip() and not complete_event.completion_requested:
            return
        for choice in match_choices(typed, self.choices)[:MAX_COMPLETIONS]:
            label = choice.label if len(choice.label) <= 70 else choice.label[:69] + "…"
            yield Completion(
                f"{choice.code} {choice.label}",
                start_position=-len(typed),
                display=f"{choice.code}  {label}",
            )


# ------------------------------------------------------------------ questionary


def _cancel_keys(*, yes_no: bool = False) -> Any:
    """Extra keys of every desk prompt: Esc cancels the question (as Ctrl-C does), Ctrl-D
    on an empty line leaves; in a yes/no question ``o`` (oui) and ``j`` (ja) answer yes as
    ``y`` does."""
    from prompt_toolkit.application.current import get_app
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("escape")
    def _cancel(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt(), style="class:aborting")

    # Ctrl-D on an empty line leaves (a text prompt does it already; a menu did not)
    @keys.add("c-d", filter=Condition(lambda: not get_app().current_buffer.text))
    def _leave(event: Any) -> None:
        event.app.exit(exception=EOFError(), style="class:aborting")

    if yes_no:
        for letter in ("o", "O", "j", "J"):

            @keys.add(letter)
            def _yes(event: Any) -> None:
                event.app.exit(result=True)

    return keys


class Prompter:
    """The questionary prompts of the desk, bound to one prompt_toolkit input/output.

    Ctrl-C or Esc in a prompt raise ``KeyboardInterrupt`` (the loop goes back to the menu);
    Ctrl-D on an empty line, or a closed input, raise ``EOFError`` (the person leaves).
    """

    def __init__(self, pt_kwargs: Mapping[str, Any] | None = None) -> None:
        self.kwargs = dict(pt_kwargs or {})

    @staticmethod
    def _answer(question: Any, *, yes_no: bool = False) -> Any:
        from prompt_toolkit.key_binding import merge_key_bindings

        app = question.application
        # the extra keys last: prompt_toolkit runs the last binding that matches a key
        app.key_bindings = merge_key_bindings([app.key_bindings, _cancel_keys(yes_no=yes_no)])
        answer = question.unsafe_ask()
        if answer is None:  # a closed input: treat as the person leaving
            raise EOFError
        return answer

    def text(self, message: str, *, validate: Validator, instruction: str | None = None) -> str:
        """A line of text, validated as it is typed."""
        import questionary

        question = questionary.text(
            message, validate=validate, instruction=instruction, **self.kwargs
        )
        return str(self._answer(question))

    def code(self, message: str, choices: Sequence[CodeChoice]) -> str:
        """A code, with completion; returns the code the text resolves to."""
        import questionary

        question = questionary.autocomplete(
            message,
            choices=[c.code for c in choices] or [""],
            completer=CodeCompleter(choices),
            validate=check_code(choices),
            **self.kwargs,
        )
        return resolve_code(str(self._answer(question)), choices)

    def select(
        self,
        message: str,
        choices: Sequence[tuple[str, str, str | None]],
        *,
        default: str | None = None,
        instruction: str | None = None,
    ) -> str:
        """One of *choices* ``(value, title, shortcut letter)``: arrows, or the letter."""
        import questionary

        items = [
            questionary.Choice(title, value=value, shortcut_key=key or True)
            for value, title, key in choices
        ]
        question = questionary.select(
            message,
            choices=items,
            default=default,
            use_shortcuts=any(key for _, _, key in choices),
            use_jk_keys=False,
            instruction=instruction,
            **self.kwargs,
        )
        return str(self._answer(question))

    def confirm(
        self, message: str, *, default: bool = False, instruction: str | None = None
    ) -> bool:
        """Yes or no (``y``, ``o``, ``j`` / ``n``; Enter = the default)."""
        import questionary

        question = questionary.confirm(
            message, default=default, auto_enter=True, instruction=instruction, **self.kwargs
        )
        return bool(self._answer(question, yes_no=True))
