"""Helpers shared by the frozen-output (golden) tests and the tests that compare two runs:
run ``inami`` in this process and capture its streams, mask the one figure that changes from
run to run, compare two long texts line by line."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_SECONDS = re.compile(r'("seconds": |warnings, )[0-9.]+(?= s;|[,}])')


def mask_seconds(text: str) -> str:
    """*text* with a job summary's "seconds" as ``<seconds>`` (the only figure of a frozen
    output that differs from run to run, issue 17)."""
    return _SECONDS.sub(r"\1<seconds>", text)


def run_captured(
    argv: list[str], *, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of ``inami *argv*`` run in this process, as a user's shell
    would see them (the real ``run`` entry point, not typer's ``invoke``)."""
    import sys

    from typer.testing import CliRunner

    from inami_cli.cli.app import run

    with CliRunner().isolation(input=stdin, env=env) as streams:
        code = run(argv)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout = streams[0].getvalue().decode("utf-8")
        stderr = streams[1].getvalue().decode("utf-8")
    return stdout, stderr, code


def assert_same_text(name: str, got: str, expected: str) -> None:
    """*got* equals *expected*; else the failure names the first differing line, not two
    big strings."""
    if got != expected:
        for n, (a, b) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False)):
            assert a == b, f"{name}: line {n + 1} differs"
        assert got.count("\n") == expected.count("\n"), f"{name}: line counts differ"
    assert got == expected


def decision_record_argv(
    meeting: str, title: str, kind: str, *, committee: str = "CASS"
) -> list[str]:
    """``decision record COMMITTEE --meeting M --title T --kind K``; the votes (or
    ``--draft``) and the other flags follow."""
    return [
        *("decision", "record", committee, "--meeting", meeting),
        *("--title", title, "--kind", kind),
    ]


# batch columns that are switches: yes -> --flag, no -> --no-flag (``referred`` has no --no-)
_SWITCHES = ("dmg", "chronic", "third_party")


def reimburse_argv(header: str, row: Sequence[str]) -> list[str]:
    """The single ``reimburse`` command that answers one row of a ``reimburse batch``
    input: the *header*'s columns become the command's flags, empty cells are left out."""
    cells = dict(zip(header.strip().split(","), row, strict=True))
    args = ["reimburse", cells.pop("code"), "--date", cells.pop("date"), "--format", "json"]
    for column, value in cells.items():
        flag = "--" + column.replace("_", "-")
        if not value or (column == "referred" and value != "yes"):
            continue
        if column in _SWITCHES:
            args.append(flag if value == "yes" else f"--no-{flag[2:]}")
        elif column == "referred":
            args.append(flag)
        else:
            args += [flag, value]
    return args


def one_reimbursement(cli: Callable[..., Any], header: str, row: Sequence[str]) -> dict[str, Any]:
    """The answer of ``reimburse`` for one batch row (see `reimburse_argv`), as a dict."""
    result = cli(*reimburse_argv(header, row))
    assert result.exit_code in (0, 1), result.stderr
    [answer] = result.json()
    return dict(answer)


def row_count(session: Any, model: Any) -> int:
    """How many rows the table of *model* holds, as *session* sees it."""
    from sqlalchemy import func, select

    return int(session.execute(select(func.count()).select_from(model)).scalar_one())
