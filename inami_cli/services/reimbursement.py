"""Reimbursement use cases: one visit (``inami reimburse``) and a batch of cases (cron).

The arithmetic and the rules live in ``domain/reimbursement.py``; this module finds what
they need (the act and the tariff in force, the person's status in the register, the
person's recorded care) and records computed cases when asked.

The batch streams its input and output row by row with flat memory: the nomenclature
index and the register are loaded once, the recorded history once (only the records that
a rule can read), and answers are cached per (code, tariff period, rule epoch, profile, ...)
so that most rows cost a dictionary look-up and a write.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, TextIO

from sqlalchemy import insert, or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act as ActRow
from inami_cli.db.models import CareRecord
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.cells import cell
from inami_cli.domain.dates import age_on, parse_date
from inami_cli.domain.errors import InamiError, InvalidInput, MissingValue, NotFound
from inami_cli.domain.insurability import coverage_on
from inami_cli.domain.jsonfmt import dumps
from inami_cli.domain.money import from_cents, parse_amount, to_cents
from inami_cli.domain.niss import compact_niss
from inami_cli.domain.reimbursement import CaseResult, Line, PastCare, Patient, Step
from inami_cli.domain.tariffs import TariffView

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
)
BATCH_COLUMNS = ("line", *RESULT_COLUMNS)
BATCH_INPUT_COLUMNS = (
    "code",
    "date",
    "niss",
    "regime",
    "dmg",
    "age",
    "chronic",
    "provider",
    "charged",
    "setting",
    "bim_automatic",
)
RECORD_CHUNK = 5_000
# Entries; cleared when reached, so memory stays flat. Small on purpose: a batch whose
# rows repeat hits within a few thousand entries, and one whose rows do not (every
# answer new) would otherwise only grow the heap (peak RSS at a million rows).
CACHE_LIMIT = 20_000
PEOPLE_LIMIT = 20_000  # persons whose register stretches are kept (the same reason)


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


@dataclass(frozen=True)
class BatchSummary:
    """Counts and totals of a batch (totals over the rows that are ok)."""

    rows: int
    ok: int
    refused: int
    errors: int
    fee: Decimal
    reimbursement: Decimal
    personal_share: Decimal
    recorded: int

    def as_dict(self) -> dict[str, Any]:
        """The summary as the JSON object printed at the end of a batch."""
        return {
            "rows": self.rows,
            "ok": self.ok,
            "refused": self.refused,
            "errors": self.errors,
            "fee": self.fee,
            "reimbursement": self.reimbursement,
            "personal_share": self.personal_share,
            "recorded": self.recorded,
        }


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
    )
    return patient, steps


# ------------------------------------------------------------------ one visit


def _history(*, session: Session, niss: str, on: date) -> list[PastCare]:
    """The person's recorded care that a rule can read on *on* (previous and this year)."""
    from inami_cli.services import nomenclature

    rows = session.execute(
        select(col(CareRecord.code), col(CareRecord.care_date)).where(
            col(CareRecord.niss) == niss,
            col(CareRecord.care_date) >= date(on.year - 1, 1, 1),
            col(CareRecord.care_date) <= date(on.year, 12, 31),
        )
    ).all()
    acts: dict[str, Any] = {}
    history: list[PastCare] = []
    for code, care_date in rows:
        if code not in acts:
            acts[code] = nomenclature.get_act(session=session, code=code)
        act = acts[code]
        history.append(PastCare(code, care_date, act.category, tuple(act.not_combinable_with)))
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
    lines: list[Line] = []
    labels: list[str] = []
    for index, code in enumerate(request.codes):
        act = nomenclature.get_act(session=session, code=code)
        tariff = nomenclature.tariff_in_force(session=session, code=code, on=request.on)
        charged = request.charged[index] if request.charged else None
        lines.append(Line(act, tariff, charged))
        labels.append(act.label_nl if language == "nl" and act.label_nl else act.label_fr)
    history = _history(session=session, niss=request.niss, on=request.on) if request.niss else []
    results = rules.compute_visit(
        lines,
        on=request.on,
        patient=patient,
        provider=request.provider,
        setting=request.setting,
        history=history,
        explain=explain,
        context=context,
    )
    recorded = 0
    if record and request.niss is not None:
        from inami_cli.services.audit import current_actor, now, record_change

        stamp, operator = now(), current_actor().operator
        for result in results:
            if not result.ok:
                continue
            row = _care_row(request.niss, result, request.provider, stamp, operator)
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
    }
    if explain:
        record["explanation"] = [
            {
                "what": s.what,
                "value": s.value,
                "valid_from": s.valid_from,
                "valid_to": s.valid_to,
                "source": s.source,
            }
            for s in result.explanation
        ]
    return record


