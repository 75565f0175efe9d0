"""``inami nomenclature check FILE``: assertions of published amounts (golden checks)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import problems_listed
from inami_cli.domain.errors import InvalidInput


def nomenclature_check(
    file: Annotated[str, typer.Argument(help="CSV of assertions, or - for stdin.")],
) -> None:
    """Check published amounts against the computed ones; print nothing and exit 0 when all hold.

    Each line: code, date, beneficiary (regime, dmg, age, chronic, bim_automatic), provider,
    setting, charged, history, and the expected fee, reimbursement, personal_share,
    supplement, patient_total, status or refusal_code with their source. Every difference is
    printed as FILE:LINE: expected X, computed Y (exit 1); a bad line is exit 2.

    Examples:
        inami nomenclature check fixtures/published_amounts.csv
        inami nomenclature check fixtures/published_amounts.csv --format json
    """
    from inami_cli.services import reimbursement as svc

    st = state()
    if file == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        path = Path(file)
        if not path.is_file():
            raise InvalidInput(f"{file}: no such file")  # exit 2, as every command (issue 17)
        data, name = path.read_bytes(), file
    with problems_listed(), st.session() as session:
        summary = svc.check_assertions(session=session, data=data, filename=name)
    if st.output_format in ("json", "ndjson", "csv"):
        st.emit(
            [
                {
                    "file": d.filename,
                    "line": d.line,
                    "code": d.code,
                    "date": d.date,
                    "difference": d.message,
                    "source": d.source,
                }
                for d in summary.differences
            ],
            columns=["file", "line", "code", "date", "difference", "source"],
        )
    else:
        for difference in summary.differences:
            typer.echo(difference.text())
    if summary.differences:
        st.info(
            f"{len(summary.differences)} difference(s) in {summary.lines} lines "
            f"({summary.assertions} amounts asserted)"
        )
        raise typer.Exit(1)
