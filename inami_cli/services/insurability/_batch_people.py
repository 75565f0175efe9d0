"""The persons a chunk of ``reimburse batch`` lines names, answered straight from the
register's rows (issue 19), as ``_batch_rows`` answers ``insured batch``.

A chunk names some thousands of persons, most of them once or twice: building each
one's period tuples, ``date`` objects and cut dates (the stretches between them), then
``coverage_on``'s ``Coverage`` and its reason, cost about a third of the batch's CPU.
The rows are kept as the driver returns them (``chunk_rows``: only the columns the
answer reads) and compared as ISO text (``IsoDates``).

``answer`` restates ``domain.insurability.coverage_on`` for the common answer (an
affiliation in force on a day the person was alive); every other answer is
``coverage_on``'s own, and tests/services/test_reimburse_batch_people.py compares both on
random registers.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlmodel import Session

from inami_cli.domain.dates import age_on
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.insurability import (
    ORDINARY,
    PREFERENTIAL,
    AffiliationPeriod,
    EntitlementPeriod,
    coverage_on,
)
from inami_cli.services.bulkio import SharedDates
from inami_cli.services.insurability._batch_rows import IsoDates, chunk_rows
from inami_cli.services.insurability._common import _AFF, _ENT, _PER
from inami_cli.services.insurability._register import RegisterLookup, _raw, register_statements

# (insured, reason, regime, bim_automatic, dmg, chronic, age, third_party)
Person = tuple[bool, str, str, bool, bool, bool, int | None, bool]


def _statements(size: int | None) -> tuple[Any, Any]:
    """The two SELECTs of ``BatchPeople.read``: the columns ``answer`` reads."""
    a, e = _AFF, _ENT
    return register_statements(
        size,
        (
            _PER.niss, _raw(_PER.birth_date), _raw(_PER.death_date), a.insurer_code, a.quality,
            a.titular_niss, a.ct1, _raw(a.valid_from), _raw(a.valid_to),
        ),
        (e.niss, e.kind, _raw(e.valid_from), _raw(e.valid_to), e.detail),
    )  # fmt: skip


def answer(
    rows: list[Any], rights: list[Any] | None, on: date, day: str, iso: IsoDates, days: SharedDates
) -> tuple[bool, str, str, bool, bool, bool, bool]:
    """(insured, reason, regime, bim_automatic, dmg, chronic, third_party) of the person
    of *rows* (``niss, birth_date, death_date, insurer_code, quality, titular_niss, ct1,
    valid_from, valid_to``; the affiliation's columns None for a person without one) and
    *rights* (``niss, kind, valid_from, valid_to, detail``) on *on* (*day*: its ISO text).

    The reason is the one of a person who is not insured, "" for an insured one: the
    batch reads it only to refuse (its answer cache leaves it out for the insured).
    The rules of ``coverage_on`` for an insured person: an affiliation contains the day
    (its end inclusive or open), the day is not after the death; entitlements in force
    the same way (the last ``bim`` in force says whether it is automatic).
    """
    death = rows[0][2]
    if death is None or day <= iso[death]:
        for row in rows:
            start, end = row[7], row[8]
            if start is not None and iso[start] <= day and (end is None or day <= iso[end]):
                bim = automatic = dmg = chronic = third_party = False
                for _, kind, since, until, detail in rights or ():
                    if iso[since] <= day and (until is None or day <= iso[until]):
                        if kind == "bim":
                            bim = True
                            automatic = detail == "automatic"
                        elif kind == "dmg":
                            dmg = True
                        elif kind == "chronic":
                            chronic = True
                        elif kind == "third_party":
                            third_party = True
                regime = PREFERENTIAL if bim or row[6][-1:] == "1" else ORDINARY
                return True, "", regime, automatic, dmg, chronic, third_party
    affiliations, entitlements = periods(rows, rights, days)
    cov = coverage_on(affiliations, entitlements, on, death_date=days[death])
    reason = "" if cov.insured else cov.reason
    return (cov.insured, reason, cov.regime, cov.bim_automatic, cov.dmg, cov.chronic,
            cov.third_party)  # fmt: skip


def periods(
    rows: list[Any], rights: list[Any] | None, days: SharedDates
) -> tuple[list[AffiliationPeriod], list[EntitlementPeriod]]:
    """``coverage_on``'s periods from the person's rows (the member number and CT2, which
    no answer of the batch reads, left empty)."""
    affiliations = [
        AffiliationPeriod(code, "", quality, titular, ct1, "", days[start], days[end])
        for _, _, _, code, quality, titular, ct1, start, end in rows
        if code is not None
    ]
    entitlements = [
        EntitlementPeriod(kind, days[start], days[end], detail)
        for _, kind, start, end, detail in rights or ()
    ]
    return affiliations, entitlements


class BatchPeople:
    """The register's rows of the persons of a batch's chunks, and their answers.

    Rows are kept between chunks for at most *limit* persons, then forgotten before a
    chunk (never within one): memory stays flat whatever the file's size.
    """

    def __init__(self, session: Session, limit: int) -> None:
        # made in the batch's own process: forked workers then know they are not it
        self.lookup = RegisterLookup(session)
        self.limit = limit
        self.persons: dict[str, list[Any]] = {}
        self.rights: dict[str, list[Any]] = {}
        self.absent: set[str] = set()  # asked for and not in the register
        self.iso = IsoDates()
        self.days = SharedDates()

    def read(self, wanted: Collection[str]) -> None:
        """Read the rows of the persons among *wanted* not already known, in a few queries
        (the known ones forgotten first when they would pass the limit)."""
        missing = set(wanted).difference(self.persons, self.absent)
        if len(self.persons) + len(self.absent) + len(missing) > self.limit:
            self.persons.clear()
            self.rights.clear()
            self.absent.clear()
            missing = set(wanted)
        if len(self.iso) > 100_000:  # distinct dates are few; bound them all the same
            self.iso, self.days = IsoDates(), SharedDates()
        self._fetch(missing)

    def _fetch(self, missing: set[str]) -> None:
        """Read the rows of the *missing* NISS; remember those the register lacks, so that
        a chunk's lines naming an unknown person do not read it again line by line."""
        if missing:
            with self.lookup.connection() as connection:
                found = chunk_rows(connection, missing, _statements)
            self.persons.update(found.persons)
            self.rights.update(found.rights)
            self.absent.update(missing.difference(found.persons))

    def person(self, niss: str, on: date, day: str) -> Person:
        """(insured, reason, regime, bim_automatic, dmg, chronic, age, third_party) of the
        person on *on* (*day*: its ISO text), from the register; InvalidInput for a NISS
        that is not one, NotFound for a person the register does not hold."""
        rows = self.persons.get(niss)
        if rows is None:
            if niss not in self.absent:  # not read with its chunk: read it alone
                self._fetch({niss})
                rows = self.persons.get(niss)
            if rows is None:
                from inami_cli.domain.niss import niss_problem

                problem = niss_problem(niss)
                if problem:
                    raise InvalidInput(problem)
                raise NotFound(f"no person with NISS {niss} in the register")
        insured, reason, regime, automatic, dmg, chronic, third_party = answer(
            rows, self.rights.get(niss), on, day, self.iso, self.days
        )
        birth = self.days[rows[0][1]]
        age = age_on(birth, on) if birth is not None and birth <= on else None
        return insured, reason, regime, automatic, dmg, chronic, age, third_party
