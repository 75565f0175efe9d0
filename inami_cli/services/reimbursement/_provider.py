"""The provider of a case (issue 14): the register's answer on the date of care
(``--provider-id``, batch column ``provider_id``), or the status given explicitly
(``--provider``), as the ``ProviderTerms`` the computation reads.

The register answers, on the date (and at the time), the convention status under the
agreement of the provider's profession in force (partial: inside or outside a declared
block), the qualification and the accreditation (``services.providers``). An explicit
``--provider`` still wins over the register's status; the explanation says which was used
and why. Whether a physiotherapists' convention is in force comes from the agreements
table in both cases (rules-audit R8).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inami_cli.db.engine import orm_session
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.providers import ProviderFacts, format_nihii
from inami_cli.domain.reimbursement import ProviderTerms, SpecialRequirement, parse_days
from inami_cli.tabular import Columns, open_binary, read_table

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
_DAY = timedelta(days=1)
_SPECIAL_COLUMNS = Columns(
    required=("kind", "role", "label", "reliability", "source"),
    optional=("days", "from_time", "to_time", "timing_note"),
)


@functools.cache
def special_requirements() -> tuple[SpecialRequirement, ...]:
    """The patients' special requirements (``inami_cli/data/special_requirements.csv``),
    with the moment each holds (``domain.reimbursement._special_times``)."""
    name = "special_requirements.csv"
    rows: list[SpecialRequirement] = []
    with open_binary(DATA_DIR / name) as handle:
        table = read_table(handle, filename=f"inami_cli/data/{name}", spec=_SPECIAL_COLUMNS)
        for line, rec in table.records():
            where = f"inami_cli/data/{name}:{line}"
            start, end = (rec.get(c, "").strip() for c in ("from_time", "to_time"))
            req = SpecialRequirement(
                rec["kind"], rec["role"], rec["label"], rec["reliability"], rec["source"],
                days=parse_days(rec.get("days", ""), where=where),
                from_time=rules.parse_time_of_day(start, what=where) if start else None,
                to_time=rules.parse_time_of_day(end, what=where) if end else None,
            )  # fmt: skip
            rows.append(req)
    return tuple(rows)


def _hhmm(at: time | None) -> str:
    return at.strftime("%H:%M") if at is not None else ""


class ProviderSource:
    """Answers ``ProviderTerms`` for the cases of one command.

    One case asks the register for its provider (``provider_facts``); a batch (*in_memory*)
    reads the whole register once (``load_provider_register``) and remembers each answer.
    The agreements are read once, the first time a case needs them.
    """

    def __init__(self, *, session: Session, in_memory: bool = False, explain: bool = True):
        self.session = session
        self.in_memory = in_memory
        self.explain = explain
        self._register: Any = None
        self._agreements: list[tuple[str, date, date | None]] | None = None
        self._attest: tuple[Any, ...] | None = None

    # -- what is read once ------------------------------------------------------------

    def load(self, *, register: bool = True) -> None:
        """Read what a batch needs before its rows (and before forking workers); with
        *register*, the whole provider register too (else on the first row needing it)."""
        from inami_cli.services import providers

        self.agreements()
        self.attest_rules()
        if register and self.in_memory and self._register is None:
            self._register = providers.load_provider_register(session=orm_session(self.session))

    def agreements(self) -> list[tuple[str, date, date | None]]:
        """(profession, from, to) of every recorded agreement (as ``agreement_list`` orders
        them), through the generated Core table: a single case reads no SQLModel model."""
        if self._agreements is None:
            from sqlalchemy import select

            from inami_cli.db.tables.providers import agreement

            a = agreement.c
            query = select(a.profession, a.valid_from, a.valid_to)
            rows = self.session.execute(query.order_by(a.profession, a.valid_from))
            self._agreements = [(profession, start, end) for profession, start, end in rows]
        return self._agreements

    def physio_convention(self, on: date) -> bool | None:
        """Whether a physiotherapists' convention is in force on *on* (the agreements
        table); None when none is recorded at all (the cut then applies as before)."""
        found = [a for a in self.agreements() if a[0] == "physiotherapist"]
        if not found:
            return None
        return any(start <= on and (end is None or on <= end) for _p, start, end in found)

    def _gap(self, profession: str, on: date) -> bool:
        """No agreement of *profession* in force on *on*, but one before it: a gap."""
        return any(p == profession and start <= on for p, start, _end in self.agreements())

    def attest_rules(self) -> tuple[Any, ...]:
        """The shipped codes-by-qualification table (read once)."""
        if self._attest is None:
            from inami_cli.services import providers

            self._attest = providers.attest_rules()
        return self._attest

    def change_dates(self, nihii: str) -> tuple[date, ...]:
        """The dates on which the register's answer about *nihii* may change (batches)."""
        self.load()
        dates: tuple[date, ...] = self._register.change_dates(nihii)
        return dates

    def facts(self, nihii: str, on: date, at: time | None) -> ProviderFacts:
        """The register's answer (InvalidInput exit 2 malformed, NotFound exit 3 unknown)."""
        if self.in_memory:
            self.load()
            facts: ProviderFacts = self._register.facts(nihii, on, at)
            return facts
        from inami_cli.services import providers

        session = orm_session(self.session)
        return providers.provider_facts(session=session, nihii=nihii, on=on, at=at)

    # -- the answer ---------------------------------------------------------------------

    def terms(
        self,
        *,
        on: date,
        provider: str = "conventioned",
        explicit: bool = True,
        provider_id: str | None = None,
        at: time | None = None,
        special: str | None = None,
        physio: bool = True,
    ) -> ProviderTerms:
        """The provider of one case on *on* (at *at*).

        *provider* is the status given by flag (*explicit*: it was typed, and wins over the
        register); *provider_id* the INAMI number to ask the register; *special* a kind
        of ``special_requirements()``; *physio*: the case has physiotherapy codes (only
        then are the agreements read for a single case).
        """
        reqs = rules.find_special_requirement(special_requirements(), special) if special else ()
        # a special requirement is checked against the moment of care (issue 14)
        care_on, care_at = (on, at) if reqs else (None, None)
        convention = self.physio_convention(on) if physio else None
        if provider_id is None:
            why = "given (--provider)" if explicit else "default (no --provider, no --provider-id)"
            if provider == "partially":
                why += "; read as care inside a declared block (--provider-id and --time check it)"
            return ProviderTerms(
                provider,
                given=True,
                why=why if self.explain else "",
                physio_convention=convention,
                special_requirement=reqs,
                care_on=care_on,
                care_at=care_at,
            )
        facts = self.facts(provider_id, on, at)
        attest = self.attest_rules()
        status, in_block, said = self._register_status(facts, on, at)
        if explicit:
            why = f"given explicitly (--provider wins over the register); the register says {said}"
            status, in_block = provider, True
        else:
            why = f"register: {said}"
        return ProviderTerms(
            status,
            given=explicit,
            why=why if self.explain else "",
            in_block=in_block,
            ambulatory_only=facts.partial_ambulatory_only and not explicit,
            nihii=facts.nihii,
            profession=facts.profession,
            qualification=facts.qualification,
            role=facts.qualification_role,
            accredited=facts.accredited,
            physio_convention=convention,
            special_requirement=reqs,
            attest_rules=attest,
            care_on=care_on,
            care_at=care_at,
        )

    def _register_status(
        self, facts: ProviderFacts, on: date, at: time | None
    ) -> tuple[str, bool | None, str]:
        """(status, inside a declared block, the words saying why) from the register (no
        words when nothing is explained: a batch)."""
        if not self.explain and facts.convention_status is not None:
            return facts.convention_status, facts.in_declared_block, ""
        who = format_nihii(facts.nihii)
        qual = facts.qualification or "none"
        label = f" {facts.qualification_label_fr}" if facts.qualification_label_fr else ""
        head = (
            f"{who}, {facts.profession} qualification {qual}{label}"
            f"{', accredited' if facts.accredited else ''} on {on.isoformat()}"
        )
        if facts.convention_status is None:
            if self._gap(facts.profession, on):
                return (
                    "non-conventioned",
                    None,
                    f"{head}; no {facts.profession}s' agreement in force (a gap): no agreed "
                    "fees bind the provider",
                )
            return (
                "conventioned",
                True,
                f"{head}; no agreement of the profession recorded for the date: conventioned "
                "assumed (pass --provider to say otherwise)",
            )
        said = (
            f"{head}; {facts.agreement}: {facts.adherence} adherence -> {facts.convention_status}"
        )
        if facts.convention_status != "partially":
            return facts.convention_status, None, said
        blocks = facts.declared_blocks or "none"
        if facts.in_declared_block is None:
            said += f" (declared blocks {blocks}; no time of care given)"
        else:
            inside = "inside" if facts.in_declared_block else "outside"
            said += f", {_hhmm(at)} on {on.strftime('%a')} {inside} the declared blocks {blocks}"
        if facts.partial_ambulatory_only:
            said += " (a specialist: ambulatory patients only)"
        return "partially", facts.in_declared_block, said


