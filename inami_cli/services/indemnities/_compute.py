"""``indemnity compute``, ``indemnity period``, ``indemnity stage``: the cases built from the
flags, or from a person's recorded spell with the flags winning, and the derived-figure
policy (a warning, or exit 4 with ``--strict``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inami_cli.domain import indemnities as rules
from inami_cli.domain.errors import Conflict, MissingValue
from inami_cli.domain.indemnities import (
    IncapacityCase,
    IncapacityResult,
    ParamStore,
    PeriodResult,
    StageResult,
)
from inami_cli.services.indemnities._episodes import SpellView, episode_list, spell_on
from inami_cli.services.indemnities._store import load_store


@dataclass(frozen=True)
class CaseInput:
    """What the flags (or a batch row) say; None: take it from the recorded spell."""

    scheme: str | None = None
    start: date | None = None
    end: date | None = None
    family_situation: str | None = None
    gross_daily: Decimal | None = None
    gross_monthly: Decimal | None = None
    regular_worker: bool | None = None
    work_schedule: int = 6
    worker_category: str | None = None
    unemployment_daily: Decimal | None = None
    assimilation: bool = False
    kind: str | None = None
    resumption_hours: Decimal | None = None
    fulltime_hours: Decimal | None = None
    round_percent: bool = False


def build_case(given: CaseInput, on: date, spell: SpellView | None = None) -> IncapacityCase:
    """The domain case: the flags, completed by the spell when there is one."""
    start = given.start or (spell.episode_start if spell else None)
    if start is None:
        raise MissingValue("missing value: pass --incapacity-start (or a NISS with a spell)")
    scheme = given.scheme or (spell.scheme if spell else None)
    if scheme is None:
        raise MissingValue("missing value: pass --scheme (or a NISS with a spell)")
    situation = given.family_situation or (spell.family_situation if spell else None)
    if situation is None:
        raise MissingValue("missing value: pass --family-situation")
    gross = given.gross_daily
    if gross is None and given.gross_monthly is None and spell is not None:
        gross = spell.gross_daily
    return IncapacityCase(
        scheme=scheme, start=start, on=on, family_situation=situation, gross_daily=gross,
        gross_monthly=given.gross_monthly,
        regular_worker=given.regular_worker if given.regular_worker is not None
        else (spell.regular_worker if spell else True),
        work_schedule=given.work_schedule,
        worker_category=given.worker_category or (spell.worker_category if spell else
                                                  "white-collar"),
        unemployment_daily=given.unemployment_daily,
        end=given.end if given.end is not None else (spell.valid_to if spell else None),
        assimilation=given.assimilation,
        kind=given.kind or (spell.kind if spell else "primary"),
        resumption_hours=given.resumption_hours, fulltime_hours=given.fulltime_hours,
        round_percent=given.round_percent,
    )  # fmt: skip


def warnings_for(derived: tuple[str, ...] | list[str], other: tuple[str, ...] = ()) -> list[str]:
    """The stderr lines of a computation: the derived figures first (one line), then the rest."""
    lines: list[str] = []
    if derived:
        names = ", ".join(derived[:3]) + (f" and {len(derived) - 3} more" if len(derived) > 3
                                          else "")  # fmt: skip
        lines.append(
            f"uses derived parameter(s), not published figures: {names}; "
            "replace them with `inami indemnity params set` or refuse them with --strict"
        )
    lines.extend(other)
    return lines


def refuse_derived(derived: tuple[str, ...] | list[str], strict: bool) -> None:
    """``--strict``: a computation that needs a derived figure is refused (exit 4)."""
    if strict and derived:
        raise Conflict(
            f"--strict: the computation needs derived parameter(s) {', '.join(derived[:3])}",
            hint="add the published values with `inami indemnity params set`",
        )


@dataclass(frozen=True)
class ComputeAnswer:
    """One day's amount, for a person or a case given by flags."""

    niss: str | None
    result: IncapacityResult
    warnings: tuple[str, ...]

    def as_record(self, *, explain: bool = False) -> dict[str, Any]:
        """The JSON contract of ``indemnity compute``."""
        record = {"niss": self.niss, **self.result.as_record()}
        if explain:
            record["explanation"] = list(self.result.steps)
        return record


def indemnity_compute(
    *,
    session: Session,
    on: date,
    given: CaseInput,
    niss: str | None = None,
    strict: bool = False,
    store: ParamStore | None = None,
) -> ComputeAnswer:
    """The daily gross amount on *on* (NotFound naming a parameter missing on the date)."""
    spell = spell_on(session=session, niss=niss, on=on) if niss else None
    case = build_case(given, on, spell)
    result = rules.compute_incapacity(store or load_store(session=session), case)
    refuse_derived(result.derived, strict)
    return ComputeAnswer(
        spell.niss if spell else None, result, tuple(warnings_for(result.derived, result.warnings))
    )


def indemnity_period(
    *,
    session: Session,
    start: date,
    end: date,
    given: CaseInput,
    niss: str | None = None,
    net: bool = False,
    strict: bool = False,
) -> tuple[PeriodResult, list[str]]:
    """The amount over a period: by flags, or over a person's recorded spells."""
    store = load_store(session=session)
    if niss is None:
        case = build_case(given, start)
        result = rules.period_amounts(store, case, start, end, net=net)
    else:
        spells = episode_list(session=session, niss=niss)
        if not spells:
            from inami_cli.domain.errors import NotFound

            raise NotFound(f"{niss} has no incapacity recorded")

        def on_day(day: date) -> IncapacityCase | None:
            for spell in spells:
                if spell.valid_from <= day and (spell.valid_to is None or day <= spell.valid_to):
                    return build_case(given, day, spell)
            return None

        first = build_case(given, max(start, spells[0].valid_from), spells[0])
        result = rules.period_amounts(
            store, replace(first, start=min(s.episode_start for s in spells)), start, end,
            net=net, on_day=on_day,
        )  # fmt: skip
    refuse_derived(result.derived, strict)
    return result, warnings_for(result.derived, result.warnings)


def indemnity_stage(
    *,
    session: Session,
    start: date,
    worked_days: int = 0,
    assimilated_days: int = 0,
    hours: int = 0,
    maternity: bool = False,
    reduced_schedule: bool = False,
) -> StageResult:
    """Is the qualifying period met for an incapacity (or maternity) starting on *start*."""
    return rules.check_stage(
        load_store(session=session), start=start, worked_days=worked_days,
        assimilated_days=assimilated_days, hours=hours, maternity=maternity,
        reduced_schedule=reduced_schedule,
    )  # fmt: skip
