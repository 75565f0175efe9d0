"""``inami config``: where the configuration is, what it says, and editing it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inami_cli.cli.context import state

app = typer.Typer(help="Show and edit the TOML configuration.", no_args_is_help=True)


def _target() -> Path:
    from inami_cli.config import resolve_path, user_config_path

    st = state()
    import os

    return resolve_path(st.config_path, os.environ) or user_config_path()


@app.command("path")
def config_path() -> None:
    """Print the configuration file in use (or the one `config set` would create).

    Examples:
        inami config path
        inami config path --format json
    """
    st = state()
    settings = st.settings
    path = settings.path or _target()
    st.emit({"path": str(path), "exists": path.is_file()})


@app.command("show")
def config_show() -> None:
    """Show every key with its effective value and where it comes from (passwords masked).

    Examples:
        inami config show --format json
        inami config show
    """
    from inami_cli.config import SCHEMA, mask_url

    st = state()
    settings = st.settings
    rows = []
    for key in SCHEMA:
        value = settings.get(key.dotted)
        if key.dotted in settings.overridden:
            origin = "environment"
        elif settings.path is not None and value != key.default:
            origin = str(settings.path)
        else:
            origin = "default"
        if key.dotted == "database.url":
            value = mask_url(str(value)) if value else ""
        rows.append({"key": key.dotted, "value": value, "source": origin})
    if st.output_format == "json":
        st.emit({r["key"]: r["value"] for r in rows})
    else:
        st.emit(rows, columns=["key", "value", "source"])


@app.command("get")
def config_get(key: Annotated[str, typer.Argument(help="section.key, e.g. output.format")]) -> None:
    """Print the effective value of one key.

    Examples:
        inami config get database.busy_timeout_ms
        inami config get output.format
    """
    from inami_cli.config import mask_url
    from inami_cli.render import cell

    st = state()
    value = st.settings.get(key)
    if key == "database.url":
        value = mask_url(str(value))
    if st.output_format in ("json", "ndjson"):  # one JSON value: "table", 5000, true
        from inami_cli.domain.jsonfmt import dumps

        typer.echo(dumps(value))
    else:
        typer.echo(cell(value))


@app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="section.key")],
    value: Annotated[str, typer.Argument(help="new value")],
) -> None:
    """Set one key in the configuration file, keeping its comments and layout.

    Examples:
        inami config set output.format json
        inami config set locale.language nl
    """
    from inami_cli.config import set_value

    st = state()
    path = _target()
    set_value(path, key, value)
    st.info(f"{path}: {key} set")


@app.command("init")
def config_init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print instead of writing.")] = False,
) -> None:
    """Write the documented default configuration file.

    Examples:
        inami config init --stdout > inami.toml
        inami config init --stdout
    """
    from inami_cli.config import render_default_config, write_private
    from inami_cli.domain.errors import Conflict

    text = render_default_config()
    if stdout:
        typer.echo(text, nl=False)
        return
    st = state()
    path = _target()
    if path.exists() and not force:
        raise Conflict(f"{path} exists (pass --force to overwrite)")
    write_private(path, text)
    st.info(f"wrote {path}")
