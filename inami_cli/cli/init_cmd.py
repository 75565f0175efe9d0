"""``inami init``: configuration if missing, database, migrations, reference data, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inami_cli.cli.context import state


def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Also load the demo fixtures (idempotent).")
    ] = False,
    fixtures: Annotated[
        Path | None,
        typer.Option(
            help="Fixtures directory (default: the demo data shipped in the package).",
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """Set everything up: config file if missing, database schema, reference data.

    Examples:
        inami init --demo
        inami init
    """
    import os

    from inami_cli.config import render_default_config, resolve_path, user_config_path
    from inami_cli.services.dbadmin import initialise
    from inami_cli.services.setup import load_demo, load_reference

    st = state()
    config_file = resolve_path(st.config_path, os.environ)
    if config_file is None or not config_file.exists():
        target = config_file or user_config_path()
        from inami_cli.config import write_private

        write_private(target, render_default_config())
        st.info(f"wrote default configuration {target}")
    revision = initialise(st.engine(create=True))
    with st.session(write=True) as session:
        load_reference(session=session)
    if demo:
        with st.session(write=True) as session:
            loaded = load_demo(session=session, fixtures_dir=fixtures)
        st.info(f"demo data loaded: {', '.join(loaded) or 'nothing to load'}")
    st.info(f"database ready at schema {revision}")
