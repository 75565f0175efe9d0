"""The command tree of ``inami``, walked from the typer app (shared by the fuzz and audit
tests, so a new command is fuzzed and must be classified as soon as it is registered)."""

from __future__ import annotations

from typing import Any

from tests.helpers import decision_record_argv

# Every voting group of the demo CASS (meeting 1, all present): quorum and majority reached.
CASS_VOTES = (
    "doctors_dentists:9/0/0,institutions:2/0/1,paramedics:3/0/0,pharmacists:3/0/0,"
    "sickness_funds:17/0/1"
)


def set_tariff_argv(code: str = "101076") -> list[str]:
    """A small write every reliability test can repeat: a new open tariff period in 2030."""
    return [
        *("nomenclature", "set-tariff", code, "--from", "2030-01-01"),
        *("--fee", "50.00", "--reimbursement", "any=10.00"),
    ]


def decision_tariff_argv(title: str, tariff_file: str) -> list[str]:
    """A tariff decision of the demo CASS meeting 1, adopted, effective 2027-01-01, whose
    changes are *tariff_file* (``decision apply`` writes them)."""
    return [
        *decision_record_argv("1", title, "tariff"),
        *("--votes", CASS_VOTES, "--effective", "2027-01-01", "--tariff-file", tariff_file),
    ]


def leaf_commands() -> dict[tuple[str, ...], Any]:
    """Every runnable command by its path, e.g. ``("nomenclature", "key-letter", "set")``."""
    import typer.main

    from inami_cli.cli.app import app

    found: dict[tuple[str, ...], Any] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
        else:
            found[path] = command

    walk(typer.main.get_command(app), ())
    return found


def param_names(command: Any) -> list[tuple[str, Any]]:
    """``(name, click parameter)`` for each parameter of a command."""
    return [(p.name or "", p) for p in command.params]
