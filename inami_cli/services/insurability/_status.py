"""``inami insured`` for one person: insured on a date (by NISS or by member number),
or covered and uncovered sub-periods of a range."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from inami_cli.domain import insurability as rules
from inami_cli.domain.dates import age_on
from inami_cli.domain.errors import NotFound
from inami_cli.domain.insurability import AffiliationPeriod, Coverage, EntitlementPeriod
from inami_cli.domain.medical_houses import Enrolment, enrolment_on
from inami_cli.services.insurability._lookups import (
    AFFILIATION,
    ENTITLEMENT,
    MEDICAL_HOUSE,
    insurer_names,
    person_row,
)

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session


@dataclass(frozen=True)
class BeneficiaryStatus:
    """Is a person insured on a date, by whom, in which regime, with which rights."""

    niss: str
    on: date
    insured: bool
    reason: str
    insurer_code: str | None
    insurer_name: str | None
    regime: str  # ordinary | preferential
    bim_automatic: bool
    dmg: bool
    chronic: bool
    third_party: bool
    age: int | None
    birth_date: date | None
    member_number: str | None = None
    quality: str | None = None
    titular_niss: str | None = None
    ct1: str | None = None
    ct2: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    dmg_gp: str = ""
    death_date: date | None = None
    # the medical-house enrolment in force on the date (``domain.medical_houses``)
    medical_house: str | None = None
    medical_house_disciplines: tuple[str, ...] = ()
    mutuality: str | None = None  # the member's own mutuality (e.g. 319, 417)

    def as_record(self) -> dict[str, Any]:
        """The ``inami insured`` output object (stable key order)."""
        return {
            "niss": self.niss,
            "date": self.on,
            "insured": self.insured,
            "insurer_code": self.insurer_code,
            "insurer_name": self.insurer_name,
            "member_number": self.member_number,
            "quality": self.quality,
            "titular_niss": self.titular_niss,
            "ct1": self.ct1,
            "ct2": self.ct2,
            "regime": self.regime,
            "bim_automatic": self.bim_automatic,
            "dmg": self.dmg,
            "dmg_gp": self.dmg_gp or None,
            "chronic": self.chronic,
            "third_party": self.third_party,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "birth_date": self.birth_date,
            "age": self.age,
            "death_date": self.death_date,
            "reason": self.reason,
            "medical_house": self.medical_house,
            "medical_house_disciplines": ",".join(self.medical_house_disciplines) or None,
            "mutuality": self.mutuality,
        }


@dataclass(frozen=True)
class SubPeriod:
    """A covered or uncovered part of a requested range."""

    period_from: date
    period_to: date
    covered: bool
    insurer_code: str | None
    insurer_name: str | None
    member_number: str | None
    quality: str | None
    ct1: str | None
    ct2: str | None
    reason: str


@dataclass(frozen=True)
class RangeStatus:
    """Coverage of a person over ``[date_from, date_to]``: insured only if every day is."""

    niss: str
    date_from: date
    date_to: date
    insured: bool
    reason: str
    birth_date: date | None
    periods: tuple[SubPeriod, ...]

    def as_record(self) -> dict[str, Any]:
        """The ``inami insured --from --to`` output object."""
        return {
            "niss": self.niss,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "insured": self.insured,
            "reason": self.reason,
            "periods": [
                {
                    "period_from": p.period_from,
                    "period_to": p.period_to,
                    "covered": p.covered,
                    "insurer_code": p.insurer_code,
                    "insurer_name": p.insurer_name,
                    "member_number": p.member_number,
                    "quality": p.quality,
                    "ct1": p.ct1,
                    "ct2": p.ct2,
                    "reason": p.reason,
                }
                for p in self.periods
            ],
        }


def _status(
    niss: str,
    on: date,
    birth: date | None,
    death: date | None,
    cov: Coverage,
    insurer_names: dict[str, str],
) -> BeneficiaryStatus:
    aff = cov.affiliation if cov.insured else None
    return BeneficiaryStatus(
        niss=niss,
        on=on,
        insured=cov.insured,
        reason=cov.reason,
        insurer_code=aff.insurer_code if aff else None,
        insurer_name=insurer_names.get(aff.insurer_code) if aff else None,
        regime=cov.regime,
        bim_automatic=cov.bim_automatic,
        dmg=cov.dmg,
        chronic=cov.chronic,
        third_party=cov.third_party,
        age=age_on(birth, on) if birth is not None and birth <= on else None,
        birth_date=birth,
        member_number=aff.member_number if aff else None,
        quality=aff.quality if aff else None,
        titular_niss=aff.titular_niss if aff else None,
        ct1=aff.ct1 if aff else None,
        ct2=aff.ct2 if aff else None,
        period_from=aff.valid_from if aff else None,
        period_to=aff.valid_to if aff else None,
        dmg_gp=cov.dmg_gp,
        death_date=death,
        mutuality=aff.mutuality if aff else None,
    )


def _affiliation_periods(session: Session, niss: str) -> list[AffiliationPeriod]:
    a = AFFILIATION
    query = (
        select(
            a.insurer_code, a.member_number, a.quality, a.titular_niss, a.ct1, a.ct2,
            a.valid_from, a.valid_to, a.mutuality,
        )
        .where(a.niss == niss)
        .order_by(a.valid_from)
    )  # fmt: skip
    return [AffiliationPeriod(*row) for row in session.execute(query)]


def _entitlement_periods(session: Session, niss: str) -> list[EntitlementPeriod]:
    e = ENTITLEMENT
    query = select(e.kind, e.valid_from, e.valid_to, e.detail).where(e.niss == niss)
    return [EntitlementPeriod(*row) for row in session.execute(query)]


def beneficiary_on(*, session: Session, niss: str, on: date) -> BeneficiaryStatus:
    """Whether the person is insured on *on*, with insurer, regime and entitlements.

    InvalidInput for a malformed NISS (the message says which check failed), NotFound for
    a person not in the register.
    """
    person = person_row(session, niss)
    cov = rules.coverage_on(
        _affiliation_periods(session, person.niss),
        _entitlement_periods(session, person.niss),
        on,
        death_date=person.death_date,
    )
    status = _status(
        person.niss, on, person.birth_date, person.death_date, cov, insurer_names(session)
    )
    enrolment = _medical_house_on(session, person.niss, on)
    if enrolment is None:
        return status
    return replace(
        status,
        medical_house=enrolment.house,
        medical_house_disciplines=enrolment.disciplines,
    )


def _medical_house_on(session: Session, niss: str, on: date) -> Enrolment | None:
    """The person's medical-house enrolment in force on *on*, or None."""
    m = MEDICAL_HOUSE
    query = select(m.house, m.gp, m.physio, m.nursing, m.valid_from, m.valid_to).where(
        m.niss == niss, m.valid_from <= on
    )
    return enrolment_on((Enrolment(*row) for row in session.execute(query)), on)


