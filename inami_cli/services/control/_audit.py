"""``control audit``: a billing file checked line by line, offline, against the database.

The file is read by ``inami_cli.tabular`` (CSV with `,` `;` or tab, a BOM, header aliases)
and streamed: one line at a time, with the reference data loaded once and bounded caches,
so memory stays flat whatever the file's size. Each line yields a ``LineAudit`` (its
findings, the claim and the computed reimbursement); a malformed line is reported as
``FILE:LINE: reason`` and the audit goes on.

The rules of the insurance are the reimbursement engine's (``domain.reimbursement``,
through its public ``compile_plan`` and ``apply_plan``, what ``compute_case`` runs before
who-pays-what); the checks only a control makes are ``domain.control``'s (billing limit,
prescriber, claim, undue amounts).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any, NamedTuple

from sqlmodel import Session

from inami_cli.domain import control as audit_rules
from inami_cli.domain import reimbursement as engine
from inami_cli.domain.control import Finding
from inami_cli.domain.errors import FileErrors, InamiError, InvalidInput
from inami_cli.domain.money import ZERO, parse_amount
from inami_cli.domain.niss import compact_niss, niss_problem
from inami_cli.domain.providers import parse_nihii
from inami_cli.domain.reimbursement import Patient
from inami_cli.services.control._context import (
    CASE_LIMIT,
    AuditContext,
    _bounded,
    _provider_terms,
    parse_clock,
    reference_frozen,
)
from inami_cli.services.control._plans import EXACT, YOUNG, CodePlan, CodePlans
from inami_cli.services.memo import Generations
from inami_cli.tabular import Columns, read_header, sniff_delimiter, text_lines

BILLING_COLUMNS = Columns(
    required=("provider_id", "niss", "code", "date", "reimbursement_claimed"),
    optional=("time", "charged", "prescriber_id", "setting", "billed_on"),
    aliases={
        "nihii": "provider_id", "riziv": "provider_id", "inami": "provider_id",
        "provider": "provider_id", "insz": "niss", "inss": "niss", "care_date": "date",
        "service_date": "date", "claimed": "reimbursement_claimed",
        "reimbursement": "reimbursement_claimed", "prescriber": "prescriber_id",
        "invoiced_on": "billed_on",
    },
)  # fmt: skip

FINDING_COLUMNS = (
    "file", "line", "provider_id", "niss", "code", "date", "finding", "rule", "detail",
    "claimed", "computed", "indu",
)  # fmt: skip

# The engine's refusals that concern what is charged: the insurer's part is still due, so
# the claim is checked against the case computed at the fee.
_CHARGE_REFUSALS = frozenset({engine.R_ABOVE_FEE, engine.R_SUPPLEMENT_BANNED})


class LineAudit(NamedTuple):
    """One billed line audited: who, what, the claim, the computed part, the findings.

    A named tuple: one is made per line, and it costs a quarter of a frozen dataclass."""

    line: int
    provider_id: str
    profession: str | None  # from the register (None: unknown provider)
    qualification: str | None  # the last 3 digits of the number billed
    peer_group: str  # profession and qualification (role for GPs): see ``peer_group``
    niss: str
    code: str
    date: date
    claimed: Decimal
    computed: Decimal | None
    findings: tuple[Finding, ...]

    @property
    def undue(self) -> Decimal:
        """The amount undue on the line (``domain.control.line_undue``)."""
        return audit_rules.line_undue(self.findings, self.claimed)


@dataclass
class AuditSummary:
    """Counts and totals of an audit."""

    lines: int = 0
    lines_with_findings: int = 0
    findings: int = 0
    errors: int = 0
    claimed: Decimal = ZERO
    undue: Decimal = ZERO
    by_rule: dict[str, int] = field(default_factory=dict)

    def add(self, audited: LineAudit) -> None:
        """Count one audited line."""
        self.lines += 1
        self.claimed += audited.claimed
        if audited.findings:
            self.lines_with_findings += 1
            self.findings += len(audited.findings)
            self.undue += audited.undue
            for f in audited.findings:
                self.by_rule[f.code] = self.by_rule.get(f.code, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        """The JSON summary of the audit."""
        return {
            "lines": self.lines, "lines_with_findings": self.lines_with_findings,
            "findings": self.findings, "errors": self.errors, "claimed": self.claimed,
            "undue": self.undue, "by_rule": dict(sorted(self.by_rule.items())),
        }  # fmt: skip


def finding_records(filename: str, audited: LineAudit) -> Iterator[dict[str, Any]]:
    """The output records of a line's findings (``FINDING_COLUMNS``)."""
    for f in audited.findings:
        yield {
            "file": filename, "line": audited.line, "provider_id": audited.provider_id,
            "niss": audited.niss, "code": audited.code, "date": audited.date,
            "finding": f.code, "rule": f.rule.name, "detail": f.detail,
            "claimed": audited.claimed, "computed": audited.computed, "indu": f.indu,
        }  # fmt: skip