class BatchProviders:
    """The provider of each batch row, remembered per stretch of time: most rows cost a
    bisect and one dictionary look-up.

    The register's answer about a provider changes only on the dates of its periods and
    of the agreements (``ProviderRegister.change_dates``), and, for a partially
    conventioned provider, with the weekday and time; a row without a provider id changes
    only with the agreements (the physiotherapists' conventions). Equal answers share one
    small integer (``get``'s first value), the part of the batch's answer-cache key that
    the provider decides; it also holds the stretch between two dates of the
    codes-by-qualification table, which can change an answer on its own.
    """

    __slots__ = ("_attest_bounds", "_bounds", "_global", "_ids", "_memo", "source")

    MEMO_LIMIT = 50_000  # flat memory, as the batch's other caches

    def __init__(self, source: ProviderSource) -> None:
        self.source = source
        self._memo: dict[tuple[Any, ...], tuple[int, ProviderTerms]] = {}
        self._ids: dict[tuple[Any, ...], int] = {}
        self._bounds: dict[str, tuple[date, ...]] = {}
        self._global: tuple[date, ...] | None = None
        self._attest_bounds: tuple[date, ...] | None = None

    def _cuts(self, provider_id: str) -> tuple[date, ...]:
        if not provider_id:
            if self._global is None:
                cuts: set[date] = set()
                for _p, start, end in self.source.agreements():
                    cuts.add(start)
                    if end is not None:
                        cuts.add(end + _DAY)
                self._global = tuple(sorted(cuts))
            return self._global
        found = self._bounds.get(provider_id)
        if found is None:
            found = self.source.change_dates(provider_id)
            if len(self._bounds) >= self.MEMO_LIMIT:
                self._bounds.clear()
            self._bounds[provider_id] = found
        return found

    def _attest_cuts(self) -> tuple[date, ...]:
        if self._attest_bounds is None:
            rules_ = self.source.attest_rules()
            cuts = {r.valid_from for r in rules_}
            cuts |= {r.valid_to + _DAY for r in rules_ if r.valid_to is not None}
            self._attest_bounds = tuple(sorted(cuts))
        return self._attest_bounds

    def get(
        self, provider: str, explicit: bool, provider_id: str, at: str, special: str, on: date
    ) -> tuple[int, ProviderTerms]:
        """(answer-cache key part, terms) of one row (errors as ``ProviderSource.terms``)."""
        stretch = bisect_right(self._cuts(provider_id), on)
        weekday = on.weekday() if at and provider_id else -1
        # a special requirement depends on the day itself (weekend, holiday): keyed by date
        day = on if special else None
        key = (provider, explicit, provider_id, at, special, stretch, weekday, day)
        found = self._memo.get(key)
        if found is not None:
            return found
        terms = self.source.terms(
            on=on,
            provider=provider,
            explicit=explicit,
            provider_id=provider_id or None,
            at=rules.parse_time_of_day(at, what="time") if at else None,
            special=special or None,
        )
        attest = bisect_right(self._attest_cuts(), on) if terms.attest_rules else 0
        # what the rules read (the number only names the provider in messages): providers
        # that the rules see alike share their answers
        same = (
            terms.status, terms.in_block, terms.ambulatory_only, terms.profession,
            terms.qualification, terms.role, terms.accredited, terms.physio_convention,
            terms.special_requirement, attest, terms.care_on, terms.care_at,
        )  # fmt: skip
        ident = self._ids.setdefault(same, len(self._ids))
        found = (ident, terms)
        if len(self._memo) >= self.MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = found
        return found
