"""First contact (issue 17): help without a subcommand, metavariables that say what a value
is, whole summaries, global options on every subcommand, and examples that run on the demo."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
PYTHON_TYPES = re.compile(r"<(str|int|list|float|path|bool|decimal)\b[^>]*>", re.IGNORECASE)


def _walk(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, (*path, name))


def _every_help(cli_nodb) -> dict[tuple[str, ...], str]:
    from inami_cli.cli.app import _root_command

    helps = {}
    for path, _command in _walk(_root_command()):
        result = cli_nodb(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        helps[path] = result.stdout
    return helps


@pytest.mark.parametrize("path", [(), ("nomenclature",), ("meeting",), ("config",), ("insured",)])
def test_no_subcommand_prints_the_help_and_exits_0(cli_nodb, path):
    result = cli_nodb(*path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(f"Usage: inami {' '.join(path)}".rstrip() + " ")
    assert "\nCommands:\n" in result.stdout
    assert len(result.stdout.splitlines()) > 5  # formatted, not squashed into one line


def test_no_help_shows_a_python_type(cli_nodb):
    bad = {
        " ".join(path): sorted(set(PYTHON_TYPES.findall(text)))
        for path, text in _every_help(cli_nodb).items()
        if PYTHON_TYPES.search(text)
    }
    assert bad == {}


def test_options_are_named_by_what_they_take(cli_nodb):
    text = cli_nodb("reimburse", "compute", "--help").stdout
    assert re.search(r"--date DATE\b", text)
    assert re.search(r"--niss NISS\b", text)
    assert re.search(r"--charged AMOUNT\b", text)
    assert re.search(r"--provider-id NIHII\b", text)
    assert re.search(r"^  CODE\.\.\.  ", text, re.MULTILINE)  # the codes argument, no type
    show = cli_nodb("nomenclature", "show", "--help").stdout
    assert re.search(r"^  CODE  ", show, re.MULTILINE)  # an argument: its name, no type


def test_summaries_are_whole_sentences():
    """A listing shows the command's whole first sentence, whatever the width (click cuts
    it at 45 characters with "..." otherwise)."""
    from inami_cli.cli.app import _root_command

    cut = []
    for path, command in _walk(_root_command()):
        first = " ".join((command.help or "").split("\n\n")[0].split())
        short = command.get_short_help_str(20)
        if path and not (first.startswith(short) and (short.endswith(".") or short == first)):
            cut.append((" ".join(path), short))
    assert cut == []


def test_required_options_are_marked(cli_nodb):
    text = cli_nodb("member", "add", "--help").stdout
    assert "[required]" in text


def test_subcommand_help_names_the_global_options(cli_nodb):
    from inami_cli.cli.helptext import GLOBAL_OPTIONS_LINE

    for path in (("insured", "check"), ("nomenclature", "show"), ("db", "status")):
        text = " ".join(cli_nodb(*path, "--help").stdout.split())
        assert GLOBAL_OPTIONS_LINE in text, path
    root = cli_nodb("--help").stdout
    assert "Global options, also after" not in root  # the root lists them as its options


def test_the_global_options_line_names_every_global_option():
    """The line on subcommand help is written by hand: it must follow the root's options."""
    from inami_cli.cli import app as app_module
    from inami_cli.cli.helptext import GLOBAL_OPTIONS_LINE

    for option in app_module._GLOBAL_WITH_VALUE | app_module._GLOBAL_FLAGS:
        if option.startswith("--"):
            assert option in GLOBAL_OPTIONS_LINE, option


def test_every_command_has_examples(cli_nodb):
    """Two or three real examples a command (issue 17)."""
    lacking = [
        " ".join(path)
        for path, text in _every_help(cli_nodb).items()
        if "\nCommands:\n" not in text and len(_examples(text)) < 2
    ]
    assert lacking == []


def _examples(text: str) -> list[str]:
    from inami_cli.cli.helptext import examples_of

    return examples_of(text)


def _argv(example: str) -> list[str]:
    """The ``inami`` arguments of an example line, up to a shell operator."""
    words = shlex.split(example, comments=True)
    assert words[0] == "inami", example
    argv: list[str] = []
    for word in words[1:]:
        if word in {"&&", "||", "|", ">", ">>", "<", ";"}:
            break
        argv.append(word)
    return argv


def test_every_help_example_runs_on_the_demo(
    cli_nodb, sqlite_demo_template: Path, tmp_path: Path, isolated_env: Path
):
    """Each command's examples, run in order on a fresh copy of the demo database, exit 0 or
    1 (1 is an answer: refused, not insured, problems found)."""
    (isolated_env / "fixtures").symlink_to(ROOT / "fixtures")
    failures = []
    for path, text in _every_help(cli_nodb).items():
        examples = _examples(text)
        if not examples or path == ("desk",):  # a terminal session: tests/cli/test_desk*.py
            continue
        target = tmp_path / f"{'-'.join(path)}.db"
        shutil.copyfile(sqlite_demo_template, target)
        run = Cli(f"sqlite:///{target}")
        for example in examples:
            result = run(*_argv(example), input="")
            if result.exit_code not in (0, 1):
                failures.append(f"{example} -> {result.exit_code}: {result.stderr.strip()}")
    assert failures == [], "\n".join(failures)