class _Fields(NamedTuple):
    """Where a record's cells are (the header's order): a column the header does not have
    reads the empty cell appended after the record's last one. Cells read by position
    instead of a dict per line: the dict cost a twentieth of the per-line work."""

    provider_id: int
    niss: int
    code: int
    date: int
    claimed: int
    time: int
    charged: int
    prescriber_id: int
    setting: int
    billed_on: int

    @classmethod
    def of(cls, names: tuple[str | None, ...]) -> _Fields:
        """The positions of the known columns in a header's *names*."""
        where = {name: i for i, name in enumerate(names) if name is not None}
        absent = len(names)
        return cls(*(where.get(name, absent) for name in (
            "provider_id", "niss", "code", "date", "reimbursement_claimed", "time", "charged",
            "prescriber_id", "setting", "billed_on",
        )))  # fmt: skip


# A provider bills a day's patients as a run of lines: a few thousand days in memory serve
# a file in any order of runs, and keep the memory flat.
DAY_LIMIT = 2_000
_UNSEEN = object()  # a cache's "not there" where None is an answer


@dataclass(frozen=True)
class _DayPlan:
    """A provider's billing day: the number, the date, the register's facts (untimed)."""

    provider_id: str
    qualification: str | None
    on: date
    limit: date  # the last day of the 2-year billing limit
    facts: Any
    status: str  # the convention status the engine speaks of
    group: str  # the peer group


