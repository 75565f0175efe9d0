"""The ``inami`` root command: global options, command groups, and the one place where
exceptions become exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from inami_cli import __version__
from inami_cli.cli import audit_cmd, completion, config_cmd, db_cmd, init_cmd
from inami_cli.cli import desk as desk_cmd
from inami_cli.cli.collector import pause_gc_for_start_up
from inami_cli.cli.context import AppState, forget_saved
from inami_cli.cli.groups import LAZY_GROUPS
from inami_cli.cli.helptext import polish
from inami_cli.cli.outcome import Terminated, leave
from inami_cli.cli.outcome import error_line as _error
from inami_cli.cli.outcome import interrupted as _interrupted
from inami_cli.cli.outcome import map_foreign as _map_foreign
from inami_cli.cli.outcome import on_sigterm as _terminated
from inami_cli.cli.outcome import terminated_exit as _terminated_exit
from inami_cli.domain.errors import EXIT_CODE_HELP, ExitStatus, InamiError

EXIT_CODES_EPILOG = (
    "Exit codes: "
    + "; ".join(f"{int(code)} {text}" for code, text in EXIT_CODE_HELP.items())
    + "; 70 internal error (a bug: rerun with --verbose and report it)."
)

_BUILT: dict[str, Any] = {}


class LazyRootGroup(TyperGroup):
    """The root group: area groups are imported and converted on first use only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._eager: dict[str, Any] = {}
        self._listing = False
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, Any]:
        """Every command, lazy groups resolved (help listings, tests, suggestions)."""
        for name in LAZY_GROUPS:
            self._resolve(name)
        return self._eager

    @commands.setter
    def commands(self, value: dict[str, Any]) -> None:
        self._eager = value

    def _resolve(self, name: str) -> Any:
        if name not in self._eager:
            if name not in _BUILT:
                import importlib

                module, attribute, _summary = LAZY_GROUPS[name]
                sub = getattr(importlib.import_module(module), attribute)
                _BUILT[name] = lazy_click_group(sub, name)
            self._eager[name] = _BUILT[name]
        return self._eager[name]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY_GROUPS:
            if self._listing and cmd_name not in self._eager:
                return lazy_group_stand_in(cmd_name)
            return self._resolve(cmd_name)
        return self._eager.get(cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self._eager, *(n for n in LAZY_GROUPS if n not in self._eager)]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of ``inami --help``, without importing the area groups.

        While listing, an unresolved lazy group is a stand-in carrying its summary: the short
        help click derives from it is the real group's (a test checks it), so the listing is
        the same while ``--help`` imports no area module.
        """
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


class LazyCommands(MutableMapping[str, Any]):
    """The subcommands of a group, each converted from typer to click on first access.

    typer converts a whole group at once: every command's signature is inspected and its
    parameters built, ~1 ms a command. A one-shot ``inami nomenclature show`` needs one of
    the ~30 commands of its group; help listings and suggestions still see them all.
    """

    def __init__(self, typer_app: Any) -> None:
        from typer.main import get_command_name

        self._pending: dict[str, tuple[str, Any]] = {}
        for info in typer_app.registered_commands:
            key = info.name or get_command_name(info.callback.__name__)
            self._pending[key] = ("command", info)
        for info in typer_app.registered_groups:
            self._pending[info.name] = ("group", info)
        self._built: dict[str, Any] = {}
        self._order = list(self._pending)

    def __getitem__(self, key: str) -> Any:
        if key not in self._built:
            kind, info = self._pending.pop(key)  # KeyError for an unknown name, as a dict
            if kind == "command":
                from typer.main import get_command_from_info

                self._built[key] = polish(
                    get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
                )
            else:
                self._built[key] = lazy_click_group(info.typer_instance, key, info)
        return self._built[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._pending.pop(key, None)
        if key not in self._order:
            self._order.append(key)
        self._built[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self._pending and key not in self._built:
            raise KeyError(key)
        self._pending.pop(key, None)
        self._built.pop(key, None)
        self._order.remove(key)

    def __contains__(self, key: object) -> bool:  # without converting the command
        return key in self._pending or key in self._built

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


def lazy_click_group(typer_app: Any, name: str, info: Any = None) -> Any:
    """The click group of *typer_app*, as typer builds it, with lazily converted commands.

    *info* is the ``TyperInfo`` it was added with (``add_typer``), for a nested group.
    """
    import copy

    from typer.main import get_group_from_info
    from typer.models import TyperInfo

    registered = [*typer_app.registered_commands, *typer_app.registered_groups]
    if any(not isinstance(i, TyperInfo) for i in typer_app.registered_groups) or any(
        not isinstance(i.name, str) for i in typer_app.registered_groups
    ):
        registered = []  # a group merged without a name: let typer build it whole
    shell = copy.copy(typer_app)
    if registered:
        shell.registered_commands = []
        shell.registered_groups = []
    group_info = copy.copy(info) if info is not None else TyperInfo(typer_app, name=name)
    group_info.typer_instance = shell
    group = get_group_from_info(
        group_info, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
    )
    if registered:
        group.commands = LazyCommands(typer_app)
    else:
        _polish_tree(group)
    return polish(group, root=info is not None and info.typer_instance is app)


def _polish_tree(group: Any) -> None:
    """``polish`` every command of a group typer converted whole."""
    for sub in group.commands.values():
        polish(sub)
        if hasattr(sub, "commands"):
            _polish_tree(sub)


def lazy_group_stand_in(name: str) -> Any:
    """A command that only carries the summary of the lazy group *name* (for listings)."""
    from typer.core import TyperCommand

    summary = LAZY_GROUPS[name][2]
    return TyperCommand(name=name, help=summary, short_help=summary)


app = typer.Typer(
    cls=LazyRootGroup,
    name="inami",
    help="Administration of the Belgian health and disability insurance (INAMI/RIZIV).",
    epilog=EXIT_CODES_EPILOG,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"inami {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file (TOML).", metavar="FILE")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (overrides the configuration).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Output format: table, json, ndjson or csv."),
    ] = None,
    table_style: Annotated[
        str | None, typer.Option("--table-style", help="tabulate style for tables.")
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; a missing value is exit 2.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only data and errors.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="More detail; tracebacks on internal errors.")
    ] = False,
    wide: Annotated[
        bool,
        typer.Option("--wide", help="Tables as wide as their text (no wrapping, no …)."),
    ] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page long output on a terminal.")
    ] = False,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            metavar="A,B,C",
            help="Output only these columns (table, csv, json, ndjson); unknown: exit 2.",
        ),
    ] = None,
    summary_json: Annotated[
        bool,
        typer.Option(
            "--summary-json",
            help="Long jobs: the summary as one JSON line on stdout, after the data.",
        ),
    ] = False,
    wait: Annotated[
        float | None,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            help="Wait this long for another writer (a long import) before exit 6.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Administration of the Belgian health and disability insurance (INAMI/RIZIV)."""
    from inami_cli.config import TABLE_STYLES
    from inami_cli.domain.errors import InvalidInput
    from inami_cli.render import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if table_style is not None and table_style not in TABLE_STYLES:
        raise InvalidInput(f"--table-style: {table_style!r} is not a tabulate style")
    wait_ms = None
    if wait is not None:
        from inami_cli.config import MAX_BUSY_TIMEOUT_MS

        if not 0 <= wait * 1000 <= MAX_BUSY_TIMEOUT_MS:  # NaN fails both comparisons too
            raise InvalidInput(f"--wait: {wait} is not from 0 to {MAX_BUSY_TIMEOUT_MS // 1000}")
        wait_ms = int(wait * 1000)
    selected = None
    if fields is not None:
        selected = tuple(f.strip() for f in fields.split(",") if f.strip())
        if not selected:
            raise InvalidInput("--fields: give column names separated by commas")
    ctx.obj = _STATE[0] = AppState(
        config_path=config,
        db_url=db,
        fmt=fmt,
        table_style=table_style,
        no_input=no_input,
        quiet=quiet,
        verbose=verbose,
        wide=wide,
        no_pager=no_pager,
        fields_given=selected,
        summary_json=summary_json,
        wait_ms=wait_ms,
        argv=list(sys.argv[1:]) if _CURRENT_ARGV is None else list(_CURRENT_ARGV),
    )


