"""The parameter store in the database: read it whole, validate a row's cells, the shipped
reference file (``inami_cli/data/indemnity_params.csv``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IndemnityParam
from inami_cli.domain import indemnities as rules
from inami_cli.domain.dates import parse_date
from inami_cli.domain.indemnities import Param, ParamStore
from inami_cli.tabular import Columns

PARAM_COLUMNS = Columns(
    required=("name", "valid_from", "valid_to", "value", "unit", "source", "reliability"),
    optional=("note",),
    aliases={"from": "valid_from", "to": "valid_to", "url": "source", "source_url": "source"},
)
REFERENCE_FILE = Path(__file__).resolve().parents[2] / "data" / "indemnity_params.csv"

_P = IndemnityParam.__table__.c  # type: ignore[attr-defined]


def _param_of(row: Any) -> Param:
    return Param(
        row.name, row.valid_from, row.valid_to, row.value, row.unit, row.reliability,
        row.source, row.note or "",
    )  # fmt: skip


def load_store(*, session: Session) -> ParamStore:
    """Every parameter row of the database, in memory (a few hundred rows)."""
    query = select(
        _P.name, _P.valid_from, _P.valid_to, _P.value, _P.unit, _P.reliability, _P.source,
        _P.note,
    ).order_by(_P.name, _P.valid_from)  # fmt: skip
    return ParamStore(_param_of(r) for r in session.execute(query))


def param_from_cells(cells: dict[str, str]) -> Param:
    """A validated row from text cells (an import line or the ``params set`` flags)."""
    start = parse_date(cells.get("valid_from", ""), what="valid_from")
    end_text = cells.get("valid_to", "").strip()
    end: date | None = parse_date(end_text, what="valid_to") if end_text else None
    return rules.check_param(
        name=cells.get("name", ""),
        valid_from=start,
        valid_to=end,
        value=cells.get("value", ""),
        unit=cells.get("unit", "").strip(),
        reliability=cells.get("reliability", "").strip().lower(),
        source=cells.get("source", ""),
        note=cells.get("note", ""),
    )


def param_dict(param: Param | IndemnityParam) -> dict[str, Any]:
    """The audited snapshot of a row."""
    return {
        "name": param.name,
        "valid_from": param.valid_from,
        "valid_to": param.valid_to,
        "value": param.value,
        "unit": param.unit,
        "reliability": param.reliability,
        "source": param.source,
        "note": param.note or "",
    }
