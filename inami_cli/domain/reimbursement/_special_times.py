"""When a patient's "special requirement" lets a conventioned doctor ask a supplement: the
moment of care (issue 14).

The requirements are data (``inami_cli/data/special_requirements.csv``); some hold only at
certain moments. CM, bijzondere eisen van patiënten [MUT] (providers.md §7.1 row 6):

- GP: a consultation at the patient's explicit request **after 21:00 or on Saturday,
  Sunday or a holiday**;
- specialist: a consultation at the patient's request **after 21:00 or at the weekend**.

A row states its moment in three columns: ``days`` (``sat``, ``sun``, ``holiday``: any
time of those days), ``from_time`` and ``to_time`` (a window on the other days; an empty
``to_time`` runs to midnight, a ``to_time`` before ``from_time`` runs over midnight). A row
with none of them holds at any moment (the source gives no hour: a non-urgent visit outside
the round, a long journey, a single room, a home call).

The night is the nomenclature's: the GP visit codes define it as 21:00 to 08:00 (NomenSoft
106735, "tussen 21 en 8 uur", https://webappsa.riziv-inami.fgov.be/Nomen/nl/106735/authority/1
[OFF]); the shipped table reads the off-duty call's night and "after 21:00" that way (the
latter [DERIVED]: the CM page says only "after 21:00").

Holidays are the ten legal holidays of the royal decree of 18 April 1974 executing the law
of 4 January 1974 (FPS Employment, regulation public holidays:
https://employment.belgium.be/en/regulation-public-holidays ; "dix jours fériés ... dont
le 1 mai et le jour de l'Ascension", AR 3/6/2007: http://wordscope.be/neerlandais/francais/derhalve+niet+correct.html):
New Year's Day, Easter Monday, 1 May, Ascension Day, Whit Monday, 21 July, 15 August,
1 November, 11 November, Christmas Day. (A replacement day an employer grants when a
holiday falls on a Sunday is not a holiday of the patient: not counted.)
"""

from __future__ import annotations

import functools
from datetime import date, time, timedelta

from inami_cli.domain.errors import InvalidInput

DAY_TAGS = ("sat", "sun", "holiday")
_DAY_WORDS = {"sat": "Saturday", "sun": "Sunday", "holiday": "a legal holiday"}


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar; the anonymous Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@functools.cache
def legal_holidays(year: int) -> frozenset[date]:
    """The ten legal holidays of *year* (AR 18/4/1974, see the module)."""
    easter = _easter(year)
    fixed = ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(50))
    return frozenset((*(date(year, m, d) for m, d in fixed), *moving))


def parse_days(text: str, *, where: str) -> tuple[str, ...]:
    """``sat sun holiday`` (spaces, commas or ``|``) as day tags; InvalidInput otherwise."""
    tags = tuple(t for t in text.replace(",", " ").replace("|", " ").lower().split() if t)
    unknown = [t for t in tags if t not in DAY_TAGS]
    if unknown:
        raise InvalidInput(f"{where}: days {unknown[0]!r}: expected {', '.join(DAY_TAGS)}")
    return tags


def describe_moment(days: tuple[str, ...], start: time | None, end: time | None) -> str:
    """The moment a requirement holds, in words ("" when any moment)."""
    parts: list[str] = []
    if start is not None:
        hours = f"after {start.strftime('%H:%M')}"
        if end is not None:
            hours = f"between {start.strftime('%H:%M')} and {end.strftime('%H:%M')}"
        parts.append(hours)
    if days:
        words = [_DAY_WORDS[d] for d in days]
        on = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
        parts.append(f"on {on}")
    return " or ".join(parts)


def timing_verdict(
    days: tuple[str, ...], start: time | None, end: time | None, on: date, at: time | None
) -> bool | None:
    """Whether a requirement with this moment holds at *on*/*at*: True, False, or None when
    it depends on the hour and no time of care was given."""
    if not days and start is None:
        return True
    if days:
        if ("sat" in days and on.weekday() == 5) or ("sun" in days and on.weekday() == 6):
            return True
        if "holiday" in days and on in legal_holidays(on.year):
            return True
    if start is None:
        return False
    if at is None:
        return None
    if end is None:
        return at >= start
    if end > start:
        return start <= at < end
    return at >= start or at < end  # over midnight