def code_choices(*, session: Session, on: date) -> list[tuple[str, str]]:
    """(code, French label) of the acts that exist on *on*, for completion when prompting."""
    rows = session.execute(
        select(col(ActRow.code), col(ActRow.label_fr))
        .where(or_(col(ActRow.valid_from).is_(None), col(ActRow.valid_from) <= on))
        .where(or_(col(ActRow.valid_to).is_(None), col(ActRow.valid_to) >= on))
        .order_by(col(ActRow.code))
    ).all()
    return [(code, label) for code, label in rows]


# ------------------------------------------------------------------ batch


_TRUE = {"yes", "y", "true", "1", "oui", "ja"}
_FALSE = {"no", "n", "false", "0", "non", "nee"}
_FLAGS: dict[str, bool | None] = {
    "": None,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}
_PROVIDERS = {p: p for p in rules.PROVIDERS}
_REGIMES = {
    "ordinary": "ordinary",
    "preferential": "preferential",
    "bim": "preferential",
    "vt": "preferential",
}


def _flag(text: str, what: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput(f"{what}: {text!r} is not yes or no")


@dataclass
class _Cached:
    """A computed answer, pre-rendered without the per-row cells (line, niss, date, age)."""

    code: str
    head: str  # label, regime, dmg
    tail: str  # chronic ... refusal_reason
    ok: bool
    cents: tuple[int, int, int]
    result: CaseResult | None  # kept only with --record (the stored row needs it)


_CSV_SPECIAL = frozenset(',"\r\n')


def _csv_piece(values: list[Any]) -> str:
    """Cells joined as ``csv.writer`` would write them (without a line end).

    Most pieces hold no delimiter, quote or line break and are a plain join; the others
    (and a lone empty cell, which the writer quotes) go through the writer itself.
    """
    cells = [cell(v) for v in values]
    text = ",".join(cells)
    if _CSV_SPECIAL.isdisjoint(text) and not (len(cells) == 1 and not cells[0]):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


_HEAD = ("label", "regime", "dmg")
_TAIL = RESULT_COLUMNS[RESULT_COLUMNS.index("chronic") :]


class _Renderer:
    """Renders batch rows as CSV or NDJSON from pre-rendered pieces: a cached answer is
    formatted once, and each row only adds its line, NISS, date and age."""

    def __init__(self, fmt: str) -> None:
        self.json = fmt in ("json", "ndjson")

    def header(self) -> str:
        """What comes before the first row (the CSV header line)."""
        return "" if self.json else ",".join(BATCH_COLUMNS) + "\n"

    def pieces(self, record: dict[str, Any]) -> tuple[str, str, str]:
        """(code, label..dmg, chronic..refusal_reason) of a result, rendered."""
        if self.json:
            return (
                dumps(record["code"]),
                ", ".join(f'"{k}": {dumps(record[k])}' for k in _HEAD),
                ", ".join(f'"{k}": {dumps(record[k])}' for k in _TAIL),
            )
        return (
            _csv_piece([record["code"]]),
            _csv_piece([record[k] for k in _HEAD]),
            _csv_piece([record[k] for k in _TAIL]),
        )

    def row(self, line: int, niss: str, day: str, age: int | None, cached: _Cached) -> str:
        """One output row (the NISS was validated against the register: digits only)."""
        if self.json:
            who = f'"{niss}"' if niss else "null"
            years = "null" if age is None else age
            return (
                f'{{"line": {line}, "niss": {who}, "code": {cached.code}, "date": "{day}", '
                f'{cached.head}, "age": {years}, {cached.tail}}}\n'
            )
        years = "" if age is None else age
        return f"{line},{niss},{cached.code},{day},{cached.head},{years},{cached.tail}\n"


class _BatchContext:
    """Reference data loaded once for a batch, and the answer cache."""

    def __init__(self, *, session: Session, record: bool, language: str) -> None:
        from inami_cli.services import nomenclature

        self.session = session
        self.index = nomenclature.load_reference(session=session)
        self._register: Any = None
        self.language = language
        self.record = record
        self.cache: dict[tuple[Any, ...], _Cached] = {}
        self.dates: dict[str, tuple[date, int, str]] = {}
        self.views: dict[int, TariffView] = {}
        self.people: dict[str, tuple[Any, list[date], dict[int, Any], Any]] = {}
        self._periods: dict[str, tuple[Any, Any, date | None]] = {}
        self.acts: dict[str, Any] = {}
        self.history: dict[str, list[PastCare]] = {}
        self._load_history(session)

    def act(self, code: str) -> Any:
        act = self.acts.get(code)
        if act is None:
            try:
                act = self.index.act(code)
            except NotFound:
                act = None
            if act is None:
                raise NotFound(f"code {code} is not in the nomenclature")
            self.acts[code] = act
        return act

    def person(self, niss: str, on: date) -> tuple[bool, str, str, bool, bool, bool, int | None]:
        """(insured, reason, regime, bim_automatic, dmg, chronic, age) from the register.

        The answer only changes where one of the person's periods starts or ends, so it
        is computed once per stretch between those dates and per person.
        """
        entry = self.people.get(niss)
        if entry is None:
            if len(self.people) >= PEOPLE_LIMIT:  # like the answer cache: flat memory
                self.people.clear()
                self._periods.clear()
            entry = self._person_entry(niss)
            self.people[niss] = entry
        birth, bounds, stretches, answer = entry
        if answer is not None:  # no usable periods: ask the register each time
            status = answer(niss, on)
            return (
                status.insured, status.reason or "", status.regime, status.bim_automatic,
                status.dmg, status.chronic, status.age,
            )  # fmt: skip
        index = bisect_right(bounds, on)
        found = stretches.get(index)
        if found is None:
            affs, ents, death = self._periods[niss]
            cov = coverage_on(affs, ents, on, death_date=death)
            found = (cov.insured, cov.reason or "", cov.regime, cov.bim_automatic, cov.dmg,
                     cov.chronic)  # fmt: skip
            stretches[index] = found
        age = age_on(birth, on) if birth is not None and birth <= on else None
        return (*found, age)

    def load_register(self) -> None:
        """Load the register (once): the first row with a NISS needs it."""
        if self._register is None:
            from inami_cli.services import insurability

            self._register = insurability.load_register(session=self.session)

    def _person_entry(self, niss: str) -> tuple[Any, list[date], dict[int, Any], Any]:
        self.load_register()
        if niss not in self._register:
            from inami_cli.domain.niss import niss_problem

            problem = niss_problem(niss)
            if problem:
                raise InvalidInput(problem)
            raise NotFound(f"no person with NISS {niss} in the register")
        # The register keeps (birth, death, affiliations, entitlements) per person; when that
        # layout is not available, fall back to its public ``status`` for every row.
        record = getattr(self._register, "_persons", {}).get(niss)
        if not (isinstance(record, list) and len(record) == 4):
            return None, [], {}, self._register.status
        birth, death, affs, ents = record
        cuts: set[date] = set()
        for period in (*affs, *ents):
            cuts.add(period.valid_from)
            if period.valid_to is not None:
                cuts.add(period.valid_to + timedelta(days=1))
        if death is not None:
            cuts.add(death + timedelta(days=1))
        self._periods[niss] = (affs, ents, death)
        return birth, sorted(cuts), {}, None

    def tariff(self, code: str, on: date) -> TariffView | None:
        """The tariff in force; one ``TariffView`` per stored period with a stored fee."""
        stored = self.index.record_on(code, on)
        if stored is None:
            return None
        if stored.fee is None:  # derived from key letters on the date
            view: TariffView | None = self.index.tariff_on(code, on)
            return view
        key = id(stored)  # the index keeps the record alive for the whole batch
        found = self.views.get(key)
        if found is None:
            found = self.index.tariff_on(code, on)
            if found is not None:
                self.views[key] = found
        return found

    def day(self, text: str, today: date) -> tuple[date, int, str]:
        """(date, rule epoch, ISO text) of a date cell (empty: *today*)."""
        found = self.dates.get(text)
        if found is None:
            day = parse_date(text, what="date") if text else today
            found = (day, rules.rule_epoch(day), day.isoformat())
            if len(self.dates) < 100_000:
                self.dates[text] = found
        return found

    @staticmethod
    def history_relevant(act: Any) -> bool:
        """Records of this act can change a later answer (frequency, prerequisite,
        combination)."""
        return bool(
            act.max_per_period is not None
            or act.prerequisite
            or act.not_combinable_with
            or act.category == "dental"
        )

    def _load_history(self, session: Session) -> None:
        relevant = or_(
            col(ActRow.max_per_period).is_not(None),
            col(ActRow.prerequisite).is_not(None),
            col(ActRow.not_combinable_with) != "",
            col(ActRow.category) == "dental",
        )
        query = (
            select(col(CareRecord.niss), col(CareRecord.code), col(CareRecord.care_date))
            .join(ActRow, col(ActRow.code) == col(CareRecord.code))
            .where(relevant)
            .execution_options(yield_per=10_000)
        )
        for niss, code, care_date in session.execute(query):
            self.add_history(niss, code, care_date)

    def add_history(self, niss: str, code: str, care_date: date) -> None:
        act = self.act(code)
        if self.history_relevant(act):
            self.history.setdefault(niss, []).append(
                PastCare(code, care_date, act.category, tuple(act.not_combinable_with))
            )


class _Done(NamedTuple):
    """What one chunk of rows gave: output text, warnings in order, counts, cents."""

    text: str
    warnings: list[str]
    rows: int
    ok: int
    refused: int
    errors: int
    fee_c: int
    reimb_c: int
    share_c: int


class _BatchRun:
    """The per-row work of ``reimburse_batch`` over a chunk of the file's lines.

    One object does every chunk, in this process or in forked workers (which then share
    the reference data it holds); with ``--record`` it only runs here, in file order.
    """

    def __init__(
        self,
        ctx: _BatchContext,
        *,
        pick: Callable[[list[str]], tuple[str, ...]],
        width: int,
        renderer: _Renderer,
        filename: str,
        today: date,
        record: bool,
        stamp: Any,
        operator: str,
    ) -> None:
        self.ctx = ctx
        self.pick = pick
        self.width = width
        self.renderer = renderer
        self.filename = filename
        self.today = today
        self.record = record
        self.stamp = stamp
        self.operator = operator
        self.amounts: dict[str, Decimal] = {}
        self.pending: list[dict[str, Any]] = []
        self.recorded = 0

    def flush(self) -> None:
        """Store the pending care records (``--record``)."""
        if self.pending:
            self.ctx.session.execute(insert(CareRecord), self.pending)
            self.recorded += len(self.pending)
            self.pending = []

    def chunk(self, lines: list[str], first: int) -> _Done:
        """Compute the rows of *lines*, whose first line is line *first* of the file."""
        ctx = self.ctx
        record = self.record
        language = ctx.language
        renderer = self.renderer
        render = renderer.row
        pick = self.pick
        width = self.width
        day0 = self.today
        amounts = self.amounts
        cache = ctx.cache
        out: list[str] = []
        warnings: list[str] = []
        rows = ok = refused = errors = 0
        fee_c = reimb_c = share_c = 0
        reader = csv.reader(lines)
        offset = first - 1
        for row in reader:
            line = offset + reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows += 1
            try:
                if len(row) != width:
                    raise InvalidInput(f"{len(row)} fields, the header has {width}")
                row.append("")
                (
                    code,
                    date_text,
                    niss,
                    regime_text,
                    dmg_text,
                    age_text,
                    chronic_text,
                    provider_text,
                    charged_text,
                    setting_text,
                    auto_text,
                ) = pick(row)
                code = code.strip()
                on, epoch, day = ctx.day(date_text.strip(), day0)
                niss = compact_niss(niss.strip()) if niss else ""
                regime: str | None = None
                if regime_text:
                    regime = _REGIMES.get(regime_text.strip().lower())
                    if regime is None:
                        raise InvalidInput(
                            f"regime {regime_text!r}: expected ordinary or preferential"
                        )
                dmg = _FLAGS[dmg_text] if dmg_text in _FLAGS else _flag(dmg_text, "dmg")
                chronic = (
                    _FLAGS[chronic_text]
                    if chronic_text in _FLAGS
                    else _flag(chronic_text, "chronic")
                )
                auto = (
                    _FLAGS[auto_text] if auto_text in _FLAGS else _flag(auto_text, "bim_automatic")
                )
                age: int | None = None
                if age_text:
                    age_text = age_text.strip()
                    if not age_text.isdigit():
                        raise InvalidInput(f"age {age_text!r} is not a whole number")
                    age = int(age_text)
                provider = (
                    _PROVIDERS.get(provider_text) or provider_text.strip().lower()
                    if provider_text
                    else "conventioned"
                )
                if provider not in rules.PROVIDERS:
                    raise InvalidInput(
                        f"provider {provider!r}: expected one of {', '.join(rules.PROVIDERS)}"
                    )
                charged: Decimal | None = None
                if charged_text:
                    charged = amounts.get(charged_text)
                    if charged is None:
                        charged = parse_amount(charged_text, what="charged")
                        if len(amounts) < 10_000:
                            amounts[charged_text] = charged
                setting = setting_text.strip().lower() if setting_text else None
                if setting is not None and setting not in rules.SETTINGS:
                    raise InvalidInput(f"setting {setting!r}: expected ambulatory or hospitalised")
                if record and not niss:
                    raise InvalidInput("--record needs a niss on every row")
                act = ctx.act(code)
                tariff = ctx.tariff(code, on)
                # the beneficiary as the domain sees it: the register, explicit values winning
                if niss:
                    insured, reason, r_regime, r_auto, r_dmg, r_chronic, r_age = ctx.person(
                        niss, on
                    )
                    p_regime = regime or r_regime
                    p_dmg = r_dmg if dmg is None else dmg
                    p_age = r_age if age is None else age
                    p_chronic = r_chronic if chronic is None else chronic
                    p_auto = r_auto if auto is None else auto
                elif regime is None:
                    raise InvalidInput("give a niss or a regime")
                else:
                    p_regime = regime
                    p_dmg = bool(dmg)
                    p_age = age
                    p_chronic = bool(chronic)
                    p_auto = bool(auto)
                    insured, reason = True, ""
                person_history = ctx.history.get(niss) if niss else None
                act_valid = (act.valid_from is None or act.valid_from <= on) and (
                    act.valid_to is None or on <= act.valid_to
                )
                key: tuple[Any, ...] | None = None
                if not person_history:
                    key = (
                        code,
                        tariff.valid_from if tariff is not None else None,
                        tariff.fee if tariff is not None else None,
                        epoch,
                        act_valid,
                        p_regime,
                        bool(p_dmg),
                        rules.age_key(act, tariff, p_age),
                        bool(p_chronic),
                        bool(p_auto),
                        insured,
                        reason,
                        provider,
                        charged,
                        setting,
                    )
                    cached = cache.get(key)
                else:
                    cached = None
                if cached is None:
                    patient = Patient(
                        regime=p_regime,
                        dmg=bool(p_dmg),
                        age=p_age,
                        chronic=bool(p_chronic),
                        insured=insured,
                        not_insured_reason=reason,
                        bim_automatic=bool(p_auto),
                    )
                    result = rules.compute_case(
                        Line(act, tariff, charged),
                        on=on,
                        patient=patient,
                        provider=provider,
                        setting=setting,
                        history=person_history or (),
                    )
                    label = act.label_nl if language == "nl" and act.label_nl else act.label_fr
                    code_part, head, tail = renderer.pieces(
                        result_record(result, niss=None, label=label)
                    )
                    cents = (
                        (
                            to_cents(result.fee),
                            to_cents(result.reimbursement),
                            to_cents(result.personal_share),
                        )
                        if result.ok
                        and result.fee is not None
                        and result.reimbursement is not None
                        and result.personal_share is not None
                        else (0, 0, 0)
                    )
                    cached = _Cached(
                        code_part, head, tail, result.ok, cents, result if record else None
                    )
                    if key is not None:
                        if len(cache) >= CACHE_LIMIT:
                            cache.clear()
                        cache[key] = cached
            except InamiError as exc:
                errors += 1
                warnings.append(f"{self.filename}:{line}: {exc.message}")
                continue
            out.append(render(line, niss, day, p_age, cached))
            if cached.ok:
                ok += 1
                cents_ = cached.cents
                fee_c += cents_[0]
                reimb_c += cents_[1]
                share_c += cents_[2]
                if record:
                    assert cached.result is not None
                    care = _care_row(niss, cached.result, provider, self.stamp, self.operator)
                    care["care_date"] = on
                    self.pending.append(care)
                    if ctx.history_relevant(act):
                        ctx.add_history(niss, code, on)
                    if len(self.pending) >= RECORD_CHUNK:
                        self.flush()
            else:
                refused += 1
        return _Done("".join(out), warnings, rows, ok, refused, errors, fee_c, reimb_c, share_c)


def reimburse_batch(
    *,
    session: Session,
    source: TextIO,
    out: TextIO,
    fmt: str = "csv",
    filename: str = "-",
    record: bool = False,
    today: date | None = None,
    language: str = "fr",
    on_error: Callable[[str], None] = lambda message: None,
) -> BatchSummary:
    """Compute one case per CSV row of *source* and write the results to *out*.

    Columns: ``code, date, niss, regime, dmg, age, chronic, provider, charged`` (and the
    optional ``setting, bim_automatic``); ``niss`` or ``regime`` on each row. A bad row is
    reported to *on_error* as ``FILE:LINE: reason`` and the batch goes on. With *record*,
    the reimbursed rows are stored (bulk inserts) and count for the rows after them, as if
    the cases had been computed and recorded one by one in the file's order.

    A big input without *record* is computed on worker processes (``services.batching``);
    the output, the warnings and the summary are the same, in the same order.
    """
    from inami_cli.services import batching
    from inami_cli.services.audit import current_actor, now, record_change

    reader = csv.reader(source)
    header = next(reader, None)
    if header is None:
        raise InvalidInput(f"{filename}: empty file (expected a header line)")
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    unknown = [n for n in names if n not in BATCH_INPUT_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{filename}:1: unknown column {unknown[0]!r} "
            f"(expected {', '.join(BATCH_INPUT_COLUMNS)})"
        )
    if "code" not in names:
        raise InvalidInput(f"{filename}:1: missing column 'code'")
    col = {name: names.index(name) for name in names}
    width = len(names)
    # One C-level call picks every known column; an absent column reads the "" appended
    # to each row (index ``width``).
    pick = itemgetter(*(col.get(name, width) for name in BATCH_INPUT_COLUMNS))

    ctx = _BatchContext(session=session, record=record, language=language)
    renderer = _Renderer(fmt)
    stamp, operator = now(), current_actor().operator
    run = _BatchRun(
        ctx,
        pick=pick,
        width=width,
        renderer=renderer,
        filename=filename,
        today=today or date.today(),
        record=record,
        stamp=stamp,
        operator=operator,
    )
    totals = [0] * 7
    write = out.write
    write(renderer.header())

    def emit(done: _Done) -> None:
        for message in done.warnings:
            on_error(message)
        write(done.text)
        for i, value in enumerate(done[2:]):
            totals[i] += value

    batching.run_chunks(
        batching.csv_chunks(source, batching.chunk_size()),
        reader.line_num + 1,
        run.chunk,
        emit,
        # --record: each row's history effect must be seen by the next rows, in order
        parallel=not record,
        # the workers share one copy of the register instead of each loading it
        before_fork=ctx.load_register,
    )
    run.flush()
    recorded = run.recorded
    if recorded:
        record_change(
            session=session,
            entity="care_record",
            key=f"batch {filename}",
            action="insert",
            after={"rows": recorded, "file": filename},
        )
    rows, ok, refused, errors, fee_c, reimb_c, share_c = totals
    return BatchSummary(
        rows=rows,
        ok=ok,
        refused=refused,
        errors=errors,
        fee=from_cents(fee_c),
        reimbursement=from_cents(reimb_c),
        personal_share=from_cents(share_c),
        recorded=recorded,
    )
