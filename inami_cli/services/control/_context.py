"""What an audit loads once (the nomenclature index, the register of insured persons, the
provider register, the recorded care a rule can read, the shipped prescribed-acts table)
and the look-ups it makes per line, cached so that memory stays flat."""

from __future__ import annotations

import functools
import gc
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act as ActRow
from inami_cli.db.models import CareRecord
from inami_cli.domain.control import PrescribedRule, needs_prescriber
from inami_cli.domain.dates import age_on, parse_date
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.providers import Attester
from inami_cli.domain.providers import may_attest as rule_may_attest
from inami_cli.domain.reimbursement import PastCare, rule_epoch
from inami_cli.services.bulkio import gc_paused
from inami_cli.tabular import Columns, open_binary, read_table

CACHE_LIMIT = 20_000  # entries per cache; cleared when reached (flat memory)
# The engine's answers: a billing file's (code, tariff, profile) combinations are many
# (providers x their codes x patient profiles), and a cache emptied when full would lose
# the frequent ones with the rare: two generations of this many answers (``Generations``).
CASE_LIMIT = 30_000
YOUNG_COLLECTION = 50_000  # allocations between two collections during an audit
_PRESCRIBED_COLUMNS = Columns(
    required=("category", "valid_from", "valid_to", "reliability", "source"), optional=("note",)
)