app.command("init")(init_cmd.init)
app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.add_typer(audit_cmd.app, name="audit")
app.command("desk")(desk_cmd.desk)
app.command("completion")(completion.completion)

_CURRENT_ARGV: Sequence[str] | None = None
_STATE: list[AppState | None] = [None]  # the running command's state (for run's last word)
# Global options a user may also write after the subcommand (`inami insured X --format json`).
_GLOBAL_WITH_VALUE = {"--config", "--db", "--format", "--table-style", "--fields", "--wait"}
_GLOBAL_FLAGS = {
    "--no-input",
    "--quiet",
    "-q",
    "--verbose",
    "-v",
    "--wide",
    "--no-pager",
    "--summary-json",
}


_ROOT: Any = None


def _root_command() -> Any:
    """The click root command, built once per process."""
    global _ROOT
    if _ROOT is None:
        from typer.models import TyperInfo

        # as typer.main.get_command(app) builds it (no completion options), the eager
        # commands converted on first use: `inami --version` or `inami insured` needs none
        _ROOT = lazy_click_group(app, "inami", TyperInfo(app))
    return _ROOT


def _hoist_globals(argv: list[str]) -> list[str]:
    """Move global options found after the subcommand to the front, unless the subcommand
    defines an option of the same name itself (``meeting minutes --format markdown``)."""
    command = _root_command()
    own: set[str] = set()
    index = 0
    path_done = False
    while index < len(argv) and not path_done:
        arg = argv[index]
        if arg in _GLOBAL_WITH_VALUE:
            index += 2
            continue
        if arg.startswith("-"):
            index += 1
            continue
        sub = command.get_command(None, arg) if hasattr(command, "get_command") else None
        if sub is None:
            path_done = True
        else:
            command = sub
            index += 1
    for param in getattr(command, "params", []):
        own.update(getattr(param, "opts", []))
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_double_dash = False
    while i < len(argv):
        arg = argv[i]
        name, eq, _value = arg.partition("=")
        if arg == "--":
            seen_double_dash = True
        if not seen_double_dash and name in _GLOBAL_WITH_VALUE and name not in own:
            if eq:
                front.append(arg)
                i += 1
            else:
                front.extend(argv[i : i + 2])
                i += 2
            continue
        if not seen_double_dash and arg in _GLOBAL_FLAGS and arg not in own:
            front.append(arg)
            i += 1
            continue
        rest.append(arg)
        i += 1
    return front + rest


