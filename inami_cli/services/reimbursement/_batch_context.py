"""What a batch loads once: the nomenclature index and the recorded history a rule can
read; what it reads per chunk: the register's records of the chunk's persons (kept as
stretches of time per person); and the caches of its answers."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act as ActRow
from inami_cli.db.models import CareRecord
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.dates import age_on, parse_date
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.insurability import coverage_on
from inami_cli.domain.nomenclature import rules_on
from inami_cli.domain.reimbursement import PastCare
from inami_cli.domain.tariffs import TariffView
from inami_cli.services.memo import Generations
from inami_cli.services.reimbursement._batch_render import _Cached

# Entries; cleared when reached, so memory stays flat. Small on purpose: a batch whose
# rows repeat hits within a few thousand entries, and one whose rows do not (every
# answer new) would otherwise only grow the heap (peak RSS at a million rows).
CACHE_LIMIT = 20_000
PEOPLE_LIMIT = 20_000  # persons whose register stretches are kept (the same reason)


class _BatchContext:
    """Reference data loaded once for a batch, and the answer cache."""

    def __init__(self, *, session: Session, record: bool, language: str) -> None:
        from inami_cli.services import nomenclature

        self.session = session
        self.index = nomenclature.load_reference(session=session)
        from inami_cli.services import insurability

        # made here, in the batch's own process: forked workers then know they are not it
        self._lookup = insurability.RegisterLookup(session)
        self._records: dict[str, list[Any]] = {}  # the register's records of this chunk
        self.language = language
        self.record = record
        self.cache: dict[tuple[Any, ...], _Cached] = {}
        self.dates: dict[str, tuple[date, int, str]] = {}
        self.views: Generations[tuple[int, str], tuple[TariffView | None, tuple[int, ...]]]
        self.views = Generations(CACHE_LIMIT // 2)  # bounded: flat memory on any mix
        self.people: dict[str, tuple[Any, list[date], dict[int, Any]]] = {}
        self._periods: dict[str, tuple[Any, Any, date | None]] = {}
        self.acts: dict[str, Any] = {}
        self.history: dict[str, list[PastCare]] = {}
        # act rules dated like tariffs, by code (few codes have any)
        self.act_rules = nomenclature.load_act_rules(session=session)
        self._load_history(session)
        self._houses: dict[str, list[Any]] | None = None

    def before_fork(self) -> None:
        """What workers share, read once on the parent's connection before they fork."""
        self.load_houses()

    def load_houses(self) -> dict[str, list[Any]]:
        """The medical-house enrolments of every person (few rows), read once."""
        if self._houses is None:
            from inami_cli.services import insurability

            self._houses = insurability.load_medical_houses(session=self.session)
        return self._houses

    def medical_house(self, niss: str, on: date) -> tuple[str, tuple[str, ...]]:
        """(house, covered disciplines) of the person's enrolment on *on*, or ("", ())."""
        enrolments = self.load_houses().get(niss)
        if not enrolments:
            return "", ()
        for enrolment in enrolments:
            if enrolment.in_force(on):
                return enrolment.house, enrolment.disciplines
        return "", ()

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

    def act_on(self, code: str, on: date) -> Any:
        """The act of *code* with the rules in force on *on* (dated act rules)."""
        act = self.act(code)
        if code not in self.act_rules:
            return act
        return rules_on(act, self.act_rules, on)

    def person(
        self, niss: str, on: date
    ) -> tuple[bool, str, str, bool, bool, bool, int | None, bool]:
        """(insured, reason, regime, bim_automatic, dmg, chronic, age, third_party) from the
        register.

        The answer only changes where one of the person's periods starts or ends, so it
        is computed once per stretch between those dates and per person.
        """
        entry = self.people.get(niss)
        if entry is None:
            entry = self._person_entry(niss)
            self.people[niss] = entry
        birth, bounds, stretches = entry
        index = bisect_right(bounds, on)
        found = stretches.get(index)
        if found is None:
            affs, ents, death = self._periods[niss]
            cov = coverage_on(affs, ents, on, death_date=death)
            found = (cov.insured, cov.reason or "", cov.regime, cov.bim_automatic, cov.dmg,
                     cov.chronic, cov.third_party)  # fmt: skip
            stretches[index] = found
        age = age_on(birth, on) if birth is not None and birth <= on else None
        *head, third_party = found
        return (*head, age, third_party)

    def prefetch(self, wanted: set[str]) -> None:
        """Read the register's records of the persons of a chunk (the NISS in *wanted*
        not already known) in a few queries, instead of loading the whole register."""
        missing = wanted.difference(self.people)
        if len(self.people) + len(missing) > PEOPLE_LIMIT:
            # forgotten between chunks, never within one (like the answer cache: flat
            # memory): a person forgotten within a chunk would be read again alone
            self.people.clear()
            self._periods.clear()
            missing = wanted
        self._records = self._lookup(missing) if missing else {}

    def _person_entry(self, niss: str) -> tuple[Any, list[date], dict[int, Any]]:
        record = self._records.get(niss)
        if record is None:  # not prefetched (a person forgotten since): read it alone
            record = self._lookup((niss,)).get(niss)
        if record is None:
            from inami_cli.domain.niss import niss_problem

            problem = niss_problem(niss)
            if problem:
                raise InvalidInput(problem)
            raise NotFound(f"no person with NISS {niss} in the register")
        birth, death, affs, ents = record
        cuts: set[date] = set()
        for period in (*affs, *ents):
            cuts.add(period.valid_from)
            if period.valid_to is not None:
                cuts.add(period.valid_to + timedelta(days=1))
        if death is not None:
            cuts.add(death + timedelta(days=1))
        self._periods[niss] = (affs, ents, death)
        return birth, sorted(cuts), {}

    def tariff(self, act: Any, on: date) -> tuple[TariffView | None, tuple[int, ...]]:
        """The tariff of *act* in force on *on* and its age cuts (``rules.age_cuts``): one
        ``TariffView`` per stored period with a stored fee, remembered with its cuts."""
        stored = self.index.record_on(act.code, on)
        if stored is None:
            return None, rules.age_cuts(act, None)
        if stored.fee is None:  # derived from key letters on the date
            view: TariffView | None = self.index.tariff_on(act.code, on)
            return view, rules.age_cuts(act, view)
        # the index keeps the record alive for the whole batch: its id is not reused
        key = (id(stored), act.category)
        found = self.views.get(key)
        if found is None:
            view = self.index.tariff_on(act.code, on)
            found = (view, rules.age_cuts(act, view))
            self.views.put(key, found)
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
            col(ActRow.code).in_(sorted(self.act_rules)),
        )
        query = (
            select(
                col(CareRecord.niss),
                col(CareRecord.code),
                col(CareRecord.care_date),
                col(CareRecord.referral_reduced),
            )
            .join(ActRow, col(ActRow.code) == col(CareRecord.code))
            .where(or_(relevant, col(CareRecord.referral_reduced).is_(True)))
            .execution_options(yield_per=10_000)
        )
        for niss, code, care_date, reduced in session.execute(query):
            self.add_history(niss, code, care_date, bool(reduced))

    def add_history(self, niss: str, code: str, care_date: date, reduced: bool = False) -> None:
        """Keep a recorded case that a later rule reads (a referral reduction counts once
        a year per specialty)."""
        act = self.act(code)
        if self.history_relevant(act) or reduced or code in self.act_rules:
            self.history.setdefault(niss, []).append(
                PastCare(code, care_date, act.category, tuple(act.not_combinable_with), reduced)
            )
