"""Maternity, birth and adoption leave, the funeral allowance, miners' pensions: the domain
rules run on the stored parameters, with the derived-figure policy of every computation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from inami_cli.domain import indemnities as rules
from inami_cli.domain.indemnities import (
    AdoptionPlan,
    BenefitResult,
    FuneralAnswer,
    MaternityPlan,
    MinersPension,
)
from inami_cli.services.indemnities._compute import refuse_derived
from inami_cli.services.indemnities._store import load_store


def maternity_plan(
    *,
    session: Session,
    expected: date,
    birth: date | None = None,
    multiple: bool = False,
    hospital_days: int = 0,
    prenatal_incapacity: bool = False,
    prenatal_from: date | None = None,
) -> MaternityPlan:
    """The maternity calendar (employees and the unemployed)."""
    return rules.maternity_plan(
        load_store(session=session), expected=expected, birth=birth, multiple=multiple,
        hospital_days=hospital_days, prenatal_incapacity=prenatal_incapacity,
        prenatal_from=prenatal_from,
    )  # fmt: skip


def maternity_compute(
    *,
    session: Session,
    scheme: str,
    start: date,
    days: int | None = None,
    gross_daily: Decimal | None = None,
    weeks: int | None = None,
    half_weeks: int = 0,
    multiple: bool = False,
    strict: bool = False,
) -> BenefitResult:
    """The maternity benefit, line by line."""
    scheme = rules.check_choice(scheme, rules.MATERNITY_SCHEMES, "--scheme")
    result = rules.maternity_compute(
        load_store(session=session), scheme=scheme, start=start, days=days,
        gross_daily=gross_daily, weeks=weeks, half_weeks=half_weeks, multiple=multiple,
    )  # fmt: skip
    refuse_derived(result.derived, strict)
    return result


def birth_leave(
    *,
    session: Session,
    birth: date,
    gross_daily: Decimal | None = None,
    days: int | None = None,
    self_employed: bool = False,
    strict: bool = False,
) -> BenefitResult:
    """The birth leave: employer days and the fund's days."""
    result = rules.birth_leave(
        load_store(session=session), birth=birth, gross_daily=gross_daily, days=days,
        self_employed=self_employed,
    )  # fmt: skip
    refuse_derived(result.derived, strict)
    return result


def adoption_plan(
    *,
    session: Session,
    registration: date,
    start: date | None = None,
    parents: int = 2,
    split: tuple[int, ...] | None = None,
    disability: bool = False,
    children: int = 1,
    birth_leave_days: int = 0,
    gross_daily: Decimal | None = None,
    strict: bool = False,
) -> AdoptionPlan:
    """Weeks of adoption leave per parent (and the daily amount with a wage)."""
    plan = rules.adoption_plan(
        load_store(session=session), registration=registration, start=start, parents=parents,
        split=split, disability=disability, children=children,
        birth_leave_days=birth_leave_days, gross_daily=gross_daily,
    )  # fmt: skip
    refuse_derived(plan.derived, strict)
    return plan


def funeral_check(
    *, session: Session, death_date: date, deceased_status: str, paid_costs: bool = True
) -> FuneralAnswer:
    """The funeral allowance for a death (0 with the reason from 2013-01-01)."""
    return rules.funeral_check(
        load_store(session=session), death_date=death_date, deceased_status=deceased_status,
        paid_costs=paid_costs,
    )  # fmt: skip


def miners_pension(
    *,
    session: Session,
    on: date,
    work: str,
    status: str,
    birth: date | None = None,
    earnings: Decimal | None = None,
    earnings_type: str = "employee-gross",
    dependants: bool = False,
    strict: bool = False,
) -> MinersPension:
    """A miner's invalidity pension on a date."""
    pension = rules.miners_pension(
        load_store(session=session), on=on, work=work, status=status, birth=birth,
        earnings=earnings, earnings_type=earnings_type, dependants=dependants,
    )  # fmt: skip
    refuse_derived(pension.derived, strict)
    return pension