@functools.cache
def prescribed_rules() -> tuple[PrescribedRule, ...]:
    """The shipped table of act categories that need a prescriber
    (``inami_cli/data/prescribed_acts.csv``)."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent.parent / "data" / "prescribed_acts.csv"
    found = []
    with open_binary(path) as handle:
        table = read_table(
            handle, filename="inami_cli/data/prescribed_acts.csv", spec=_PRESCRIBED_COLUMNS
        )
        for _line, rec in table.records():
            end = rec["valid_to"].strip()
            found.append(
                PrescribedRule(
                    category=rec["category"].strip(),
                    valid_from=parse_date(rec["valid_from"], what="valid_from"),
                    valid_to=parse_date(end, what="valid_to") if end else None,
                    reliability=rec["reliability"].strip(),
                    source=rec["source"].strip(),
                )
            )
    return tuple(found)


@contextmanager
def reference_frozen() -> Iterator[None]:
    """The reference data loaded so far kept out of the cyclic collector's scans
    (``gc.freeze``) while the lines are audited: it lives as long as the audit, and each
    full collection would walk the whole register and nomenclature again (8 of them on
    100 000 lines; measured 4.7 -> 4.2 s of CPU for those lines).

    The young generation is collected every 50 000 allocations instead of 700: a line
    allocates a few dozen short-lived objects, none in a cycle, and the collections that
    find nothing to free cost 8 % of the per-line CPU (400 000 lines: 10.1 -> 9.2 s)."""
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _bounded(cache: dict[Any, Any], limit: int = CACHE_LIMIT) -> dict[Any, Any]:
    if len(cache) >= limit:
        cache.clear()
    return cache


class AuditContext:
    """Reference data loaded once for an audit, and its per-line look-ups."""

    def __init__(self, *, session: Session, history: bool = True) -> None:
        with gc_paused():  # (see ``_load``)
            self._load(session, history)
            gc.freeze()  # (see ``_load``; ``reference_frozen`` unfreezes it at the end)

    def _load(self, session: Session, history: bool) -> None:
        """Load the reference data, with the cyclic collector paused and the data then
        frozen by the caller: the nomenclature's hundred thousand tariff versions and the
        history are long-lived acyclic objects, and the collections that rescanned them as
        they grew, and the first one after the pause, were 0.9 s of the audit's serial
        start-up, which the workers wait for (2.65 -> 1.7 s of CPU)."""
        from inami_cli.services import insurability, nomenclature, providers

        self.session = session
        self.index = nomenclature.load_reference(session=session)
        self.register = insurability.load_register(session=session)
        self.providers = providers.load_provider_register(session=session)
        self.prescribed = prescribed_rules()
        self.acts: dict[str, Any] = {}
        self.dates: dict[str, date] = {}
        self.facts: dict[tuple[str, Any, time | None], Any] = {}
        self.provider_dates: dict[str, tuple[date, ...]] = {}  # ``change_dates`` by number
        self.attest_rules = providers.attest_rules()
        self.code_rules: dict[tuple[str, str], tuple[Any, ...]] = {}
        self.views: dict[int, Any] = {}
        self.epochs: dict[date, int] = {}
        self.prescriber_needed: dict[tuple[str, date], bool] = {}
        self.history: dict[str, list[PastCare]] = {}
        # (coverage, birth, first day, end) by NISS: see ``person``
        self.persons: dict[str, tuple[Any, date | None, date, date | None]] = {}
        self.person_limit = len(self.register) + CACHE_LIMIT
        self.coverages: dict[Any, Any] = {}  # the shared answers of insured persons
        self.cares: dict[tuple[str, date], PastCare] = {}  # shared by the histories
        # the codes some act cannot be combined with: their care counts for later lines
        acts = (self.index.act(code) for code in self.index.codes())
        self.named: frozenset[str] = frozenset(
            other for act in acts if act is not None for other in act.not_combinable_with
        )
        if history:
            self._load_history()

    # ------------------------------------------------------------------ look-ups
    def day(self, text: str, what: str) -> date:
        """A date cell (cached: a file holds few distinct dates)."""
        found = self.dates.get(text)
        if found is None:
            found = parse_date(text, what=what)
            _bounded(self.dates)[text] = found
        return found

    def act(self, code: str) -> Any:
        """The act of *code*, or None when the nomenclature does not know it."""
        if code in self.acts:
            return self.acts[code]
        try:
            act = self.index.act(code)
        except NotFound:
            act = None
        _bounded(self.acts)[code] = act
        return act

    def provider(self, nihii: str, on: date, at: time | None) -> Any:
        """The provider's facts on the date (None: not in the register). The time of day
        only matters to a partially conventioned provider (inside a declared block?), so
        the others are cached per stretch of dates between two of the register's change
        dates (``change_dates``): a provider bills runs of lines on many dates, and each
        new date resolved the facts again. The facts kept name the stretch's first date
        billed (``ProviderFacts.on``): the audit reads none of the dated fields."""
        bounds = self.provider_dates.get(nihii)
        if bounds is None:
            try:
                bounds = self.providers.change_dates(nihii)
            except NotFound:
                bounds = ()
            _bounded(self.provider_dates)[nihii] = bounds
        key = (nihii, bisect_right(bounds, on), None)
        if key in self.facts:
            found = self.facts[key]
        else:
            try:
                found = self.providers.facts(nihii, on, None)
            except NotFound:
                found = None
            _bounded(self.facts)[key] = found
        if found is None or at is None or found.convention_status != "partially":
            return found
        timed = (nihii, on, at)
        if timed not in self.facts:
            _bounded(self.facts)[timed] = self.providers.facts(nihii, on, at)
        return self.facts[timed]

    def code_attest_rules(self, code: str, article: str) -> tuple[Any, ...]:
        """The shipped rules that speak about the code at any date (most codes: none)."""
        rules = self.code_rules.get((code, article))
        if rules is None:
            rules = tuple(r for r in self.attest_rules if r.covers(code, article or None,
                                                                  r.valid_from))  # fmt: skip
            _bounded(self.code_rules)[(code, article)] = rules
        return rules

    def may_attest(self, code: str, facts: Any, on: date, article: str) -> bool | None:
        """``domain.providers.may_attest`` over the shipped rules that speak about the code
        at any date (most codes have none: the answer is then None at once)."""
        rules = self.code_attest_rules(code, article)
        if not rules:
            return None
        who = Attester(facts.profession, facts.qualification, facts.accredited)
        return rule_may_attest(code, who, on, rules=rules, article=article or None)

    def needs_prescriber(self, category: str, on: date) -> bool:
        """Whether an act of *category* needs a prescriber on *on* (cached)."""
        key = (category, on)
        found = self.prescriber_needed.get(key)
        if found is None:
            found = needs_prescriber(category, on, self.prescribed)
            _bounded(self.prescriber_needed)[key] = found
        return found

    def person(self, niss: str, on: date) -> tuple[Any, int | None] | None:
        """(coverage, age) of a person on a date; None for a person not in the register.

        The coverage is kept per person with the days on which it stays the same
        (``Register.coverage_span``): a person billed again on such a day (four lines in
        five of the bench's file) costs a look-up, where ``coverage_on`` cost a sixth of
        the per-line work. (The age is not kept so: birthdays would cut the days kept to
        a year at most, and its computation costs little.) At most one answer per person
        of the register, and ``CACHE_LIMIT`` unknown NISS; an insured person's answer is
        kept as one of a few shared ones (``_shared``), so a person costs a small tuple
        and the memory stays flat as the file names more of the register."""
        known = self.persons.get(niss)
        if known is None or known[2] > on or (known[3] is not None and on >= known[3]):
            found = self.register.coverage_span(niss, on)
            if found is None:
                known = (None, None, date.min, None)
            else:
                birth, _death, coverage, start, end = found
                known = (self._shared(coverage), birth, start, end)
            _bounded(self.persons, self.person_limit)[niss] = known
        cov, birth = known[0], known[1]
        if cov is None:
            return None
        return cov, (age_on(birth, on) if birth is not None and birth <= on else None)

    def _shared(self, cov: Any) -> Any:
        """*cov* as the audit reads it (``_audit._Auditor.case``): of an insured person,
        the profile alone, one object per distinct profile (their reason names their own
        affiliation, which changes no answer: the answer cache leaves it out too); of a
        person who is not insured, the whole answer (the reason is the finding's)."""
        if not cov.insured:
            return cov
        slim = cov._replace(reason="", affiliation=None, dmg_gp="")
        return self.coverages.setdefault(slim, slim)

    def tariff_period(self, code: str, on: date) -> tuple[object, Any]:
        """(period, tariff in force): the tariff view is one per stored period with a stored
        fee (as the reimbursement batch keeps them), *period* names it (the stored record,
        or the record and the date for a fee derived from key letters on the date)."""
        stored = self.index.record_on(code, on)
        if stored is None:
            return None, None
        key = id(stored)  # the index keeps the record alive for the whole audit
        if stored.fee is None:  # derived from key letters on the date
            return (key, on), self.index.tariff_on(code, on)
        view = self.views.get(key)
        if view is None:
            view = _bounded(self.views)[key] = self.index.tariff_on(code, on)
        return key, view

    def epoch(self, on: date) -> int:
        """``domain.reimbursement.rule_epoch`` of a date (cached)."""
        found = self.epochs.get(on)
        if found is None:
            found = _bounded(self.epochs)[on] = rule_epoch(on)
        return found

    # ------------------------------------------------------------------ history
    def history_relevant(self, act: Any) -> bool:
        """Records of this act can change a later answer: frequency, prerequisite, dental
        (the previous-year rule), an act with pairs it cannot be combined with, and an act
        that another names in such a pair (the reimbursement batch misses the last ones)."""
        return bool(
            act.max_per_period is not None
            or act.prerequisite
            or act.not_combinable_with
            or act.category == "dental"
            or act.code in self.named
        )

    def _load_history(self) -> None:
        relevant = or_(
            col(ActRow.max_per_period).is_not(None),
            col(ActRow.prerequisite).is_not(None),
            col(ActRow.not_combinable_with) != "",
            col(ActRow.category) == "dental",
            col(ActRow.code).in_(sorted(self.named)),
        )
        query = (
            select(col(CareRecord.niss), col(CareRecord.code), col(CareRecord.care_date))
            .join(ActRow, col(ActRow.code) == col(CareRecord.code))
            .where(relevant)
            .execution_options(yield_per=10_000)
        )
        for niss, code, care_date in self.session.execute(query):
            act = self.act(code)
            if act is not None:
                self.add_history(niss, act, care_date)

    def add_history(self, niss: str, act: Any, on: date) -> None:
        """Count a care of *act* on *on* for the person's later lines. The care is one
        shared (immutable) ``PastCare`` per (code, date), so that a person's history costs
        a list slot per care, not an object (the history is the one part of an audit that
        grows with the lines)."""
        if self.history_relevant(act):
            key = (act.code, on)
            care = self.cares.get(key)
            if care is None:
                care = PastCare(act.code, on, act.category, tuple(act.not_combinable_with))
                _bounded(self.cares)[key] = care
            self.history.setdefault(niss, []).append(care)


# Roles of the shipped qualification table (inami_cli/data/qualifications.csv) whose codes
# are one qualification for the peer comparison: a recognised GP is 003 or 004 (providers.md
# §7.2: which one means accredited is not settled), a GP in training 005 or 006.
_ROLE_GROUPS = frozenset({"gp", "gp_training"})


def peer_group(facts: Any, qualification: str | None) -> str:
    """The peer group of a provider for the profile comparison: profession and
    qualification code, or the role for the GP roles; ``unknown`` outside the register."""
    if facts is None:
        return "unknown"
    role = facts.qualification_role
    code = role if role in _ROLE_GROUPS else (facts.qualification or qualification or "---")
    return f"{facts.profession} {code}"


def _engine_status(facts: Any) -> str:
    """The convention status the engine speaks of, on the date and at the time billed.

    A partially conventioned provider may deviate only inside a declared block (providers.md
    §7.1 rows 4-5): outside one, the agreed fees bind as for a conventioned provider. Without
    an agreement in force, nothing binds the fees.
    """
    status = facts.convention_status
    if status is None:
        return "non-conventioned"
    if status == "partially" and facts.in_declared_block is False:
        return "conventioned"
    return str(status)


def _provider_terms(facts: Any, qualification: str | None) -> tuple[str, str]:
    """(engine status, peer group) of a provider's facts (None: not in the register)."""
    status = "conventioned" if facts is None else _engine_status(facts)
    return status, peer_group(facts, qualification)


def parse_clock(text: str) -> time | None:
    """A time cell (``HH:MM``, or an hour) or None when empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")
    except ValueError:
        raise InvalidInput(f"time {value!r}: not a time of day (HH:MM)") from None
