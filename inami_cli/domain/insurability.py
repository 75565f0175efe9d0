"""Insurability: insurers, holder codes (CT1/CT2) and who is covered on a date.

Pure rules (DOMAIN.md section 4). A person has at most one affiliation on any day; a
transfer between insurers closes one period and opens the next the following day. The
preferential regime (BIM / VT) comes from a ``bim`` entitlement in force or from a CT1
ending in 1 (``131/131`` a BIM pensioner; hl7-be/mycarenet BeCSHolderCode1).

Periods are NamedTuples rather than dataclasses on purpose: the batch register holds a
million of them in memory and builds them at load time, where a tuple is both the smallest
and the fastest immutable record Python has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from inami_cli.domain.dates import day_after, stretch
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.values import is_digits

# ------------------------------------------------------------------ reference data


@dataclass(frozen=True, slots=True)
class InsurerInfo:
    """An organisme assureur / verzekeringsinstelling."""

    code: str
    name_fr: str
    name_nl: str
    short_name: str


# DOMAIN.md section 4; Dutch names of 600 and 900 from INAMI, "Aansluiten bij een
# ziekenfonds" (https://www.inami.fgov.be/nl/thema-s/verzorging-kosten-en-terugbetaling/
# verzekerbaarheid/aansluiten-bij-een-ziekenfonds).
INSURERS: dict[str, InsurerInfo] = {
    i.code: i
    for i in (
        InsurerInfo(
            "100",
            "Alliance nationale des mutualités chrétiennes",
            "Landsbond der christelijke mutualiteiten",
            "Mutualité chrétienne / CM",
        ),
        InsurerInfo(
            "200",
            "Union nationale des mutualités neutres",
            "Landsbond van de neutrale ziekenfondsen",
            "Mutualités neutres",
        ),
        InsurerInfo(
            "300",
            "Union nationale des mutualités socialistes",
            "Nationaal Verbond van socialistische mutualiteiten",
            "Solidaris",
        ),
        InsurerInfo(
            "400",
            "Union nationale des mutualités libérales",
            "Landsbond van liberale mutualiteiten",
            "Mutualités libérales",
        ),
        InsurerInfo(
            "500",
            "Union nationale des mutualités libres",
            "Landsbond van de onafhankelijke ziekenfondsen",
            "Mutualités libres",
        ),
        InsurerInfo(
            "600",
            "Caisse auxiliaire d'assurance maladie-invalidité",
            "Hulpkas voor ziekte- en invaliditeitsverzekering",
            "CAAMI / HZIV",
        ),
        InsurerInfo(
            "900",
            "Caisse des soins de santé de HR Rail",
            "Kas der geneeskundige verzorging van HR Rail",
            "HR Rail",
        ),
    )
}

# BeCSHolderCode1 (https://github.com/hl7-be/mycarenet); the last digit is the regime.
CT1_VALUES: frozenset[str] = frozenset((
    "100", "101", "110", "111", "120", "121", "130", "131", "140", "141", "150", "151",
    "410", "411", "420", "421", "430", "431", "440", "441", "450", "451", "470", "480",
))  # fmt: skip

# BeCSHolderCode2, a closed list (https://github.com/hl7-be/mycarenet, CodeSystem
# be-cs-holder-code-2, after securimed.eu "codes d'assurabilité"; rules-audit.md R37).
CT2_VALUES: frozenset[str] = frozenset((
    "000", "100", "101", "110", "111", "114", "120", "121", "130", "131", "140", "141",
    "144", "150", "151", "460", "461", "464", "481", "701", "900", "901", "911",
))  # fmt: skip

QUALITIES = ("titular", "dependent")
ENTITLEMENT_KINDS = ("bim", "dmg", "chronic", "third_party")
BIM_DETAILS = ("", "automatic", "income")
ORDINARY = "ordinary"
PREFERENTIAL = "preferential"


def check_insurer_code(code: str) -> str:
    """The insurer code if it is one of the seven (100 ... 900); InvalidInput otherwise."""
    value = code.strip()
    if value not in INSURERS:
        known = ", ".join(INSURERS)
        raise InvalidInput(f"insurer {code!r}: unknown code (expected one of {known})")
    return value


def check_ct1(ct1: str) -> str:
    """A CT1 holder code from the official list; InvalidInput naming it otherwise."""
    value = ct1.strip()
    if value not in CT1_VALUES:
        raise InvalidInput(f"CT1 {ct1!r}: not a holder code (e.g. 110 ordinary, 131 BIM)")
    return value


def check_ct2(ct2: str) -> str:
    """A CT2 holder code from the official closed list; InvalidInput naming it otherwise."""
    value = ct2.strip()
    if len(value) != 3 or not is_digits(value):
        raise InvalidInput(f"CT2 {ct2!r}: expected three digits (e.g. 110)")
    if value not in CT2_VALUES:
        raise InvalidInput(f"CT2 {ct2!r}: not a holder code (BeCSHolderCode2, e.g. 110, 131)")
    return value


def check_mutuality(mutuality: str | None, insurer_code: str) -> str | None:
    """The member's own mutuality (3 digits, e.g. 319 or 417, which MyCareNet carries as
    ``Mutuality``) or None for an empty cell. Mutualities are numbered within their union's
    hundred (LM Plus 417 in the liberal union 400: nl.wikipedia.org, Liberale Mutualiteit):
    a code outside the insurer's hundred is refused."""
    if mutuality is None or not mutuality.strip():
        return None
    value = mutuality.strip()
    if len(value) != 3 or not value.isdigit():
        raise InvalidInput(f"mutuality {mutuality!r}: expected three digits (e.g. 319, 417)")
    if value[0] != insurer_code[:1]:
        raise InvalidInput(
            f"mutuality {value}: not a mutuality of insurer {insurer_code} "
            f"(expected {insurer_code[:1]}xx)"
        )
    return value


