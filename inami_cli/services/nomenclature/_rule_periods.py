"""Act rules dated like tariffs, read: a code's periods, all of them for the batches, an
act as its rules stand on a date. Through the generated Core table (``db.tables``): the
one-shot reads import no SQLModel (issue 19); ``_act_rules`` writes them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from inami_cli.db.tables.nomenclature import act_rule as RULE
from inami_cli.domain.nomenclature import ActRulePeriod, ActView, DatedAct, rules_on
from inami_cli.services.nomenclature._reads import get_act

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session


def _period(row: Any) -> ActRulePeriod:
    return ActRulePeriod(
        code=row.code, valid_from=row.valid_from, valid_to=row.valid_to, min_age=row.min_age,
        max_age=row.max_age, max_per_period=row.max_per_period,
        frequency_period=row.frequency_period,
        not_combinable_with=tuple(row.not_combinable_with.split()),
        prerequisite=row.prerequisite, setting=row.setting, source=row.source,
    )  # fmt: skip


def period_record(period: ActRulePeriod) -> dict[str, Any]:
    """A period as an output record (the import's columns)."""
    return {
        "code": period.code, "valid_from": period.valid_from, "valid_to": period.valid_to,
        "min_age": period.min_age, "max_age": period.max_age,
        "max_per_period": period.max_per_period, "frequency_period": period.frequency_period,
        "not_combinable_with": " ".join(period.not_combinable_with),
        "prerequisite": period.prerequisite, "setting": period.setting,
        "source": period.source,
    }  # fmt: skip


def _rows_of(session: Session, code: str) -> list[Any]:
    query = select(RULE).where(RULE.c.code == code).order_by(RULE.c.valid_from)
    return list(session.execute(query))


def list_act_rules(*, session: Session, code: str) -> list[ActRulePeriod]:
    """The dated rule periods of a code, oldest first (NotFound for an unknown code)."""
    act = get_act(session=session, code=code)
    return [_period(r) for r in _rows_of(session, act.code)]


def load_act_rules(*, session: Session) -> dict[str, tuple[ActRulePeriod, ...]]:
    """Every dated rule period by code (for batches)."""
    out: dict[str, list[ActRulePeriod]] = {}
    for row in session.execute(select(RULE).order_by(RULE.c.valid_from)):
        out.setdefault(row.code, []).append(_period(row))
    return {code: tuple(periods) for code, periods in out.items()}


def act_on(*, session: Session, code: str, on: date) -> ActView | DatedAct:
    """The act of *code* with the rules in force on *on* (NotFound for an unknown code)."""
    act = get_act(session=session, code=code)
    rows = _rows_of(session, act.code)
    if not rows:
        return act
    return rules_on(act, {act.code: [_period(r) for r in rows]}, on)