def beneficiary_by_member(
    *, session: Session, insurer_code: str, member_number: str, on: date
) -> BeneficiaryStatus:
    """The same answer, found by the insurer's member number.

    A member number may have been used over several periods: the one covering *on* wins,
    else the most recent.
    """
    code = rules.check_insurer_code(insurer_code)
    a = AFFILIATION
    rows = session.execute(
        select(a.niss, a.valid_from, a.valid_to)
        .where(a.insurer_code == code, a.member_number == member_number.strip())
        .order_by(a.valid_from.desc())
    ).all()
    if not rows:
        raise NotFound(f"no member {member_number.strip()} at insurer {code}")
    chosen = next(
        (r for r in rows if r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)),
        rows[0],
    )
    return beneficiary_on(session=session, niss=chosen.niss, on=on)


def beneficiary_over(*, session: Session, niss: str, start: date, end: date) -> RangeStatus:
    """Covered and uncovered sub-periods of ``[start, end]`` for one person."""
    person = person_row(session, niss)
    names = insurer_names(session)
    segments = rules.coverage_over(
        _affiliation_periods(session, person.niss), start, end, death_date=person.death_date
    )
    periods = tuple(
        SubPeriod(
            period_from=s.start,
            period_to=s.end,
            covered=s.covered,
            insurer_code=s.affiliation.insurer_code if s.affiliation else None,
            insurer_name=names.get(s.affiliation.insurer_code) if s.affiliation else None,
            member_number=s.affiliation.member_number if s.affiliation else None,
            quality=s.affiliation.quality if s.affiliation else None,
            ct1=s.affiliation.ct1 if s.affiliation else None,
            ct2=s.affiliation.ct2 if s.affiliation else None,
            reason=s.reason,
        )
        for s in segments
    )
    gaps = [p for p in periods if not p.covered]
    if not gaps:
        reason = "covered on every day of the range"
    else:
        first = gaps[0]
        reason = (
            f"not covered {first.period_from.isoformat()}..{first.period_to.isoformat()}: "
            f"{first.reason}" + (f" (and {len(gaps) - 1} more gaps)" if len(gaps) > 1 else "")
        )
    return RangeStatus(
        niss=person.niss,
        date_from=start,
        date_to=end,
        insured=not gaps,
        reason=reason,
        birth_date=person.birth_date,
        periods=periods,
    )