def regime_from_ct1(ct1: str) -> str:
    """``preferential`` when the CT1 ends in 1 (BIM), ``ordinary`` when it ends in 0."""
    return PREFERENTIAL if ct1.endswith("1") else ORDINARY


_QUALITY_ALIASES = {"titulaire": "titular", "titularis": "titular", "pac": "dependent"}


def check_quality(quality: str) -> str:
    """``titular`` or ``dependent`` (personne à charge / persoon ten laste)."""
    if quality in QUALITIES:
        return quality
    value = quality.strip().lower()
    value = _QUALITY_ALIASES.get(value, value)
    if value not in QUALITIES:
        raise InvalidInput(f"quality {quality!r}: expected titular or dependent")
    return value


def check_kind(kind: str) -> str:
    """An entitlement kind: bim, dmg, chronic or third_party (``third-party`` accepted)."""
    value = kind.strip().lower().replace("-", "_")
    if value not in ENTITLEMENT_KINDS:
        raise InvalidInput(
            f"entitlement kind {kind!r}: expected one of bim, dmg, chronic, third_party"
        )
    return value


def check_detail(kind: str, detail: str) -> str:
    """The entitlement detail: the GP's identifier for a DMG, automatic|income for a BIM."""
    value = detail.strip()
    if kind == "dmg" and not value:
        raise InvalidInput("dmg: the detail must name the GP holding the DMG (INAMI number)")
    if kind == "bim" and value not in BIM_DETAILS:
        raise InvalidInput(f"bim detail {detail!r}: expected automatic or income")
    return value


# ------------------------------------------------------------------ periods


class AffiliationPeriod(NamedTuple):
    """One affiliation of a person to an insurer over a period."""

    insurer_code: str
    member_number: str
    quality: str  # titular | dependent
    titular_niss: str | None
    ct1: str
    ct2: str
    valid_from: date
    valid_to: date | None  # inclusive; None = open
    mutuality: str | None = None  # the member's own mutuality (3 digits), if known


class EntitlementPeriod(NamedTuple):
    """A dated right: bim, dmg, chronic or third_party."""

    kind: str
    valid_from: date
    valid_to: date | None
    detail: str = ""


