"""Shell completion: ``inami completion bash|zsh|fish`` prints the script; the shell then runs
``inami`` with ``_INAMI_COMPLETE`` set, and commands, options and stored values (codes,
committees, decision numbers, provider and person numbers) are offered (issue 17).

The answering side uses typer's completion classes (its scripts call ``complete_bash``,
``complete_zsh``, ``complete_fish``); click's spelling ``bash_complete`` is accepted too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

COMPLETE_VAR = "_INAMI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")

# parameter name (as in helptext.METAVARS) -> kind of stored value (services/completion.py)
COMPLETED: dict[str, str] = {
    "code": "code",
    "codes": "code",
    "supplement": "code",
    "not-combinable-with": "code",
    "committee": "committee",
    "number": "decision",
    "decision": "decision",
    "nihii": "provider",
    "provider-id": "provider",
    # never "niss": completing a prefix would list the register's persons to whoever types
    # one, unlogged (the consultation log covers every read of a person's data, issue 20)
    "meeting": "meeting",
    "meeting-id": "meeting",
}


def completion(
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish", help="The shell.")],
) -> None:
    """Print the shell completion script (commands, options, codes, committees, decisions).

    Bash: add `eval "$(inami completion bash)"` to ~/.bashrc; zsh: the same with zsh in
    ~/.zshrc (after compinit); fish: write `inami completion fish` to
    ~/.config/fish/completions/inami.fish.

    Examples:
        inami completion bash
        inami completion zsh
        inami completion fish
    """
    from inami_cli.domain.errors import InvalidInput

    if shell not in SHELLS:
        raise InvalidInput(f"completion: {shell!r} is not one of {', '.join(SHELLS)}")
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="inami", complete_var=COMPLETE_VAR, shell=shell))


def answer(root: Any, instruction: str) -> int:
    """Answer the shell's completion request *instruction* (``complete_bash``, ...)."""
    from typer._completion_classes import completion_init
    from typer.completion import shell_complete

    first, _, second = instruction.partition("_")
    if first in SHELLS:  # click's order, "bash_complete"
        instruction = f"{second}_{first}"
    completion_init()
    # While the shell asks for candidates no command runs: values stay as typed, which
    # spares typer's conversion of each one (it imports pydantic: ~0.12 s a key press).
    # The help shown beside zsh and fish candidates is plain text here (no rich markup):
    # typer would import rich to render it (~0.1 s).
    import typer._completion_classes as classes
    from typer.core import _TyperParameter

    converting, rendering = _TyperParameter.process_value, classes._sanitize_help_text
    _TyperParameter.process_value = _as_typed  # type: ignore[assignment,method-assign]
    classes._sanitize_help_text = _plain
    try:
        return int(shell_complete(root, {}, "inami", COMPLETE_VAR, instruction))
    finally:
        _TyperParameter.process_value = converting  # type: ignore[method-assign]
        classes._sanitize_help_text = rendering


def _as_typed(_self: Any, _ctx: Any, value: Any) -> Any:
    return value


def _plain(text: str) -> str:
    return text


def _database_url(ctx: Any) -> str:
    """The database the command line would use: --db, else the configuration."""
    root = ctx.find_root()
    url = root.params.get("db")
    if url:
        return str(url)
    from inami_cli.config import load_settings

    config = root.params.get("config")
    return load_settings(Path(config) if config else None).database_url


def value_completer(kind: str) -> Callable[[Any, Any, str], list[str]]:
    """A click ``shell_complete`` callback offering stored values of *kind*."""

    def complete(ctx: Any, _param: Any, incomplete: str) -> list[str]:
        from inami_cli.services.completion import candidates

        wanted = kind
        if kind == "code" and ctx.command_path.split()[1:2] == ["maf"]:
            wanted = "household"  # `maf household show CODE`: a household's code
        try:
            url = _database_url(ctx)
        except Exception:  # a broken configuration: offer nothing, say nothing
            return []
        return candidates(url, wanted, incomplete)

    return complete


def attach_completers(command: Any) -> None:
    """Give each parameter of *command* that takes a stored value its completer."""
    for param in getattr(command, "params", []):
        name = (param.opts[0] if param.opts else param.name or "").lstrip("-")
        kind = COMPLETED.get(name.lower().replace("_", "-"))
        if kind is not None and getattr(param, "_custom_shell_complete", None) is None:
            param._custom_shell_complete = value_completer(kind)


def requested() -> str | None:
    """The completion instruction of the environment, if the shell is asking."""
    return os.environ.get(COMPLETE_VAR) or None
