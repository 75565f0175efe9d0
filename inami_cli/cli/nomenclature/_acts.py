"""``inami nomenclature add | update | retire``: codes, their labels and rules."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.nomenclature._common import ArticleOpt, SourceOpt, act_record, warn_all
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput

LabelFr = Annotated[str | None, typer.Option("--label-fr", help="French label.")]
LabelNl = Annotated[str | None, typer.Option("--label-nl", help="Dutch label.")]
Category = Annotated[
    str | None,
    typer.Option("--category", help="Rule family: gp_consultation, gp_visit, dental, ..."),
]
Setting = Annotated[str | None, typer.Option("--setting", help="ambulatory, hospitalised or any.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="Exists from this date.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Exists until this date (inclusive).")]
MinAge = Annotated[int | None, typer.Option("--min-age", help="Minimum age (inclusive).")]
MaxAge = Annotated[int | None, typer.Option("--max-age", help="Maximum age (inclusive).")]
MaxPer = Annotated[int | None, typer.Option("--max-per-period", help="Maximum number per period.")]
FreqPeriod = Annotated[
    str | None,
    typer.Option(
        "--frequency-period",
        help="day, calendar_month, calendar_year, semester, three_calendar_years, "
        "rolling_year, per_prescription.",
    ),
]
NotWith = Annotated[
    str | None,
    typer.Option("--not-combinable-with", help="Codes not billable the same day (space/comma)."),
]
Prereq = Annotated[
    str | None, typer.Option("--prerequisite", help="Named rule, e.g. dental_care_previous_year.")
]
KeyTerms = Annotated[
    str | None, typer.Option("--key-terms", help="Fee terms, e.g. N265*8+Q124*30.")
]


def _act_changes(**options: Any) -> dict[str, Any]:
    from inami_cli.domain.nomenclature import parse_code_list

    changes: dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        if name in ("valid_from", "valid_to"):
            value = parse_date(value, what=f"--{name.split('_')[1]}")
        elif name == "not_combinable_with":
            value = parse_code_list(value)
        changes[name] = value
    return changes


def nomenclature_add(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    label_fr: LabelFr = None,
    label_nl: LabelNl = None,
    article: ArticleOpt = None,
    category: Category = None,
    setting: Setting = None,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    min_age: MinAge = None,
    max_age: MaxAge = None,
    max_per_period: MaxPer = None,
    frequency_period: FreqPeriod = None,
    not_combinable_with: NotWith = None,
    prerequisite: Prereq = None,
    key_terms: KeyTerms = None,
    source: SourceOpt = None,
) -> None:
    """Add a nomenclature code with its labels and rules.

    Examples:
        inami nomenclature add 109991 --label-fr Consultation --label-nl Raadpleging
        inami nomenclature add 109992 --label-fr Visite --label-nl Bezoek --article 2 --setting ambulatory
    """  # noqa: E501
    from inami_cli.domain.nomenclature import ActView as View
    from inami_cli.domain.nomenclature import validate_code
    from inami_cli.services import nomenclature as svc

    st = state()
    code = validate_code(code)
    fr = st.require(label_fr, "--label-fr", ask=lambda: _ask("French label"))
    nl = st.require(label_nl, "--label-nl", ask=lambda: _ask("Dutch label"))
    changes = _act_changes(
        article=article,
        category=category,
        setting=setting,
        valid_from=valid_from,
        valid_to=valid_to,
        min_age=min_age,
        max_age=max_age,
        max_per_period=max_per_period,
        frequency_period=frequency_period,
        not_combinable_with=not_combinable_with,
        prerequisite=prerequisite,
        key_terms=key_terms,
        source=source,
    )
    with st.session(write=True) as session:
        result = svc.add_act(
            session=session, act=View(code=code, label_fr=fr, label_nl=nl, **changes)
        )
    warn_all(result.warnings)
    st.emit(act_record(result.act))


def _ask(what: str) -> str:
    import questionary

    answer: str | None = questionary.text(f"{what}:").ask()
    return answer if answer is None else answer.strip()  # type: ignore[return-value]


def nomenclature_update(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    label_fr: LabelFr = None,
    label_nl: LabelNl = None,
    article: ArticleOpt = None,
    category: Category = None,
    setting: Setting = None,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    min_age: MinAge = None,
    max_age: MaxAge = None,
    max_per_period: MaxPer = None,
    frequency_period: FreqPeriod = None,
    not_combinable_with: NotWith = None,
    prerequisite: Prereq = None,
    key_terms: KeyTerms = None,
    source: SourceOpt = None,
) -> None:
    """Change the labels or rules of a code.

    Examples:
        inami nomenclature update 301593 --max-age 66
        inami nomenclature update 301593 --label-nl "Preventief mondonderzoek"
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    changes = _act_changes(
        label_fr=label_fr,
        label_nl=label_nl,
        article=article,
        category=category,
        setting=setting,
        valid_from=valid_from,
        valid_to=valid_to,
        min_age=min_age,
        max_age=max_age,
        max_per_period=max_per_period,
        frequency_period=frequency_period,
        not_combinable_with=not_combinable_with,
        prerequisite=prerequisite,
        key_terms=key_terms,
        source=source,
    )
    if not changes:
        raise InvalidInput("nothing to change: pass at least one option (see --help)")
    with st.session(write=True) as session:
        result = svc.update_act(session=session, code=code, changes=changes)
    warn_all(result.warnings)
    st.emit(act_record(result.act))


def nomenclature_retire(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="First day the code no longer exists.")
    ] = None,
) -> None:
    """Retire a code from a date (it and its open tariff end the day before).

    Examples:
        inami nomenclature retire 101010 --from 2027-01-01
        inami nomenclature show 101010 --history
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = parse_date(st.require(from_, "--from"), what="--from")
    with st.session(write=True) as session:
        result = svc.retire_act(session=session, code=code, from_=day)
    st.emit(act_record(result.act))
