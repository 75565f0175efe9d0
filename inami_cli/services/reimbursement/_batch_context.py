"""What a batch loads once: the nomenclature index and the recorded history a rule can
read; what it reads per chunk: the register's rows of the chunk's persons
(``insurability.BatchPeople``); and the caches of its answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act as ActRow
from inami_cli.db.models import CareRecord
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import NotFound
from inami_cli.domain.nomenclature import rules_on
from inami_cli.domain.reimbursement import PastCare
from inami_cli.domain.tariffs import TariffView
from inami_cli.services.memo import Generations
from inami_cli.services.reimbursement._batch_render import _Cached

# Entries; cleared when reached, so memory stays flat. Small on purpose: a batch whose
# rows repeat hits within a few thousand entries, and one whose rows do not (every
# answer new) would otherwise only grow the heap (peak RSS at a million rows).
CACHE_LIMIT = 20_000
PEOPLE_LIMIT = 20_000  # persons whose register rows are kept (the same reason)


class _BatchContext:
    """Reference data loaded once for a batch, and the answer cache."""

    def __init__(self, *, session: Session, record: bool, language: str) -> None:
        from inami_cli.services import nomenclature

        self.session = session
        self.index = nomenclature.load_reference(session=session)
        from inami_cli.services import insurability

        # made here, in the batch's own process: forked workers then know they are not it
        self._people = insurability.BatchPeople(session, PEOPLE_LIMIT)
        self.language = language
        self.record = record
        self.cache: dict[tuple[Any, ...], _Cached] = {}
        self.dates: dict[str, tuple[date, int, str]] = {}
        self.views: Generations[tuple[int, str], tuple[TariffView | None, tuple[int, ...]]]
        self.views = Generations(CACHE_LIMIT // 2)  # bounded: flat memory on any mix
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
        self, niss: str, on: date, day: str
    ) -> tuple[bool, str, str, bool, bool, bool, int | None, bool]:
        """(insured, reason, regime, bim_automatic, dmg, chronic, age, third_party) from the
        register on *on* (*day*: its ISO text); the reason is "" for an insured person."""
        return self._people.person(niss, on, day)

    def prefetch(self, wanted: set[str]) -> None:
        """Read the register's rows of the persons of a chunk (the NISS in *wanted* not
        already known) in a few queries, instead of loading the whole register."""
        self._people.read(wanted)

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
