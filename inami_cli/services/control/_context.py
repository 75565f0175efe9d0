"""What an audit loads once (the nomenclature index, the register of insured persons, the
provider register, the recorded care a rule can read, the shipped prescribed-acts table)
and the look-ups it makes per line, cached so that memory stays flat."""

from __future__ import annotations

import functools
from datetime import date, time
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act as ActRow
from inami_cli.db.models import CareRecord
from inami_cli.domain.control import PrescribedRule, needs_prescriber
from inami_cli.domain.dates import age_on, parse_date
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.reimbursement import PastCare
from inami_cli.tabular import Columns, open_binary, read_table

CACHE_LIMIT = 20_000  # entries per cache; cleared when reached (flat memory)
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


def _bounded(cache: dict[Any, Any]) -> dict[Any, Any]:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    return cache


class AuditContext:
    """Reference data loaded once for an audit, and its per-line look-ups."""

    def __init__(self, *, session: Session, history: bool = True) -> None:
        from inami_cli.services import insurability, nomenclature, providers

        self.session = session
        self.index = nomenclature.load_reference(session=session)
        self.register = insurability.load_register(session=session)
        self.providers = providers.load_provider_register(session=session)
        self.prescribed = prescribed_rules()
        self.acts: dict[str, Any] = {}
        self.dates: dict[str, date] = {}
        self.facts: dict[tuple[str, date, time | None], Any] = {}
        self.people: dict[tuple[str, date], Any] = {}
        self.attest: dict[tuple[str, str, str | None, bool, date], bool | None] = {}
        self.prescriber_needed: dict[tuple[str, date], bool] = {}
        self.history: dict[str, list[PastCare]] = {}
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
        """The provider's facts on the date (None: not in the register)."""
        key = (nihii, on, at)
        if key in self.facts:
            return self.facts[key]
        try:
            found = self.providers.facts(nihii, on, at)
        except NotFound:
            found = None
        _bounded(self.facts)[key] = found
        return found

    def may_attest(self, code: str, facts: Any, on: date, article: str) -> bool | None:
        """``services.providers.may_attest`` for the provider's facts (cached)."""
        from inami_cli.services import providers

        key = (code, facts.profession, facts.qualification, facts.accredited, on)
        if key in self.attest:
            return self.attest[key]
        answer = providers.may_attest(
            code, providers.attester_of(facts), on, article=article or None
        )
        _bounded(self.attest)[key] = answer
        return answer

    def needs_prescriber(self, category: str, on: date) -> bool:
        """Whether an act of *category* needs a prescriber on *on* (cached)."""
        key = (category, on)
        found = self.prescriber_needed.get(key)
        if found is None:
            found = needs_prescriber(category, on, self.prescribed)
            _bounded(self.prescriber_needed)[key] = found
        return found

    def person(self, niss: str, on: date) -> tuple[Any, int | None] | None:
        """(coverage, age) of a person on a date; None for a person not in the register."""
        key = (niss, on)
        if key in self.people:
            return self.people[key]  # type: ignore[no-any-return]
        found = self.register.coverage(niss, on)
        answer: tuple[Any, int | None] | None = None
        if found is not None:
            birth, _death, cov = found
            age = age_on(birth, on) if birth is not None and birth <= on else None
            answer = (cov, age)
        _bounded(self.people)[key] = answer
        return answer

    # ------------------------------------------------------------------ history
    @staticmethod
    def history_relevant(act: Any) -> bool:
        """Records of this act can change a later answer (frequency, prerequisite,
        combination): the same test as the reimbursement batch's."""
        return bool(
            act.max_per_period is not None
            or act.prerequisite
            or act.not_combinable_with
            or act.category == "dental"
        )

    def _load_history(self) -> None:
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
        for niss, code, care_date in self.session.execute(query):
            act = self.act(code)
            if act is not None:
                self.add_history(niss, act, care_date)

    def add_history(self, niss: str, act: Any, on: date) -> None:
        """Count a care of *act* on *on* for the person's later lines."""
        if self.history_relevant(act):
            self.history.setdefault(niss, []).append(
                PastCare(act.code, on, act.category, tuple(act.not_combinable_with))
            )


def parse_clock(text: str) -> time | None:
    """A time cell (``HH:MM``, or an hour) or None when empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")
    except ValueError:
        raise InvalidInput(f"time {value!r}: not a time of day (HH:MM)") from None
