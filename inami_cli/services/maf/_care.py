"""The personal shares of recorded reimbursements (``reimburse --record``) as the MAF counts
them: the legal personal share only — never the supplement, never the extra share a patient
pays because a physiotherapist is not conventioned (maf-control-funding.md §6 row 4).

The care records are read here (a read of the ``care_record`` table) rather than through the
reimbursement feature, which is being rewritten. A record of a non-conventioned
physiotherapist for an ordinary-regime patient carries the cut reimbursement; the legal
share is recomputed as a conventioned provider would have been reimbursed (the tariff and
the patient's profile on the date, no history: a recorded case was accepted), and when the
tariff can no longer be read it is estimated by inverting the 25 % cut (exact to the cent
for two values in three) and said so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import CareRecord
from inami_cli.domain import reimbursement as reimb
from inami_cli.domain.errors import InamiError
from inami_cli.domain.maf import Entry
from inami_cli.domain.money import from_cents, round_cents, to_cents


def _legal_share(session: Session, niss: str, code: str, on: date, fee: int, reimbursed: int,
                 category: str) -> tuple[int, str]:  # fmt: skip
    """The legal personal share of a non-conventioned physiotherapy record (cents), and a
    note when it had to be estimated."""
    from inami_cli.services import insurability, nomenclature

    status = insurability.beneficiary_on(session=session, niss=niss, on=on)
    if status.regime == "preferential":
        return fee - reimbursed, ""  # no cut for BIM patients
    try:
        act = nomenclature.get_act(session=session, code=code)
        tariff = nomenclature.tariff_in_force(session=session, code=code, on=on)
        patient = reimb.Patient(
            regime=status.regime, dmg=status.dmg, age=status.age, chronic=status.chronic,
            bim_automatic=status.bim_automatic,
        )  # fmt: skip
        result = reimb.compute_visit(
            [reimb.Line(act, tariff, None)], on=on, patient=patient, provider="conventioned"
        )[0]
        if result.ok and result.personal_share is not None:
            return to_cents(result.personal_share), ""
    except InamiError:
        pass
    factor = reimb.PHYSIO_NON_CONVENTIONED_FACTOR
    uncut = round_cents(from_cents(reimbursed) / Decimal(factor))
    return fee - to_cents(uncut), " (legal share estimated from the cut reimbursement)"


def care_entries(*, session: Session, nisses: Iterable[str], years: Iterable[int]) -> list[Entry]:
    """The recorded care of *nisses* in *years*, as MAF entries."""
    wanted = sorted(set(nisses))
    spans = sorted(set(years))
    if not wanted or not spans:
        return []
    rows = session.execute(
        select(
            col(CareRecord.id), col(CareRecord.niss), col(CareRecord.code),
            col(CareRecord.care_date), col(CareRecord.fee_cents),
            col(CareRecord.reimbursement_cents), col(CareRecord.personal_share_cents),
            col(CareRecord.supplement_cents), col(CareRecord.provider),
        )
        .where(
            col(CareRecord.niss).in_(wanted),
            col(CareRecord.care_date) >= date(spans[0], 1, 1),
            col(CareRecord.care_date) <= date(spans[-1], 12, 31),
        )
        .order_by(col(CareRecord.care_date), col(CareRecord.id))
    ).all()  # fmt: skip
    categories: dict[str, str] = {}
    entries: list[Entry] = []
    for ident, niss, code, day, fee, reimbursed, share, supplement, provider in rows:
        if day.year not in spans:
            continue
        source = f"care #{ident} {code}"
        counted, excluded, reasons = share, 0, []
        if provider == "non-conventioned":
            if code not in categories:
                from inami_cli.services import nomenclature

                categories[code] = nomenclature.get_act(session=session, code=code).category
            category = categories[code]
            if category in reimb.PHYSIO_CATEGORIES and reimb.PHYSIO_NON_CONVENTIONED.in_force(day):
                legal, note = _legal_share(session, niss, code, day, fee, reimbursed, category)
                legal = min(max(legal, 0), share)
                if legal < share:
                    counted, excluded = legal, share - legal
                    reasons.append("extra share of the physiotherapy cut (not conventioned)"
                                   + note)  # fmt: skip
        if supplement:
            excluded += supplement
            reasons.append("supplement")
        entries.append(Entry(niss, day, counted, excluded, source, "; ".join(reasons)))
    return entries
