"""``funding advance``, ``funding share``, ``funding responsibility``: the stored (or given)
inputs through the pure rules of ``domain.funding``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inami_cli.domain import funding as rules
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.money import from_cents
from inami_cli.services.funding._inputs import (
    check_year,
    file_amounts,
    stored_amounts,
    year_or_fail,
)


def _names(session: Session) -> dict[str, str]:
    from sqlalchemy import select
    from sqlmodel import col

    from inami_cli.db.models import Insurer

    return {c: n for c, n in session.execute(select(col(Insurer.code), col(Insurer.short_name)))}


def _amounts(session: Session, year: int, kind: str, file: str | None) -> dict[str, int]:
    values = file_amounts(session, file) if file else stored_amounts(session, year, kind)
    if not values:
        raise NotFound(
            f"no {kind} expenditure recorded for {year}",
            hint=f"inami funding input import FILE --year {year} (or pass --{kind} FILE)",
        )
    return values


@dataclass(frozen=True)
class AdvancePlan:
    """The monthly advances of a year."""

    year: int
    rows: tuple[rules.Advance, ...]
    names: dict[str, str]

    def records(self) -> list[dict[str, Any]]:
        return [
            {"insurer_code": a.insurer, "insurer": self.names.get(a.insurer, ""),
             "month": a.month, "payment_date": a.payment_date, "advance": from_cents(a.amount)}
            for a in self.rows
        ]  # fmt: skip


def advance_plan(*, session: Session, year: int, budget_doc: str | None = None) -> AdvancePlan:
    """Each insurer's twelve advances (1/12 of its budgeted expenditure) and payment dates."""
    check_year(year)
    budgeted = _amounts(session, year, "budgeted", budget_doc)
    return AdvancePlan(year, tuple(rules.advances(year, budgeted)), _names(session))


@dataclass(frozen=True)
class ShareTable:
    """The budget shares of a year."""

    year: int
    objective: int
    objective_source: str
    objective_reliability: str
    rows: tuple[rules.Share, ...]
    names: dict[str, str]

    def records(self) -> list[dict[str, Any]]:
        return [
            {"insurer_code": s.insurer, "insurer": self.names.get(s.insurer, ""),
             "actual": from_cents(s.actual), "normative": from_cents(s.normative),
             "actual_share_pct": _pct(s.actual_share),
             "normative_share_pct": _pct(s.normative_share),
             "budget_share_pct": _pct(s.share), "budget": from_cents(s.amount)}
            for s in self.rows
        ]  # fmt: skip


def _pct(fraction: Decimal) -> Decimal:
    return (fraction * 100).quantize(Decimal("0.000001"))


def _objective(session: Session, year: int, objective: Decimal | None) -> tuple[int, str, str]:
    from inami_cli.domain.money import to_cents

    if objective is not None:
        if objective <= 0:
            raise InvalidInput(f"--objective {objective}: must be above zero")
        return to_cents(objective), "given (--objective)", "given"
    stored = year_or_fail(session, year)
    return to_cents(stored.objective), stored.source, stored.reliability


def share_table(
    *,
    session: Session,
    year: int,
    objective: Decimal | None = None,
    actual_file: str | None = None,
    normative_file: str | None = None,
) -> ShareTable:
    """The art. 196 budget share of each insurer and its part of the objective."""
    check_year(year)
    cents, source, reliability = _objective(session, year, objective)
    actual = _amounts(session, year, "actual", actual_file)
    normative = _amounts(session, year, "normative", normative_file)
    rows = rules.budget_shares(cents, actual, normative)
    return ShareTable(year, cents, source, reliability, tuple(rows), _names(session))


@dataclass(frozen=True)
class ResponsibilityTable:
    """The boni kept / mali borne per insurer."""

    year: int
    mode: str
    rate: Decimal
    rate_source: str
    mali_cap_percent: Decimal | None
    shares: ShareTable
    rows: tuple[rules.Responsibility, ...]

    def records(self) -> list[dict[str, Any]]:
        names = self.shares.names
        return [
            {"insurer_code": r.insurer, "insurer": names.get(r.insurer, ""),
             "budget": from_cents(r.budget), "actual": from_cents(r.actual),
             "result": from_cents(r.result), "kind": "boni" if r.result >= 0 else "mali",
             "mode": self.mode, "rate_pct": r.rate,
             "mali_cap": from_cents(r.cap) if r.cap is not None else None,
             "kept_or_borne": from_cents(r.kept_or_borne), "capped": r.capped}
            for r in self.rows
        ]  # fmt: skip


def responsibility_table(
    *,
    session: Session,
    year: int,
    rate: Decimal | None = None,
    mali_cap_percent: Decimal | None = None,
    mode: str | None = None,
    objective: Decimal | None = None,
    actual_file: str | None = None,
    normative_file: str | None = None,
) -> ResponsibilityTable:
    """The part of its result (budget share − actual expenditure) each insurer keeps or
    bears; the rate of the year unless given; the mali cap given or recorded for the year."""
    shares = share_table(session=session, year=year, objective=objective,
                         actual_file=actual_file, normative_file=normative_file)  # fmt: skip
    if rate is None:
        used_rate = rules.responsibility_rate(year)
        rate_source = rules.RESPONSIBILITY_SOURCE
    else:
        used_rate, rate_source = rate, "given (--rate)"
    if mali_cap_percent is None:
        from inami_cli.db.models import FundingYear

        row = session.get(FundingYear, year)
        if row is not None and row.mali_cap_percent is not None:
            mali_cap_percent = Decimal(row.mali_cap_percent)
    chosen = mode or ("global" if year >= rules.GLOBAL_FROM else "individual")
    rows = rules.responsibility(
        list(shares.rows), rate=used_rate, mali_cap_percent=mali_cap_percent, mode=chosen
    )
    return ResponsibilityTable(year, chosen, used_rate, rate_source, mali_cap_percent, shares,
                               tuple(rows))  # fmt: skip