class Coverage(NamedTuple):
    """The answer for one person on one day."""

    insured: bool
    reason: str
    affiliation: AffiliationPeriod | None
    regime: str  # ordinary | preferential
    bim_automatic: bool
    dmg: bool
    dmg_gp: str
    chronic: bool
    third_party: bool


class Segment(NamedTuple):
    """A sub-period of a range, covered by one affiliation or not covered."""

    start: date
    end: date
    covered: bool
    affiliation: AffiliationPeriod | None
    reason: str


def _contains(valid_from: date, valid_to: date | None, on: date) -> bool:
    return valid_from <= on and (valid_to is None or on <= valid_to)


def _describe(aff: AffiliationPeriod) -> str:
    end = aff.valid_to.isoformat() if aff.valid_to else None
    return describe_affiliation(
        aff.insurer_code, aff.quality, aff.titular_niss, aff.valid_from.isoformat(), end
    )


def describe_affiliation(
    insurer_code: str, quality: str, titular_niss: str | None, start: str, end: str | None
) -> str:
    """The reason of an insured answer, from the affiliation's fields and its dates as ISO
    text (``insured batch`` holds them so)."""
    who = f"dependent of {titular_niss}" if quality == "dependent" else "titular"
    until = f" until {end}" if end else ""
    return f"affiliated with {insurer_code} as {who} since {start}{until}"


def not_covered_reason(
    affiliations: Sequence[AffiliationPeriod], on: date, death_date: date | None = None
) -> str:
    """Why nobody covers the person on *on*: deceased, coverage ended, not yet started, none."""
    if death_date is not None and on > death_date:
        return f"deceased on {death_date.isoformat()}"
    ended = [a for a in affiliations if a.valid_to is not None and a.valid_to < on]
    if ended:
        last = max(ended, key=lambda a: a.valid_from)
        assert last.valid_to is not None
        return f"coverage with {last.insurer_code} ended on {last.valid_to.isoformat()}"
    later = [a for a in affiliations if a.valid_from > on]
    if later:
        first = min(later, key=lambda a: a.valid_from)
        return f"coverage with {first.insurer_code} starts on {first.valid_from.isoformat()}"
    return "no affiliation with any insurer"


def coverage_on(
    affiliations: Sequence[AffiliationPeriod],
    entitlements: Iterable[EntitlementPeriod],
    on: date,
    *,
    death_date: date | None = None,
) -> Coverage:
    """Who covers the person on *on*, in which regime, with which entitlements.

    Insured when an affiliation contains the date and the person was alive (the day of
    death is still covered). Regime is preferential with a BIM entitlement in force or a
    CT1 ending in 1. Entitlements are reported even when the person is not insured.
    """
    bim = bim_automatic = dmg = chronic = third_party = False
    dmg_gp = ""
    for ent in entitlements:
        if ent.valid_from <= on and (ent.valid_to is None or on <= ent.valid_to):
            kind = ent.kind
            if kind == "bim":
                bim = True
                bim_automatic = ent.detail == "automatic"
            elif kind == "dmg":
                dmg, dmg_gp = True, ent.detail
            elif kind == "chronic":
                chronic = True
            elif kind == "third_party":
                third_party = True
    current: AffiliationPeriod | None = None
    for aff in affiliations:
        if aff.valid_from <= on and (aff.valid_to is None or on <= aff.valid_to):
            current = aff
            break
    alive = death_date is None or on <= death_date
    if current is not None and alive:
        regime = PREFERENTIAL if bim or current.ct1[-1:] == "1" else ORDINARY
        return Coverage(
            True, _describe(current), current, regime, bim_automatic, dmg, dmg_gp, chronic,
            third_party,
        )  # fmt: skip
    regime = PREFERENTIAL if bim else ORDINARY
    reason = not_covered_reason(affiliations, on, death_date)
    return Coverage(
        False, reason, current if alive else None, regime, bim_automatic, dmg, dmg_gp, chronic,
        third_party,
    )  # fmt: skip


