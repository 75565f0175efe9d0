"""``control fund INSURER``: the administrative control of a sickness fund (SCA) on a
reproducible sample of the reimbursements it recorded, each computed again.

The population is every care record (``reimburse --record``) whose person was affiliated
to the insurer on the date of care, in the order of the records' ids; the sample is
``random.Random(seed).sample`` of it, so the same database, size and seed always give the
same records. Each record is computed again by the reimbursement engine as it stood when
it was recorded: the same code, date, person (the register's answer on the date), provider
status and amount charged (fee + supplement), with the person's earlier records only as
history (the record itself and later ones would count against it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Affiliation, CareRecord, Insurer
from inami_cli.domain import reimbursement as engine
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.money import ZERO, from_cents
from inami_cli.domain.reimbursement import Line, PastCare

FUND_COLUMNS = (
    "record_id", "niss", "code", "care_date", "provider", "recorded", "computed",
    "difference", "status", "refusal_code", "refusal_reason",
)  # fmt: skip
_CHUNK = 500  # records read per query


@dataclass(frozen=True)
class FundCheck:
    """One recorded reimbursement computed again."""

    record_id: int
    niss: str
    code: str
    care_date: date
    provider: str
    recorded: Decimal
    computed: Decimal
    status: str  # match | differs | refused
    refusal_code: str | None
    refusal_reason: str | None

    @property
    def difference(self) -> Decimal:
        """Recorded - computed (positive: the fund paid too much)."""
        return self.recorded - self.computed

    def as_dict(self) -> dict[str, Any]:
        """The output record (``FUND_COLUMNS``)."""
        return {
            "record_id": self.record_id, "niss": self.niss, "code": self.code,
            "care_date": self.care_date, "provider": self.provider, "recorded": self.recorded,
            "computed": self.computed, "difference": self.difference, "status": self.status,
            "refusal_code": self.refusal_code, "refusal_reason": self.refusal_reason,
        }  # fmt: skip


@dataclass(frozen=True)
class FundSample:
    """The sample of a fund's recorded reimbursements and what the control found."""

    insurer: str
    insurer_name: str
    population: int
    seed: int
    checks: tuple[FundCheck, ...]

    @property
    def differing(self) -> int:
        """Records whose recomputation differs (refused ones included)."""
        return sum(1 for c in self.checks if c.status != "match")

    def totals(self) -> dict[str, Any]:
        """Counts and totals of the sample (the JSON summary)."""
        recorded = sum((c.recorded for c in self.checks), ZERO)
        computed = sum((c.computed for c in self.checks), ZERO)
        return {
            "insurer": self.insurer, "insurer_name": self.insurer_name,
            "population": self.population, "sample": len(self.checks), "seed": self.seed,
            "differing": self.differing, "recorded": recorded, "computed": computed,
            "difference": recorded - computed,
        }  # fmt: skip


def _population(session: Session, insurer: str) -> list[int]:
    """Ids of the care records of the insurer's members on their date of care, in order."""
    covered = and_(
        col(Affiliation.niss) == col(CareRecord.niss),
        col(Affiliation.insurer_code) == insurer,
        col(Affiliation.valid_from) <= col(CareRecord.care_date),
        or_(
            col(Affiliation.valid_to).is_(None),
            col(Affiliation.valid_to) >= col(CareRecord.care_date),
        ),
    )
    query = (
        select(col(CareRecord.id)).where(select(col(Affiliation.id)).where(covered).exists())
    ).order_by(col(CareRecord.id))
    return [int(i) for (i,) in session.execute(query)]


def _history(session: Session, row: Any, acts: dict[str, Any]) -> list[PastCare]:
    """The person's records before this one (previous and this year), as the engine reads
    them."""
    from inami_cli.services import nomenclature

    earlier = or_(
        col(CareRecord.care_date) < row.care_date,
        and_(col(CareRecord.care_date) == row.care_date, col(CareRecord.id) < row.id),
    )
    rows = session.execute(
        select(col(CareRecord.code), col(CareRecord.care_date)).where(
            col(CareRecord.niss) == row.niss,
            col(CareRecord.care_date) >= date(row.care_date.year - 1, 1, 1),
            earlier,
        )
    ).all()
    history = []
    for code, care_date in rows:
        if code not in acts:
            acts[code] = nomenclature.get_act(session=session, code=code)
        act = acts[code]
        history.append(PastCare(code, care_date, act.category, tuple(act.not_combinable_with)))
    return history


def _check(session: Session, row: Any, acts: dict[str, Any]) -> FundCheck:
    from inami_cli.services import insurability, nomenclature
    from inami_cli.services.reimbursement import Overrides, resolve_patient

    if row.code not in acts:
        acts[row.code] = nomenclature.get_act(session=session, code=row.code)
    act = acts[row.code]
    tariff = nomenclature.tariff_in_force(session=session, code=row.code, on=row.care_date)
    status = insurability.beneficiary_on(session=session, niss=row.niss, on=row.care_date)
    patient, _steps = resolve_patient(status, Overrides())
    charged = from_cents(row.fee_cents + row.supplement_cents) if row.supplement_cents else None
    result = engine.compute_case(
        Line(act, tariff, charged), on=row.care_date, patient=patient, provider=row.provider,
        history=_history(session, row, acts),
    )  # fmt: skip
    recorded = from_cents(row.reimbursement_cents)
    computed = result.reimbursement if result.ok and result.reimbursement is not None else ZERO
    verdict = "refused" if not result.ok else ("match" if computed == recorded else "differs")
    return FundCheck(
        record_id=int(row.id), niss=row.niss, code=row.code, care_date=row.care_date,
        provider=row.provider, recorded=recorded, computed=computed, status=verdict,
        refusal_code=result.refusal_code, refusal_reason=result.refusal_reason,
    )  # fmt: skip


def fund_sample(*, session: Session, insurer: str, sample: int, seed: int) -> FundSample:
    """Draw *sample* of the insurer's recorded reimbursements (seeded) and compute each
    again (NotFound for an unknown insurer, InvalidInput for a sample under 1)."""
    if sample < 1:
        raise InvalidInput(f"--sample {sample}: expected 1 or more records")
    found = session.get(Insurer, insurer)
    if found is None:
        raise NotFound(f"no insurer with code {insurer}")
    population = _population(session, insurer)
    # a reproducible draw for a control, not a secret: the seed is published with the result
    draw = random.Random(seed)  # noqa: S311
    chosen = sorted(draw.sample(population, min(sample, len(population))))
    acts: dict[str, Any] = {}
    checks: list[FundCheck] = []
    for start in range(0, len(chosen), _CHUNK):
        ids = chosen[start : start + _CHUNK]
        rows = session.execute(
            select(CareRecord).where(col(CareRecord.id).in_(ids)).order_by(col(CareRecord.id))
        ).scalars()
        checks.extend(_check(session, row, acts) for row in rows)
    return FundSample(insurer, found.name_fr, len(population), seed, tuple(checks))