class _Auditor:
    """The per-line work: parse the cells, run the checks, return a ``LineAudit``."""

    def __init__(self, ctx: AuditContext, *, billed_on: date) -> None:
        self.ctx = ctx
        self.billed_on = billed_on
        self.amounts: dict[str, Decimal] = {}
        self.nihiis: dict[str, tuple[str, str | None]] = {}
        self.cases: Generations[Any, Any] = Generations(
            CASE_LIMIT
        )  # the engine's answers, by what can change them
        self.days: dict[tuple[str, str], _DayPlan] = {}
        self.clocks: dict[str, Any] = {}
        self.plans = CodePlans(ctx)
        self.terms: dict[tuple[str, str], engine.ProviderTerms] = {}
        self.prescribers_ok: dict[tuple[str, bool], bool] = {}  # (cell, required): no finding

    def amount(self, text: str, what: str) -> Decimal:
        found = self.amounts.get(text)
        if found is None:
            found = parse_amount(text, what=what)
            _bounded(self.amounts)[text] = found
        return found

    def nihii(self, text: str) -> tuple[str, str | None]:
        found = self.nihiis.get(text)
        if found is None:
            parsed = parse_nihii(text, what="provider_id")
            found = (parsed.number, parsed.qualification)
            _bounded(self.nihiis)[text] = found
        return found

    def case(
        self, plan: CodePlan, charged: Decimal | None, on: date, cov: Any, age: int | None,
        provider: str, setting: str | None, history: list[Any] | None,
        profession: str | None = None,
    ) -> tuple[bool, str | None, str | None, Decimal | None, Decimal | None]:  # fmt: skip
        """The engine's answer (ok, refusal code, reason, reimbursement, fee), cached by what
        can change it (the reimbursement batch's key) when the person's history cannot
        change it (``domain.reimbursement.history_matters``): it is then computed without."""
        act, tariff = plan.act, plan.tariff
        key = None
        if history and not engine.history_matters(act, on, history):
            history = None
        if not history:
            mode = plan.age_mode  # engine.age_key, decided once per code and date
            young = None if age is None else age <= engine.YOUNG_BIM_MAX_AGE
            key = (
                plan, cov.regime,
                # the DMG is read by profiles that name it, the fixed-share fallback and, at a
                # doctor, the young-BIM rules (domain.reimbursement._split, third_party_rule)
                cov.dmg and (plan.reads_dmg or (plan.doctor and cov.regime == "preferential")),
                age if mode is EXACT else young if mode is YOUNG else 0,
                # the chronic status is read only by profiles that name it; automatic BIM only
                # by the supplement ban, for a BIM patient charged something (domain
                # .tariffs.Profile.matches, domain.reimbursement.supplement_ban)
                plan.reads_chronic and cov.chronic,
                cov.bim_automatic and charged is not None and cov.regime == "preferential",
                cov.insured,
                # an insured person's reason names the affiliation: it changes no answer
                "" if cov.insured else cov.reason, provider, charged, setting,
            )  # fmt: skip
            found = self.cases.get(key)
            if found is not None:
                return found  # type: ignore[no-any-return]
        patient = Patient(
            regime=cov.regime, dmg=cov.dmg, age=age, chronic=cov.chronic, insured=cov.insured,
            not_insured_reason=cov.reason or "", bim_automatic=cov.bim_automatic,
        )  # fmt: skip
        # the engine's compute_case without who-pays-what (third party, settle), which
        # changes none of the answer's parts: the plan (domain.reimbursement._plan) applied
        result = engine.apply_plan(
            engine.compile_plan(act, tariff, on=on, patient=patient,
                                terms=self.provider_terms(provider, profession),
                                setting=setting),
            charged=charged, on=on, patient=patient, history=history or (),
        )  # fmt: skip
        answer = (result.ok, result.refusal_code, result.refusal_reason, result.reimbursement,
                  result.fee)  # fmt: skip
        # a "no profile" refusal names the exact age, which the key may only band: such an
        # answer is the person's own (it was another person's age when it was kept)
        if key is not None and result.refusal_code != engine.R_NO_PROFILE:
            self.cases.put(key, answer)
        return answer

    def provider_terms(self, status: str, profession: str | None) -> engine.ProviderTerms:
        """The provider as the engine reads it: the register's status (never typed), with
        the profession when the register knows it: a doctor's partial adherence billed on a
        physiotherapy code is then the attest check's finding (103), not an input error.
        The qualification is the audit's own check (finding 910), not the engine's."""
        key = (status, profession or "")
        terms = self.terms.get(key)
        if terms is None:
            terms = engine.ProviderTerms(status=status)
            if profession is not None:
                terms = engine.ProviderTerms(status=status, given=False, why="register",
                                             profession=profession)  # fmt: skip
            self.terms[key] = terms
        return terms

    def day_plan(self, provider_text: str, code: str, date_text: str) -> _DayPlan:
        """What a line owes to its provider and date alone, parsed and looked up once per
        (provider, date): a provider bills a day's patients in a run."""
        key = (provider_text, date_text)
        plan = self.days.get(key)
        if plan is None:
            provider_id, qualification = self.nihii(provider_text)
            if not code:  # the checks in the order of the cells (the first error is shown)
                raise InvalidInput("code: empty")
            on = self.ctx.day(date_text.strip(), "date")
            facts = self.ctx.provider(provider_id, on, None)
            plan = _DayPlan(provider_id, qualification, on, audit_rules.billing_limit(on),
                            facts, *_provider_terms(facts, qualification))  # fmt: skip
            _bounded(self.days, DAY_LIMIT)[key] = plan
        elif not code:
            raise InvalidInput("code: empty")
        return plan

    def audit(self, line: int, cells: list[str], at: _Fields) -> LineAudit:
        """The audit of one record, its cells read at the columns *at* names."""
        ctx = self.ctx
        code = cells[at.code].strip()
        day = self.day_plan(cells[at.provider_id], code, cells[at.date])
        niss = compact_niss(cells[at.niss].strip())
        on = day.on
        time_text = cells[at.time]
        clock = None
        if time_text:
            clock = self.clocks.get(time_text, _UNSEEN)
            if clock is _UNSEEN:
                clock = _bounded(self.clocks)[time_text] = parse_clock(time_text)
        claimed = self.amount(cells[at.claimed].strip(), "reimbursement_claimed")
        charged_text = cells[at.charged].strip()
        charged = self.amount(charged_text, "charged") if charged_text else None
        setting = cells[at.setting].strip().lower() or None
        if setting is not None and setting not in engine.SETTINGS:
            raise InvalidInput(f"setting {setting!r}: expected ambulatory or hospitalised")
        billed_text = cells[at.billed_on].strip()
        billed_on = ctx.day(billed_text, "billed_on") if billed_text else self.billed_on

        findings: list[Finding] = []
        if billed_on > day.limit:
            late = audit_rules.check_billing_limit(on, billed_on, claimed)
            if late is not None:
                findings.append(late)
        facts, status, group = day.facts, day.status, day.group
        if clock is not None and facts is not None and facts.convention_status == "partially":
            facts = ctx.provider(day.provider_id, on, clock)  # inside a declared block?
            status, group = _provider_terms(facts, day.qualification)
        provider_id, qualification = day.provider_id, day.qualification
        profession = facts.profession if facts is not None else None
        if facts is None:
            findings.append(
                Finding(audit_rules.A_PROVIDER_UNKNOWN, f"no provider {provider_id}", claimed)
            )
        plan = self.plans.plan(code, on)
        if plan is None:
            findings.append(
                audit_rules.engine_finding(
                    engine.R_NOT_ON_DATE, f"code {code} is not in the nomenclature",
                    claimed=claimed, excess=ZERO,
                )
            )  # fmt: skip
            return LineAudit(line, provider_id, profession, qualification, group, niss, code, on,
                             claimed, None, tuple(findings))  # fmt: skip
        act = plan.act
        if (
            plan.attest_rules
            and facts is not None
            and ctx.may_attest(code, facts, on, act.article) is False
        ):
            findings.append(
                Finding(
                    audit_rules.A_QUALIFICATION,
                    f"{facts.profession} qualification {facts.qualification or 'none'}"
                    f"{' (accredited)' if facts.accredited else ''} may not attest {code}",
                    claimed,
                )
            )
        prescriber_text = cells[at.prescriber_id]
        if plan.prescribed or prescriber_text.strip():
            checked = (prescriber_text, plan.prescribed)
            if checked not in self.prescribers_ok:
                prescriber = audit_rules.check_prescriber(
                    prescriber_text, required=plan.prescribed, claimed=claimed
                )
                if prescriber is None:  # the same on every line (no amount in it)
                    _bounded(self.prescribers_ok)[checked] = True
                else:
                    findings.append(prescriber)
        computed = self._engine(
            plan, on, niss, charged, status, setting, claimed, findings, profession
        )
        return LineAudit(line, provider_id, profession, qualification, group, niss, code, on,
                         claimed, computed, tuple(findings))  # fmt: skip

    def _engine(
        self, plan: CodePlan, on: date, niss: str, charged: Decimal | None, status: str,
        setting: str | None, claimed: Decimal, findings: list[Finding],
        profession: str | None,
    ) -> Decimal | None:  # fmt: skip
        """Run the engine on the line; add its finding; the reimbursement it computes."""
        ctx = self.ctx
        act = plan.act
        person = ctx.person(niss, on)
        if person is None:
            problem = niss_problem(niss)  # only now: a person of the register is valid
            if problem:
                raise InvalidInput(problem)
            findings.append(
                audit_rules.engine_finding(
                    engine.R_NOT_INSURED, f"no person with NISS {niss} in the register",
                    claimed=claimed, excess=ZERO,
                )
            )  # fmt: skip
            return ZERO
        cov, age = person
        history = ctx.history.get(niss)
        ok, refusal, reason, reimbursement, fee = self.case(
            plan, charged, on, cov, age, status, setting, history, profession
        )
        if refusal in _CHARGE_REFUSALS:
            excess = charged - (fee or ZERO) if charged is not None else ZERO
            findings.append(
                audit_rules.engine_finding(
                    refusal or "", reason or "", claimed=claimed, excess=excess
                )
            )
            ok, refusal, reason, reimbursement, fee = self.case(
                plan, None, on, cov, age, status, setting, history, profession
            )
        if not ok:
            findings.append(
                audit_rules.engine_finding(
                    refusal or "", reason or "", claimed=claimed, excess=ZERO
                )
            )
            return ZERO
        computed = reimbursement if reimbursement is not None else ZERO
        claim = audit_rules.check_claim(claimed, computed)
        if claim is not None:
            findings.append(claim)
        if plan.history:
            ctx.add_history(niss, act, on)
        return computed


