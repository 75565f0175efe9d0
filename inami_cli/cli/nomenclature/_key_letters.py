"""``inami nomenclature key-letter set | list``: values of key-letter indexes over time."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.nomenclature._common import (
    DateOpt,
    SourceOpt,
    optional_date,
)
from inami_cli.domain.dates import parse_date


def _key_record(line: Any) -> dict[str, Any]:
    return {
        "index_code": line.index_code,
        "valid_from": line.valid_from,
        "valid_to": line.valid_to,
        "value": line.value,
        "source": line.source,
        "codes": list(line.codes),
    }


def key_letter_set(
    index_code: Annotated[str, typer.Argument(help="Index, e.g. N265.")],
    from_: Annotated[str | None, typer.Option("--from", help="First day of the value.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Value, e.g. 3.372107.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: open).")] = None,
    source: SourceOpt = None,
) -> None:
    """Give a key-letter index a value from a date (fees using it are re-derived).

    Examples:
        inami nomenclature key-letter set N265 --from 2025-01-01 --value 3.372107
        inami nomenclature key-letter list --date 2025-06-01
    """
    from inami_cli.domain.values import parse_key_value
    from inami_cli.services import nomenclature as svc

    st = state()
    day = parse_date(st.require(from_, "--from"), what="--from")
    amount: Decimal = parse_key_value(st.require(value, "--value"), what="--value")
    with st.session(write=True) as session:
        line = svc.set_key_letter(
            session=session,
            index_code=index_code,
            valid_from=day,
            value=amount,
            valid_to=optional_date(to, "--to"),
            source=source or "",
        )
    if line.codes:
        st.info(f"fees re-derived from {day} for: {', '.join(line.codes)}")
    st.emit(_key_record(line))


def key_letter_list(on: DateOpt = None) -> None:
    """List key-letter values (those in force on --date when given).

    Examples:
        inami nomenclature key-letter list --date 2025-06-01
        inami nomenclature key-letter list --format json
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = optional_date(on, "--date")
    with st.session() as session:
        lines = svc.list_key_letters(session=session, on=day)
    st.emit(
        [_key_record(line) for line in lines],
        columns=["index_code", "valid_from", "valid_to", "value", "source", "codes"],
    )