def run(argv: Sequence[str] | None = None) -> int:
    """Run ``inami`` with *argv*; return the exit code. Every exception ends here."""
    global _CURRENT_ARGV
    args = list(sys.argv[1:] if argv is None else argv)
    _CURRENT_ARGV = args
    forget_saved()
    instruction = completion.requested()
    if instruction is not None:  # the shell asks for candidates (`inami completion SHELL`)
        return completion.answer(_root_command(), instruction)
    verbose = "--verbose" in args or "-v" in args
    try:
        if any(a.startswith("-") for a in args) and args[:1] not in (["--help"], ["-h"]):
            args = _hoist_globals(args)
        result = _root_command()(args=args, prog_name="inami", standalone_mode=False)
        # click returns the exit code of ctx.exit() (e.g. after --help) in this mode
        code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        if code == ExitStatus.INTERRUPTED:  # typer turns Ctrl-C into a silent Exit(130)
            return _interrupted()
        _fields_check()
        return code
    except typer.Exit as exc:
        if exc.exit_code in (ExitStatus.OK, ExitStatus.NEGATIVE):
            _fields_check()
        return int(exc.exit_code)
    except InamiError as exc:
        _error(exc.message, exc.hint)
        return int(exc.status)
    except (typer.Abort, KeyboardInterrupt):
        return _interrupted()
    except Terminated:
        return _terminated_exit()
    except typer.TyperException as exc:  # click usage errors and friends
        if type(exc).__name__ == "NoArgsIsHelpError":  # click's class, vendored by typer
            # `inami`, `inami nomenclature`: the help, formatted, on stdout (issue 17)
            typer.echo(exc.ctx.get_help())  # type: ignore[attr-defined]
            return int(ExitStatus.OK)
        code = int(getattr(exc, "exit_code", 2))
        ctx = getattr(exc, "ctx", None)
        where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        _error(exc.format_message().replace("\n", " ") + where)
        return code if code != 1 else int(ExitStatus.USAGE)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        mapped = _map_foreign(exc)
        if mapped is not None:
            _error(mapped.message, mapped.hint)
            return int(mapped.status)
        if verbose:
            import traceback

            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc}".splitlines()[0])
        return 70
    finally:
        _CURRENT_ARGV = None
        if "inami_cli.render.terminal" in sys.modules:
            from inami_cli.cli.context import finish_output

            finish_output()
        _STATE[0] = None
        if "sqlalchemy" in sys.modules:
            import contextlib

            from inami_cli.cli.context import dispose_engines
            from inami_cli.cli.outcome import sigint_ignored

            # a Ctrl-C while the last connection checkpoints the WAL would lose nothing (the
            # commit is in the WAL, checkpointed by the next connection), but one that lands
            # inside the pool's close is logged there with a traceback: no Ctrl-C here
            with sigint_ignored(), contextlib.suppress(KeyboardInterrupt):
                dispose_engines()


def _fields_check() -> None:
    """A command whose output has fixed columns (a report, minutes) never applied
    ``--fields``: say so rather than let a script believe its columns were chosen."""
    st = _STATE[0]
    if st is not None and st.fields_ignored():
        sys.stderr.write("inami: warning: --fields: this command's output has fixed columns\n")


def main() -> NoReturn:
    """Console-script entry point."""
    import contextlib
    import signal

    pause_gc_for_start_up()
    # SIGTERM (a service manager, `kill`) ends the command as Ctrl-C does: transactions
    # rolled back, temporary files removed, workers ended; then the conventional 143.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = run()
    except KeyboardInterrupt:  # landed in run's own clean-up, after its handlers
        code = _interrupted()
    except Terminated:
        code = _terminated_exit()
    # The answer is decided: a Ctrl-C from here on (flushing, the interpreter's exit) must
    # not turn a finished command into "killed by SIGINT".
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    leave(code)
