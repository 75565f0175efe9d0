"""The command line's contract: help everywhere, the exit-code table, a light start-up, and a
pure domain layer."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _walk(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, (*path, name))


def _all_commands():
    from inami_cli.cli.app import _root_command

    return list(_walk(_root_command()))  # as `inami` converts them (cli/helptext.py applied)


def test_every_command_has_help_with_an_example():
    missing = []
    for path, command in _all_commands():
        if not path:
            continue
        text = (command.help or "").strip()
        if not text:
            missing.append(" ".join(path) + ": no help")
        elif not getattr(command, "commands", None) and "\nExamples:\n" not in text:
            missing.append(" ".join(path) + ": no Example line")
    assert missing == []


def test_every_command_answers_help(cli_nodb):
    for path, _command in _all_commands():
        result = cli_nodb(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        assert "Usage:" in result.stdout


def test_exit_code_table_is_documented():
    from inami_cli.domain.errors import EXIT_CODE_HELP, ExitStatus

    assert set(EXIT_CODE_HELP) == set(ExitStatus)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status in ExitStatus:
        assert f"| {int(status)} |" in readme, f"exit code {int(status)} missing from README"


@pytest.mark.parametrize("separator", ["\n", "\r", "\x0b", "\x85", "\u2028", "\u2029"])
def test_an_error_quoting_a_line_break_is_still_one_line(cli_nodb, separator):
    # found by the fuzz test: click quotes the extra argument back, U+2028 included
    result = cli_nodb("insured", "check", "85061508234", "--from", "--bogus", separator)
    assert result.exit_code == 2
    assert result.stderr.startswith("inami: error: Got unexpected extra argument")
    assert len(result.stderr.splitlines()) == 1, repr(result.stderr)


def test_root_help_lists_exit_codes(cli_nodb):
    result = cli_nodb("--help")
    assert result.exit_code == 0
    assert "Exit codes:" in result.stdout and "130 interrupted" in result.stdout


def test_help_does_not_import_the_database_layer():
    code = (
        "import sys\n"
        "from inami_cli.cli.app import run\n"
        "run(['--help'])\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'tabulate', "
        "'questionary', 'tomlkit') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stderr.strip() == "[]"


def test_help_imports_no_area_module_and_lists_what_the_real_groups_would():
    # Run in a fresh process: the test session has imported every area module already.
    code = (
        "import contextlib, io, sys\n"
        "from inami_cli.cli.app import _root_command, run\n"
        "def helptext():\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        assert run(['--help']) == 0\n"
        "    return out.getvalue()\n"
        "light = helptext()\n"
        "areas = sorted(m for m in sys.modules if m.startswith('inami_cli.') and m not in "
        "{'inami_cli.cli', 'inami_cli.cli.app', 'inami_cli.cli.context', 'inami_cli.cli.desk', "
        "'inami_cli.cli.groups', 'inami_cli.cli.helptext', 'inami_cli.cli.completion', "
        "'inami_cli.cli.outcome', 'inami_cli.cli.collector', "
        "'inami_cli.cli.init_cmd', 'inami_cli.cli.db_cmd', 'inami_cli.cli.config_cmd', "
        "'inami_cli.cli.audit_cmd', 'inami_cli.domain', 'inami_cli.domain.errors'})\n"
        "_root_command().commands  # resolves every lazy group\n"
        "full = helptext()\n"
        "sys.stderr.write(repr((areas, light == full, 'nomenclature' in light)))\n"
    )
    for columns in ("40", "80", "200"):
        env = {**os.environ, "COLUMNS": columns}
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip() == "([], True, True)", columns


def test_lazy_group_summaries_are_the_groups_help():
    """The summaries `inami --help` shows for lazy groups are their real help, for any width."""
    from inami_cli.cli.app import LAZY_GROUPS, _root_command, lazy_group_stand_in

    root = _root_command()
    for name, (_module, _attribute, summary) in LAZY_GROUPS.items():
        real = root.get_command(None, name)  # type: ignore[attr-defined]
        # all of the help click can ever list: up to its first sentence end
        assert real.get_short_help_str(10**6) == summary, name
        stand_in = lazy_group_stand_in(name)
        for limit in range(1, len(summary) + 10):
            assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit), (
                name,
                limit,
            )
        assert not real.hidden and not real.deprecated


def test_version(cli_nodb):
    from inami_cli import __version__

    result = cli_nodb("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"inami {__version__}"


def test_python_dash_m_works():
    proc = subprocess.run(
        [sys.executable, "-m", "inami_cli", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0 and proc.stdout.startswith("inami ")


STDLIB = set(sys.stdlib_module_names)
ALLOWED_THIRD_PARTY = {"stdnum"}


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "inami_cli" / "domain").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT / "inami_cli" / "domain")),
)
def test_domain_layer_is_pure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            ok = top in STDLIB or top in ALLOWED_THIRD_PARTY or name.startswith("inami_cli.domain")
            assert ok, f"{path} imports {name}: the domain layer must stay pure"


def test_unknown_command_is_a_usage_error(cli_nodb):
    result = cli_nodb("no-such-command")
    assert result.exit_code == 2
    assert result.stderr.startswith("inami: error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_global_format_is_refused(cli_nodb):
    result = cli_nodb("--format", "xml", "config", "show")
    assert result.exit_code == 2
    assert "--format" in result.stderr


def _shape(command):
    """What click knows of a command: enough to tell two conversions apart."""
    callback = getattr(command.callback, "__wrapped__", command.callback)
    shape = {
        "class": type(command).__name__,
        "callback": getattr(callback, "__qualname__", None),
        "params": [
            [p.name, p.opts, p.secondary_opts, p.required, repr(p.default), p.nargs, p.multiple]
            + [getattr(p, attr, None) for attr in ("help", "metavar", "is_flag")]
            for p in command.params
        ],
    }
    for attr in (
        "name", "help", "short_help", "epilog", "hidden", "deprecated", "no_args_is_help",
        "invoke_without_command", "context_settings", "options_metavar", "add_help_option",
    ):  # fmt: skip
        shape[attr] = getattr(command, attr, None)
    if hasattr(command, "commands"):
        shape["commands"] = [(name, _shape(sub)) for name, sub in command.commands.items()]
    return shape


def test_lazily_converted_groups_are_what_typer_builds():
    """Commands converted on first use (start-up time) equal typer's whole-tree conversion."""
    import importlib

    import typer.main
    from typer.models import TyperInfo

    from inami_cli.cli.app import LAZY_GROUPS, LazyCommands, _polish_tree, app, lazy_click_group
    from inami_cli.cli.helptext import polish

    eager_root = polish(typer.main.get_command(app), root=True)  # as lazy_click_group does
    _polish_tree(eager_root)
    lazy_root = lazy_click_group(app, "inami", TyperInfo(app))
    assert isinstance(lazy_root._eager, LazyCommands)  # type: ignore[attr-defined]
    assert _shape(lazy_root) == _shape(eager_root)
    for name, (module, attribute, _summary) in LAZY_GROUPS.items():
        sub = getattr(importlib.import_module(module), attribute)
        eager = typer.main.get_group_from_info(
            TyperInfo(sub, name=name),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=None,
        )
        polish(eager)
        _polish_tree(eager)
        lazy = lazy_click_group(sub, name)
        assert isinstance(lazy.commands, LazyCommands), name
        assert list(lazy.commands) == list(eager.commands), name
        assert _shape(lazy) == _shape(eager), name


