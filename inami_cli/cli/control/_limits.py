"""``inami control fine`` and ``inami control prescription``: the legal limits of control."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from inami_cli.cli.context import state


def _emit(record: dict[str, Any]) -> None:
    """One record; in a table the source (a long URL) goes on its own line below it."""
    st = state()
    if st.output_format != "table":
        st.emit(record)
        return
    st.emit({k: v for k, v in record.items() if k != "source"})
    typer.echo(f"source: {record['source']}")


def control_fine(
    article: Annotated[
        str | None, typer.Option("--article", help="73bis-1, 73bis-2, 73bis-3 or 73bis-4.")
    ] = None,
    indu: Annotated[
        str | None, typer.Option("--indu", help="The value unduly paid, in euros.")
    ] = None,
    rate: Annotated[str | None, typer.Option("--rate", help="The fine, % of the indu.")] = None,
    suspended: Annotated[
        str, typer.Option("--suspended", help="Points of the rate suspended (sursis).")
    ] = "0",
    rounding: Annotated[
        str, typer.Option("--rounding", help="truncate (as published decisions) or half-up.")
    ] = "truncate",
    no_repayment: Annotated[
        bool, typer.Option("--no-repayment", help="73bis-2 only: a fine without repayment.")
    ] = False,
) -> None:
    """Compute an art. 142 fine: the rate checked against the band, fine, suspended, effective.

    Examples:
        inami control fine --article 73bis-1 --indu 78228.14 --rate 175 --suspended 25
        inami control fine --article 73bis-1 --indu 1200 --rate 100 --format json
    """
    from inami_cli.domain.money import parse_amount, parse_decimal
    from inami_cli.services import control

    st = state()
    the_article = st.require(article, "--article")
    the_indu = parse_amount(st.require(indu, "--indu"), what="--indu")
    the_rate = parse_decimal(st.require(rate, "--rate"), what="--rate")
    result = control.fine(
        article=the_article, indu=the_indu, rate=the_rate,
        suspended=parse_decimal(suspended, what="--suspended"), rounding=rounding,
        repay=not no_repayment,
    )  # fmt: skip
    _emit({
        "article": result.article, "infringement": result.infringement, "indu": result.indu,
        "rate_pct": result.rate, "band": f"{result.band_low}–{result.band_high} %",
        "repayment": result.repayment, "fine": result.fine,
        "suspended_pct": result.suspended_rate, "suspended": result.suspended,
        "effective": result.effective, "total_due": result.repayment + result.effective,
        "rounding": result.rounding, "decided_by": result.decided_by, "source": result.source,
    })  # fmt: skip


def control_prescription(
    service_date: Annotated[
        str | None,
        typer.Option("--service-date", help="Date of the care (the payment's term)."),
    ] = None,
    action: Annotated[
        str, typer.Option("--action", help="payment (of the care) or recovery (of an indu).")
    ] = "payment",
    reimbursed_on: Annotated[
        str | None,
        typer.Option("--reimbursed-on", help="Recovery: the date of the undue reimbursement."),
    ] = None,
    fraud: Annotated[
        bool, typer.Option("--fraud", help="Fraudulent manoeuvres: 5 years (art. 174 §3).")
    ] = False,
    fraud_end: Annotated[
        str | None, typer.Option("--fraud-end", help="When the fraudulent conduct ended.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Is it prescribed on this date? (exit 1 if so)")
    ] = None,
) -> None:
    """Give the last valid date of a payment or a recovery (art. 174; exit 1 if --on is late).

    Examples:
        inami control prescription --service-date 2023-11-14 --action payment
        inami control prescription --service-date 2023-11-14 --action recovery --reimbursed-on 2024-01-10
    """  # noqa: E501
    from inami_cli.domain.dates import parse_date
    from inami_cli.domain.errors import InvalidInput, Negative
    from inami_cli.services import control

    st = state()
    if action == "recovery":
        if reimbursed_on is None:
            hint = " (--service-date is for payments)" if service_date else ""
            st.require(None, "--reimbursed-on (the recovery runs from the reimbursement)" + hint)
        text, flag = reimbursed_on, "--reimbursed-on"
    elif action == "payment":
        if reimbursed_on is not None:
            raise InvalidInput("--reimbursed-on is for --action recovery")
        text, flag = st.require(service_date, "--service-date"), "--service-date"
    else:
        raise InvalidInput(f"--action {action!r}: expected payment or recovery")
    assert text is not None
    result = control.prescription(
        action=action, day=parse_date(text, what=flag), fraud=fraud,
        fraud_end=parse_date(fraud_end, what="--fraud-end") if fraud_end else None,
    )  # fmt: skip
    record = {
        "action": result.action, "date": result.start, "runs_from": result.runs_from,
        "years": result.years, "last_valid_date": result.last_valid_date, "fraud": result.fraud,
        "rule": result.rule, "source": result.source,
    }  # fmt: skip
    late = False
    if on is not None:
        asked = parse_date(on, what="--on")
        late = result.prescribed_on(asked)
        record["on"] = asked
        record["prescribed"] = late
    _emit(record)
    if late:
        raise Negative(f"prescribed: the last valid date was {result.last_valid_date}")