def open_billing(
    source: IO[bytes], filename: str, encoding: str
) -> tuple[Iterator[str], str, tuple[str | None, ...]]:
    """The lines after the header, the delimiter and the header's columns (exit 2 on an
    empty file or a bad header: ``FILE:1: ...``)."""
    lines = text_lines(source, filename=filename, encoding=encoding)
    first = next(lines, None)
    while first is not None and not first.strip():
        first = next(lines, None)
    if first is None:
        raise InvalidInput(f"{filename}:1: empty file (expected a header: "
                           f"{','.join(BILLING_COLUMNS.known)})")  # fmt: skip
    delimiter = sniff_delimiter(first, BILLING_COLUMNS)
    header_cells = next(csv.reader([first], delimiter=delimiter))
    header = read_header(header_cells, filename=filename, spec=BILLING_COLUMNS,
                         delimiter=delimiter)  # fmt: skip
    return lines, delimiter, header.names


def audit_lines(
    auditor: _Auditor,
    lines: Iterable[str],
    *,
    first_line: int,
    delimiter: str,
    names: tuple[str | None, ...],
    filename: str,
    counts: AuditSummary,
    on_error: Callable[[int, str], None],
    keep: Callable[[int, list[str]], bool] | None = None,
) -> Iterator[LineAudit]:
    """Audit *lines* (whose first is physical line *first_line* of the file): one
    ``LineAudit`` per record, errors to *on_error(line, message)*; with *keep*, only the
    records it keeps (a worker's share)."""
    width = len(names)
    at = _Fields.of(names)
    reader = csv.reader(lines, delimiter=delimiter)
    offset = first_line - 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = offset + reader.line_num
            raise FileErrors([f"{filename}:{line}: bad CSV: {exc}"]) from None
        line = offset + reader.line_num
        if not "".join(cells).strip():
            continue
        if keep is not None and not keep(line, cells):
            continue
        if len(cells) != width:
            counts.errors += 1
            on_error(line, f"{filename}:{line}: {len(cells)} fields, the header has {width}")
            continue
        cells.append("")  # what the columns the header does not have read (``_Fields``)
        try:
            audited = auditor.audit(line, cells, at)
        except InamiError as exc:
            counts.errors += 1
            on_error(line, f"{filename}:{line}: {exc.message}")
            continue
        counts.add(audited)
        yield audited


def audit_stream(
    *,
    session: Session,
    source: IO[bytes],
    filename: str,
    billed_on: date,
    encoding: str = "utf-8",
    on_error: Callable[[str], None] = lambda message: None,
    summary: AuditSummary | None = None,
) -> Iterator[LineAudit]:
    """Audit every line of a billing file, in order, one ``LineAudit`` per line.

    The header is checked first (exit 2 on a bad one, before anything is loaded); a bad
    line is reported to *on_error* as ``FILE:LINE: reason``, counted in *summary*'s
    ``errors``, and skipped. Lines a rule accepts count as history for the person's later
    lines (frequency, cumulation), after the care recorded in the database.
    """
    lines, delimiter, names = open_billing(source, filename, encoding)
    auditor = _Auditor(AuditContext(session=session), billed_on=billed_on)
    counts = summary if summary is not None else AuditSummary()
    with reference_frozen():
        yield from audit_lines(
            auditor, lines, first_line=2, delimiter=delimiter, names=names, filename=filename,
            counts=counts, on_error=lambda _line, message: on_error(message),
        )  # fmt: skip
