"""``inami nomenclature show | search | list``."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.nomenclature._common import (
    ArticleOpt,
    DateOpt,
    act_record,
    date_or_today,
    label_of,
    optional_date,
    tariff_record,
    warn_all,
)
from inami_cli.domain.errors import NotFound


def nomenclature_show(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    on: DateOpt = None,
    history: Annotated[bool, typer.Option("--history", help="List every tariff period.")] = False,
    as_recorded_on: Annotated[
        str | None,
        typer.Option("--as-recorded-on", help="Answer as the database would have on this date."),
    ] = None,
) -> None:
    """Show a code, its tariff on a date with each profile's reimbursement and share.

    Examples:
        inami nomenclature show 101076 --date 2026-03-02
        inami nomenclature show 560011 --history
        inami nomenclature show 101076 --date 2026-03-02 --format json
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    st.one_table("nomenclature show")  # csv: refused up front (issue 17)
    day = date_or_today(on, "--date")
    recorded = optional_date(as_recorded_on, "--as-recorded-on")
    with st.reader() as session:
        result = svc.show(
            session=session, code=code, on=day, history=history, as_recorded_on=recorded
        )
        rule_periods = svc.list_act_rules(session=session, code=code) if history else []
    warn_all(result.warnings)
    if result.tariff is None:
        nearest = ", ".join(result.nearest) or "none recorded"
        message = f"no tariff for {result.act.code} on {day} (nearest periods: {nearest})"
        if st.settings.get("rules.missing_tariff") != "warn" and not (history and result.history):
            raise NotFound(message, hint="--date DATE, or --history")
        st.warn(message)
    record = act_record(result.act)
    record["date"] = day
    record["tariff"] = tariff_record(result.tariff) if result.tariff else None
    if history:
        record["history"] = [
            {
                "valid_from": line.valid_from,
                "valid_to": line.valid_to,
                "fee": line.fee,
                "fee_derived": line.fee_derived,
                "source": line.source,
                "source_kind": line.source_kind,
                "decision_number": line.decision_number,
                "profiles": [
                    {
                        "profile": p.profile,
                        "reimbursement": p.reimbursement,
                        "personal_share": p.personal_share,
                    }
                    for p in line.profiles
                ],
            }
            for line in result.history
        ]
        # act rules dated like tariffs; outside these periods the act's own columns apply
        record["rule_history"] = [svc.period_record(p) for p in rule_periods]
    if st.output_format in ("json", "ndjson"):
        st.emit(record)
        return
    flat = {k: v for k, v in record.items() if k not in ("tariff", "history", "rule_history")}
    flat["label"] = label_of(result.act)
    if result.tariff is not None:
        tariff = record["tariff"]
        flat.update(
            {
                "tariff_period": f"{tariff['valid_from']}..{tariff['valid_to'] or ''}",
                "fee": tariff["fee"],
                "fee_derived": tariff["fee_derived"],
                "source": tariff["source"],
                "decision_number": tariff["decision_number"],
            }
        )
    st.emit(flat)
    if result.tariff is not None:
        st.heading("Reimbursement by profile")
        st.emit(
            record["tariff"]["profiles"], columns=["profile", "reimbursement", "personal_share"]
        )
    if history:
        st.heading("Tariff history")
        st.emit(
            [
                {
                    "valid_from": h["valid_from"],
                    "valid_to": h["valid_to"],
                    "fee": h["fee"],
                    "profiles": "; ".join(
                        f"{p['profile']} {p['reimbursement']}" for p in h["profiles"]
                    ),
                    "source": h["source"],
                }
                for h in record["history"]
            ],
            columns=["valid_from", "valid_to", "fee", "profiles", "source"],
        )
        if rule_periods:
            st.heading("Act rules history")
            st.emit(
                [
                    {
                        "rules_from": p.valid_from,
                        "rules_to": p.valid_to,
                        "rules": p.summary(),
                        "source": p.source,
                    }
                    for p in rule_periods
                ],
                columns=["rules_from", "rules_to", "rules", "source"],
            )


def nomenclature_search(
    text: Annotated[str, typer.Argument(help="Words to find in the FR/NL labels (or a code).")],
    article: ArticleOpt = None,
    on: DateOpt = None,
    active: Annotated[
        bool, typer.Option("--active", help="Only codes that exist and have a tariff on --date.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most N results.")] = 20,
) -> None:
    """Find codes by words of their labels, accents and case ignored, best first.

    Examples:
        inami nomenclature search "consultation medecin" --active
        inami nomenclature search kinesitherapie
        inami nomenclature search tandarts --format json
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = date_or_today(on, "--date")
    with st.reader() as session:
        hits = svc.search(
            session=session, text=text, article=article, on=day, active=active, limit=limit
        )
    rows = [
        {
            "code": h.code,
            "article": h.article,
            "label": h.label_nl if st.language == "nl" else h.label_fr,
            "label_fr": h.label_fr,
            "label_nl": h.label_nl,
            "score": h.score,
        }
        for h in hits
    ]
    columns = ["code", "article", "label", "score"]
    if st.output_format not in ("table",):
        columns = ["code", "article", "label_fr", "label_nl", "score"]
        rows = [{k: r[k] for k in columns} for r in rows]
    st.emit(rows, columns=columns)
    if not hits:
        st.info(f"no code matches {text!r}")


def nomenclature_list(article: ArticleOpt = None, on: DateOpt = None) -> None:
    """List codes (of an article) with their fee on a date.

    Examples:
        inami nomenclature list --article 2 --date 2026-01-01
        inami nomenclature list --date 2026-03-02 --format csv
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = optional_date(on, "--date")
    with st.reader() as session:
        listed = svc.list_acts(session=session, article=article, on=day)
    st.emit(
        [
            {
                "code": item.act.code,
                "article": item.act.article,
                "category": item.act.category,
                "label": label_of(item.act),
                "fee": item.fee,
            }
            for item in listed
        ],
        columns=["code", "article", "category", "label", "fee"],
    )
