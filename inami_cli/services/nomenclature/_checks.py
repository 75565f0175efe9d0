"""This feature's part of ``inami db check``: overlapping periods, fees against key terms."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.domain.nomenclature import fee_from_terms, format_key_terms, value_on
from inami_cli.services.consistency import Check, overlaps
from inami_cli.services.nomenclature._store import load_key_values, load_tariffs, load_terms
from inami_cli.services.nomenclature._tables import TARIFF, VALUE


def _check_fees_against_terms(session: Session) -> Iterable[str]:
    """An explicit fee that disagrees with the act's key-letter terms on its start date."""
    terms = load_terms(session)
    if not terms:
        return
    values = load_key_values(session)
    for code, stored in load_tariffs(session, codes=list(terms)).items():
        for s in stored:
            if s.fee is None:
                continue
            found: dict[str, Decimal] = {}
            for term in terms[code]:
                v = value_on(values.get(term.index_code, ()), s.valid_from)
                if v is not None:
                    found[term.index_code] = v
            if len(found) < len(terms[code]):
                continue
            derived = fee_from_terms(terms[code], found, code=code)
            if derived != s.fee:
                yield (
                    f"tariff {code} from {s.valid_from}: fee {s.fee} disagrees with its key "
                    f"terms {format_key_terms(terms[code])} = {derived}"
                )


def _check_periods(session: Session) -> Iterable[str]:
    """Current tariff periods of a code, or values of a key-letter index, that overlap."""
    t, k = TARIFF.c, VALUE.c
    yield from overlaps(
        "tariff",
        session.execute(
            select(t.code, t.valid_from, t.valid_to, t.id).where(t.superseded_at.is_(None))
        ),
    )
    yield from overlaps(
        "key-letter value",
        session.execute(select(k.index_code, k.valid_from, k.valid_to, k.id)),
    )


CHECKS: tuple[Check, ...] = (_check_periods, _check_fees_against_terms)
"""This feature's part of `inami db check`."""