def test_lazy_commands_convert_only_what_is_asked():
    from inami_cli.cli.app import LazyCommands
    from inami_cli.cli.nomenclature import app as nomenclature_app

    commands = LazyCommands(nomenclature_app)
    assert "show" in commands and "no-such" not in commands
    assert commands._built == {}  # membership converts nothing
    assert commands["show"].name == "show"
    assert list(commands._built) == ["show"]
    assert commands.get("no-such") is None
    assert len(commands) == len(list(commands))


def test_the_process_leaves_with_the_exit_code_its_handlers_run_its_output_flushed(
    tmp_path: Path,
) -> None:
    # main() leaves without the interpreter's finalization (cli/outcome.py leave, issue 19):
    # the exit handlers still run, buffered output is written, the exit code is kept.
    ran = tmp_path / "ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(ran)!r}, 'w').write('ran'))\n"
        "sys.stdout.write('buffered')\n"
        "from inami_cli.cli.app import main\n"
        "sys.argv = ['inami', *sys.argv[1:]]\n"
        "main()\n"
    )
    ok = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert (ok.returncode, ok.stdout.startswith("buffered")) == (0, True), ok.stderr
    assert ran.read_text() == "ran"
    ran.unlink()
    usage = subprocess.run(
        [sys.executable, "-c", code, "no-such-command"], capture_output=True, text=True, cwd=ROOT
    )
    assert usage.returncode == 2
    assert "no-such-command" in usage.stderr
    assert ran.read_text() == "ran"


def test_under_a_profiler_the_process_leaves_the_usual_way() -> None:
    # ``python -m cProfile -m inami_cli ...`` prints its profile once the program returns:
    # leave()'s os._exit would end the process first (the profile was lost)
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "inami_cli", "no-such-command"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "No such command 'no-such-command'" in done.stderr  # (cProfile exits 0 itself)
    assert "function calls" in done.stdout
