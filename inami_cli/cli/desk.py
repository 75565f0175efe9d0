"""``inami desk``: the support desk, a guided session of questions for staff on the phone."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from inami_cli.cli.context import state

SCRIPTED = (
    "inami insured NISS --date D, inami reimburse CODE --niss NISS --date D, "
    "inami nomenclature show CODE --date D, inami decision list"
)


def desk() -> None:
    """Answer callers' questions one after another (insured? how much back? code? decision?).

    Examples:
        inami desk
        inami --config /srv/inami/desk.toml desk
    """
    from inami_cli.domain.errors import InvalidInput

    st = state()
    if not st.can_prompt():
        raise InvalidInput(
            "inami desk needs a terminal (stdin and stdout) and no --no-input",
            hint=f"in scripts use {SCRIPTED}",
        )
    from inami_cli.desk.loop import DbBackend, Desk

    backend = DbBackend(
        open_session=lambda write: st.session(write=write),
        language=st.language,
        log_consultations=bool(st.settings.get("audit.log_consultations")),
        spool=_spool_path(),
    )
    with st.session() as session:  # fail now (exit 6) if the database cannot be read
        from sqlalchemy import text

        session.execute(text("SELECT 1"))
    session_desk = Desk(backend, out=sys.stdout, table_style=st.style)
    st.info(
        f"INAMI support desk ({st.language}). Pick a question; Quit or Ctrl-C at the menu to leave."
    )
    try:
        session_desk.run()
    except KeyboardInterrupt:
        # Ctrl-C outside any prompt (while an answer is computed): leave, the log kept. The
        # one "interrupted" line is cli.app.run's, for exit 130.
        backend.close()
        raise typer.Exit(130) from None
    spooled = backend.close()
    if spooled:
        st.warn(
            f"{spooled} consultation log line(s) could not be written (database busy): "
            f"kept in {_spool_path()}, written by the next desk session"
        )


def _spool_path() -> Path:
    """Where consultation log lines wait when the database stays busy (per user)."""
    from inami_cli.desk.journal import default_spool

    return default_spool()