def coverage_span(
    affiliations: Sequence[AffiliationPeriod],
    entitlements: Iterable[EntitlementPeriod],
    on: date,
    *,
    death_date: date | None = None,
) -> tuple[date, date | None]:
    """The days around *on* on which ``coverage_on`` gives the answer it gives on *on*: from
    the first (inclusive) to the second (exclusive; None: every later day).

    The answer reads the day only through whether it is before a period's start, after a
    period's end or after the death: it can change only on a start, on the day after an
    end or on the day after the death. A batch meeting the person again inside the span
    reuses the answer.
    """
    changes = [day_after(death_date)]
    for aff in affiliations:
        changes += (aff.valid_from, day_after(aff.valid_to))
    for ent in entitlements:
        changes += (ent.valid_from, day_after(ent.valid_to))
    return stretch(on, changes)


def coverage_over(
    affiliations: Sequence[AffiliationPeriod],
    start: date,
    end: date,
    *,
    death_date: date | None = None,
) -> list[Segment]:
    """Split ``[start, end]`` into covered sub-periods (one per affiliation) and gaps.

    Consecutive segments touch (no day missing, none twice); an uncovered segment says
    why (as on its first day).
    """
    if end < start:
        raise InvalidInput(f"range ends ({end}) before it starts ({start})")
    last_alive = end if death_date is None else min(end, death_date)
    cuts: list[tuple[date, date, AffiliationPeriod]] = []
    for aff in sorted(affiliations, key=lambda a: a.valid_from):
        lo = max(aff.valid_from, start)
        hi = last_alive if aff.valid_to is None else min(aff.valid_to, last_alive)
        if lo <= hi:
            cuts.append((lo, hi, aff))
    segments: list[Segment] = []
    cursor = start
    for lo, hi, aff in cuts:
        if cursor < lo:
            reason = not_covered_reason(affiliations, cursor, death_date)
            segments.append(Segment(cursor, lo - timedelta(days=1), False, None, reason))
        segments.append(Segment(lo, hi, True, aff, _describe(aff)))
        cursor = hi + timedelta(days=1)
    if cursor <= end:
        reason = not_covered_reason(affiliations, cursor, death_date)
        segments.append(Segment(cursor, end, False, None, reason))
    return segments


# ------------------------------------------------------------------ writes


def check_no_overlap(
    existing: Iterable[tuple[date, date | None]],
    valid_from: date,
    valid_to: date | None,
    *,
    what: str,
) -> None:
    """Conflict (exit 4) naming the existing period that shares a day with the new one."""
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"{what}: period ends ({valid_to}) before it starts ({valid_from})")
    for lo, hi in existing:
        if lo <= (valid_to or date.max) and valid_from <= (hi or date.max):
            shown = f"{lo.isoformat()}..{hi.isoformat() if hi else ''}"
            raise Conflict(
                f"{what} {valid_from.isoformat()}..{valid_to.isoformat() if valid_to else ''} "
                f"overlaps the existing period {shown}"
            )


def check_affiliation(niss: str, quality: str, titular_niss: str | None) -> tuple[str, str | None]:
    """Quality and titular consistent: a dependent names its titular, a titular none."""
    q = check_quality(quality)
    titular = (titular_niss or "").strip() or None
    if q == "dependent":
        if titular is None:
            raise InvalidInput("a dependent must name its titular (--titular NISS)")
        if titular == niss:
            raise InvalidInput(f"{niss}: a dependent cannot be its own titular")
    elif titular is not None:
        raise InvalidInput(f"{niss}: a titular has no titular (got {titular})")
    return q, titular


def transfer_end(current_from: date, on: date) -> date:
    """The last day of the old affiliation when the new one starts on *on* (no gap)."""
    if on <= current_from:
        raise Conflict(
            f"transfer on {on.isoformat()} is not after the current affiliation's start "
            f"({current_from.isoformat()})"
        )
    return on - timedelta(days=1)
