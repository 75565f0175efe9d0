"""What the ``inami nomenclature`` commands share: common options, dates, act and tariff
records as emitted."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.domain.dates import parse_date

if TYPE_CHECKING:
    from inami_cli.domain.nomenclature import ActView
    from inami_cli.domain.tariffs import TariffView

DateOpt = Annotated[str | None, typer.Option("--date", help="Date (YYYY-MM-DD); default today.")]
ArticleOpt = Annotated[str | None, typer.Option("--article", help="Article, e.g. 2, 5, 7.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where this comes from.")]


def date_or_today(text: str | None, what: str) -> date:
    """The date given to option *what*, or today."""
    return parse_date(text, what=what) if text else date.today()


def optional_date(text: str | None, what: str) -> date | None:
    """The date given to option *what*, or None."""
    return parse_date(text, what=what) if text else None


def label_of(act: ActView) -> str:
    """The act's label in the configured language."""
    return act.label_nl if state().language == "nl" else act.label_fr


def act_record(act: ActView) -> dict[str, Any]:
    """An act as the commands emit it."""
    return {
        "code": act.code,
        "label_fr": act.label_fr,
        "label_nl": act.label_nl,
        "article": act.article,
        "category": act.category,
        "setting": act.setting,
        "valid_from": act.valid_from,
        "valid_to": act.valid_to,
        "key_terms": act.key_terms or None,
        "min_age": act.min_age,
        "max_age": act.max_age,
        "max_per_period": act.max_per_period,
        "frequency_period": act.frequency_period,
        "not_combinable_with": list(act.not_combinable_with),
        "prerequisite": act.prerequisite,
    }


def tariff_record(view: TariffView) -> dict[str, Any]:
    """A tariff as the commands emit it, with each profile's personal share."""
    from inami_cli.services.nomenclature import profile_lines

    return {
        "valid_from": view.valid_from,
        "valid_to": view.valid_to,
        "fee": view.fee,
        "fee_derived": view.fee_derived,
        "source": view.source,
        "source_kind": view.source_kind,
        "decision_number": view.decision_number,
        "profiles": [
            {
                "profile": line.profile,
                "reimbursement": line.reimbursement,
                "personal_share": line.personal_share,
            }
            for line in profile_lines(view)
        ],
    }


def warn_all(warnings: tuple[str, ...] | list[str]) -> None:
    """Each warning on stderr."""
    st = state()
    for warning in warnings:
        st.warn(warning)
