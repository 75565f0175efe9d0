"""What `inami db check` is made of: the shape of a consistency check and shared helpers.

Each feature package exposes its own checks as ``CHECKS`` (a tuple of `Check`) in its
public face; `services.dbadmin` collects them. This module sits below the features so that
no feature imports the database-admin use case (which would bring back an import circle).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise

from sqlmodel import Session

from inami_cli.domain.dates import OPEN_END

Check = Callable[[Session], Iterable[str]]
"""A consistency check: one line per problem found, nothing when all is well."""


def overlaps(
    label: str, rows: Iterable[tuple[str, date, date | None, int | None]]
) -> Iterable[str]:
    """Problems for periods of one key that overlap (rows: key, from, to, id)."""
    by_key: dict[str, list[tuple[date, date | None, int]]] = defaultdict(list)
    for key, start, end, ident in rows:
        by_key[key].append((start, end, ident or 0))
    for key, periods in by_key.items():
        periods.sort(key=lambda p: (p[0], p[1] or OPEN_END, p[2]))  # two open ends compare
        for (s1, e1, i1), (s2, e2, i2) in pairwise(periods):
            if (e1 or OPEN_END) >= s2:
                yield (
                    f"{label} {key}: period {s1}..{e1 or ''} (#{i1}) overlaps "
                    f"{s2}..{e2 or ''} (#{i2})"
                )
