"""One visit (``inami reimburse CODE ...``): the patient from the register and the values
given, the act and the tariff in force, the person's recorded care, the computation, and the
care records stored with ``--record``; the output record of a result (the JSON contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import or_, select

from inami_cli.db.tables.nomenclature import act as ACT
from inami_cli.db.tables.reimbursement import care_record as CARE
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.errors import InvalidInput, MissingValue
from inami_cli.domain.money import to_cents
from inami_cli.domain.reimbursement import CaseResult, Line, PastCare, Patient, Step
from inami_cli.services.reimbursement._provider import ProviderSource

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session

RESULT_COLUMNS = (
    "niss",
    "code",
    "date",
    "label",
    "regime",
    "dmg",
    "age",
    "chronic",
    "profile",
    "fee",
    "reimbursement",
    "personal_share",
    "supplement",
    "patient_total",
    "tariff_valid_from",
    "tariff_valid_to",
    "source",
    "status",
    "refusal_code",
    "refusal_reason",
    "third_party",
    "paid_at_desk",
    "paid_to_provider",
    "referral_reduced",
)


class BeneficiaryLike(Protocol):
    """What is read of ``services.insurability.BeneficiaryStatus``."""

    @property
    def insured(self) -> bool: ...
    @property
    def reason(self) -> str: ...
    @property
    def insurer_code(self) -> str | None: ...
    @property
    def insurer_name(self) -> str | None: ...
    @property
    def regime(self) -> str: ...
    @property
    def bim_automatic(self) -> bool: ...
    @property
    def dmg(self) -> bool: ...
    @property
    def chronic(self) -> bool: ...
    @property
    def age(self) -> int | None: ...


@dataclass(frozen=True)
class Overrides:
    """Beneficiary values given explicitly (flags or batch columns); None = not given."""

    regime: str | None = None
    dmg: bool | None = None
    age: int | None = None
    chronic: bool | None = None
    bim_automatic: bool | None = None


@dataclass(frozen=True)
class CaseRequest:
    """One visit to compute: codes, date, who, which provider, what is charged."""

    codes: tuple[str, ...]
    on: date
    niss: str | None = None
    overrides: Overrides = field(default_factory=Overrides)
    provider: str = "conventioned"
    charged: tuple[Decimal | None, ...] = ()  # one per code, or empty (= the fee)
    setting: str | None = None
    # issue 14: the provider from the register (INAMI number), the time of care (partial
    # adherence: inside a declared block?), a patient's special requirement; *provider*
    # wins over the register's status only when *provider_explicit*
    provider_id: str | None = None
    at: time | None = None
    special_requirement: str | None = None
    provider_explicit: bool = True
    third_party: bool | None = None  # None: the person's ``third_party`` entitlement says
    referred: bool = False  # referred by the GP (specialist referral reduction)
    # supplement codes billed with the codes above (category ``supplement``), at their fee
    supplements: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseAnswer:
    """The results of one visit, in the order of the codes."""

    niss: str | None
    results: tuple[CaseResult, ...]
    labels: tuple[str, ...]
    recorded: int = 0

    @property
    def all_ok(self) -> bool:
        """True when every code is reimbursed."""
        return all(r.ok for r in self.results)


# ------------------------------------------------------------------ beneficiary


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "unknown" if value is None else str(value)


def resolve_patient(
    status: BeneficiaryLike | None, overrides: Overrides, *, missing: str = "--niss or --regime"
) -> tuple[Patient, list[Step]]:
    """The patient from the register's answer, explicit values winning; with the steps
    that say where each value came from."""
    steps: list[Step] = []
    if status is None:
        if overrides.regime is None:
            raise MissingValue(f"missing value: pass {missing}")
        patient = Patient(
            regime=overrides.regime,
            dmg=bool(overrides.dmg),
            age=overrides.age,
            chronic=bool(overrides.chronic),
            bim_automatic=bool(overrides.bim_automatic),
        )
        steps.append(Step("beneficiary data", "given", source="given explicitly (no NISS)"))
        return patient, steps
    where = f"register (insurer {status.insurer_code} {status.insurer_name or ''})".replace(
        " )", ")"
    )
    steps.append(Step("insured", "yes" if status.insured else f"no: {status.reason}", source=where))
    values: dict[str, Any] = {}
    for name in ("regime", "dmg", "age", "chronic", "bim_automatic"):
        given = getattr(overrides, name)
        registered = getattr(status, name)
        if given is not None:
            values[name] = given
            said = (
                "the register agrees"
                if given == registered
                else f"the register says {_show(registered)}"
            )
            steps.append(Step(name, _show(given), source=f"given explicitly; {said}"))
        else:
            values[name] = registered
            steps.append(Step(name, _show(registered), source=where))
    patient = Patient(
        regime=values["regime"],
        dmg=bool(values["dmg"]),
        age=values["age"],
        chronic=bool(values["chronic"]),
        insured=status.insured,
        not_insured_reason=status.reason or "",
        bim_automatic=bool(values["bim_automatic"]),
        # R3: who holds the DMG (register); used when the case names its GP
        dmg_holder=str(getattr(status, "dmg_gp", "") or "") if overrides.dmg is None else "",
        medical_house=getattr(status, "medical_house", None) or "",
        medical_house_disciplines=tuple(getattr(status, "medical_house_disciplines", ())),
    )
    if patient.medical_house:
        covered = ", ".join(patient.medical_house_disciplines)
        steps.append(
            Step(
                "medical house",
                f"{patient.medical_house} ({covered})",
                source="register (medical-house enrolment)",
            )
        )
    return patient, steps


# ------------------------------------------------------------------ one visit


def _history(*, session: Session, niss: str, on: date) -> list[PastCare]:
    """The person's recorded care that a rule can read on *on* (up to the end of its year:
    frequency periods reach back 3 calendar years or a whole prescription)."""
    from inami_cli.services import nomenclature

    care = CARE.c
    rows = session.execute(
        select(care.code, care.care_date, care.referral_reduced).where(
            care.niss == niss, care.care_date <= date(on.year, 12, 31)
        )
    ).all()
    acts: dict[str, Any] = {}
    history: list[PastCare] = []
    for code, care_date, reduced in rows:
        if code not in acts:
            acts[code] = nomenclature.get_act(session=session, code=code)
        act = acts[code]
        history.append(
            PastCare(code, care_date, act.category, tuple(act.not_combinable_with), bool(reduced))
        )
    return history


def reimburse(
    *,
    session: Session,
    request: CaseRequest,
    explain: bool = False,
    record: bool = False,
    language: str = "fr",
) -> CaseAnswer:
    """Compute one visit; with *record*, store every code that is reimbursed.

    Raises ``NotFound`` for an unknown code or person, ``InvalidInput`` for a bad NISS or
    values, ``MissingValue`` when neither a NISS nor a regime is given.
    """
    from inami_cli.services import nomenclature

    if not request.codes:
        raise MissingValue("missing value: pass at least one CODE")
    if request.charged and len(request.charged) != len(request.codes):
        raise InvalidInput(
            f"--charged given {len(request.charged)} times for {len(request.codes)} codes "
            "(give it once per code, in the same order)"
        )
    if record and request.niss is None:
        raise InvalidInput("--record needs --niss (a case is recorded for a person)")
    status = None
    if request.niss is not None:
        from inami_cli.services import insurability

        status = insurability.beneficiary_on(session=session, niss=request.niss, on=request.on)
    patient, context = resolve_patient(status, request.overrides)
    third_party = request.third_party
    if third_party is None:
        third_party = bool(status is not None and getattr(status, "third_party", False))
        if third_party:
            context.append(Step("third_party", "yes", source="register (third_party right)"))
    elif explain:
        context.append(Step("third_party", _show(third_party), source="given explicitly"))
    lines: list[Line] = []
    labels: list[str] = []
    for index, code in enumerate((*request.codes, *request.supplements)):
        # the act with the rules in force on the date of care (dated act rules)
        act = nomenclature.act_on(session=session, code=code, on=request.on)
        if index >= len(request.codes) and act.category != rules.SUPPLEMENT_CATEGORY:
            raise InvalidInput(
                f"--supplement {act.code}: not a supplement code (category {act.category}); "
                "give it as a CODE"
            )
        tariff = nomenclature.tariff_in_force(session=session, code=code, on=request.on)
        charged = request.charged[index] if request.charged and index < len(request.codes) else None
        lines.append(Line(act, tariff, charged))
        labels.append(act.label_nl if language == "nl" and act.label_nl else act.label_fr)
    history = _history(session=session, niss=request.niss, on=request.on) if request.niss else []
    terms = ProviderSource(session=session, explain=explain).terms(
        on=request.on,
        provider=request.provider,
        explicit=request.provider_explicit,
        provider_id=request.provider_id,
        at=request.at,
        special=request.special_requirement,
        physio=any(line.act.category in rules.PHYSIO_CATEGORIES for line in lines),
    )
    results = rules.compute_visit(
        lines,
        on=request.on,
        patient=patient,
        provider=request.provider,
        setting=request.setting,
        history=history,
        explain=explain,
        context=context,
        terms=terms,
        third_party=third_party,
        referred=request.referred,
    )
    recorded = 0
    if record and request.niss is not None:
        from inami_cli.db.engine import orm_session
        from inami_cli.db.models import CareRecord
        from inami_cli.services.audit import current_actor, now, record_change

        session = orm_session(session)
        stamp, operator = now(), current_actor().operator
        for result in results:
            if not result.ok:
                continue
            row = _care_row(request.niss, result, terms.status, stamp, operator)
            session.add(CareRecord(**row))
            record_change(
                session=session,
                entity="care_record",
                key=f"{request.niss} {result.code} {result.date.isoformat()}",
                action="insert",
                after=row,
            )
            recorded += 1
        session.flush()
    return CaseAnswer(request.niss, tuple(results), tuple(labels), recorded)


def _care_row(
    niss: str, result: CaseResult, provider: str, stamp: Any, operator: str
) -> dict[str, Any]:
    assert result.fee is not None and result.reimbursement is not None
    assert result.personal_share is not None and result.supplement is not None
    return {
        "niss": niss,
        "code": result.code,
        "care_date": result.date,
        "fee_cents": to_cents(result.fee),
        "reimbursement_cents": to_cents(result.reimbursement),
        "personal_share_cents": to_cents(result.personal_share),
        "supplement_cents": to_cents(result.supplement),
        "referral_reduced": result.referral_reduced,
        "provider": provider,
        "recorded_at": stamp,
        "operator": operator,
    }


def result_record(
    result: CaseResult, *, niss: str | None, label: str | None = None, explain: bool = False
) -> dict[str, Any]:
    """One result as the output record (the JSON keys of the contract)."""
    record: dict[str, Any] = {
        "niss": niss,
        "code": result.code,
        "date": result.date,
        "label": label if label is not None else result.label,
        "regime": result.regime,
        "dmg": result.dmg,
        "age": result.age,
        "chronic": result.chronic,
        "profile": result.profile,
        "fee": result.fee,
        "reimbursement": result.reimbursement,
        "personal_share": result.personal_share,
        "supplement": result.supplement,
        "patient_total": result.patient_total,
        "tariff_valid_from": result.tariff_valid_from,
        "tariff_valid_to": result.tariff_valid_to,
        "source": result.source,
        "status": result.status,
        "refusal_code": result.refusal_code,
        "refusal_reason": result.refusal_reason,
        "third_party": result.third_party,
        "paid_at_desk": result.paid_at_desk,
        "paid_to_provider": result.paid_to_provider,
        "referral_reduced": result.referral_reduced,
    }
    if explain:
        record["explanation"] = [
            {
                "what": s.what,
                "value": _YES_NO.get(s.value, s.value),
                "valid_from": s.valid_from,
                "valid_to": s.valid_to,
                "source": s.source,
                "rule": s.rule,
            }
            for s in result.explanation
        ]
    return record


# A step's yes/no is a boolean in JSON (issue 17: never "yes"/"no"; a table shows yes/no).
_YES_NO: dict[str | None, bool] = {"yes": True, "no": False}


def code_choices(*, session: Session, on: date) -> list[tuple[str, str]]:
    """(code, French label) of the acts that exist on *on*, for completion when prompting."""
    act = ACT.c
    rows = session.execute(
        select(act.code, act.label_fr)
        .where(or_(act.valid_from.is_(None), act.valid_from <= on))
        .where(or_(act.valid_to.is_(None), act.valid_to >= on))
        .order_by(act.code)
    ).all()
    return [(code, label) for code, label in rows]
