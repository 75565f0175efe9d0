"""Reading the nomenclature: an act, the tariff in force on a day, ``show``, ``search``,
``list``, and the in-memory reference the batches price cases with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from inami_cli.domain.dates import format_period
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.nomenclature import (
    ActView,
    KeyTermSpec,
    KeyValue,
    NomenclatureIndex,
    code_warnings,
    normalise_article,
    normalize_label,
    personal_share,
    search_score,
    validate_code,
    view_of,
)
from inami_cli.domain.tariffs import TariffView
from inami_cli.services.nomenclature._store import (
    ACT,
    Stored,
    in_force_on,
    load_act,
    load_acts,
    load_current_records,
    load_key_values,
    load_tariffs,
    load_terms,
    resolve_article,
)

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session


def get_act(*, session: Session, code: str) -> ActView:
    """The act of a code; raises ``NotFound``."""
    code = validate_code(code)
    act = load_act(session, code)
    if act is None:
        raise NotFound(f"code {code} is not in the nomenclature", hint="inami nomenclature search")
    return act


def tariff_in_force(
    *, session: Session, code: str, on: date, as_recorded_on: date | None = None
) -> TariffView | None:
    """The tariff of *code* in force on *on*, as recorded now (or on *as_recorded_on*).

    A fee stored as NULL is derived from the act's key-letter terms and the index values
    in force on *on*; ``decision_number`` is filled when a decision enacted the tariff.
    """
    code = validate_code(code)
    stored = load_tariffs(
        session,
        codes=[code],
        as_recorded_on=as_recorded_on,
        extra=in_force_on(on),
    ).get(code)
    if not stored:
        return None
    record = stored[-1].record()
    terms: tuple[KeyTermSpec, ...] = ()
    values: dict[str, list[KeyValue]] = {}
    if record.fee is None:
        terms = load_terms(session, code).get(code, ())
        values = load_key_values(session)
    return view_of(record, on, terms, values)


def load_reference(*, session: Session) -> NomenclatureIndex:
    """Everything needed to price cases in memory: acts, current tariffs, key letters.

    One query per table (profiles interned), no per-row queries.
    """
    acts = load_acts(session)
    terms = load_terms(session)
    values = load_key_values(session)
    return NomenclatureIndex(
        acts,
        load_current_records(session),
        terms,
        (v for series in values.values() for v in series),
    )


# ---------------------------------------------------------------- show


@dataclass(frozen=True)
class ProfileLine:
    """One profile of a tariff as shown: who, what the insurer pays, what the patient pays."""

    profile: str
    reimbursement: Decimal
    personal_share: Decimal | None  # None when the fee cannot be derived


def profile_lines(view: TariffView) -> list[ProfileLine]:
    """Each profile's reimbursement and personal share (fee - reimbursement, never < 0)."""
    return [
        ProfileLine(p.label(), p.reimbursement, personal_share(view.fee, p.reimbursement))
        for p in view.profiles
    ]


@dataclass(frozen=True)
class PeriodLine:
    """One tariff period of a code (history)."""

    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    fee_derived: bool
    profiles: tuple[ProfileLine, ...]
    source: str
    source_kind: str
    decision_number: str | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class ShowResult:
    """The act, its tariff on a date (or None with the nearest periods), its history."""

    act: ActView
    on: date
    tariff: TariffView | None
    nearest: tuple[str, ...]
    history: tuple[PeriodLine, ...]
    warnings: tuple[str, ...]


def _period_line(
    stored: Stored,
    terms: Sequence[KeyTermSpec],
    values: Mapping[str, Sequence[KeyValue]],
) -> PeriodLine:
    fee = stored.fee
    derived = False
    if fee is None:
        try:
            fee = view_of(stored.record(), stored.valid_from, terms, values).fee
            derived = True
        except NotFound:
            fee = None
    lines = tuple(
        ProfileLine(
            p.label(),
            p.reimbursement,
            personal_share(fee, p.reimbursement) if fee is not None else None,
        )
        for p in stored.profiles
    )
    return PeriodLine(
        stored.valid_from,
        stored.valid_to,
        fee,
        derived,
        lines,
        stored.source,
        stored.source_kind,
        stored.decision_number,
        stored.recorded_at,
    )


def show(
    *,
    session: Session,
    code: str,
    on: date,
    history: bool = False,
    as_recorded_on: date | None = None,
) -> ShowResult:
    """The act, the tariff in force on *on*, the nearest periods when none, the history."""
    act = get_act(session=session, code=code)
    stored = load_tariffs(session, codes=[act.code], as_recorded_on=as_recorded_on).get(
        act.code, []
    )
    terms = load_terms(session, act.code).get(act.code, ())
    values = load_key_values(session) if terms else {}
    tariff: TariffView | None = None
    nearest: list[str] = []
    for s in stored:
        if s.period().contains(on):
            tariff = view_of(s.record(), on, terms, values)
    if tariff is None:
        before = [s for s in stored if s.valid_to is not None and s.valid_to < on]
        after = [s for s in stored if s.valid_from > on]
        if before:
            nearest.append(format_period(before[-1].valid_from, before[-1].valid_to))
        if after:
            nearest.append(format_period(after[0].valid_from, after[0].valid_to))
    warnings = code_warnings(act.code)
    if not act.exists_on(on):
        warnings.append(
            f"code {act.code} does not exist on {on} "
            f"({format_period(act.valid_from or date.min, act.valid_to)})"
        )
    lines = tuple(_period_line(s, terms, values) for s in stored) if history else ()
    return ShowResult(act, on, tariff, tuple(nearest), lines, tuple(warnings))


# ---------------------------------------------------------------- search and list


@dataclass(frozen=True)
class SearchHit:
    """An act found by ``search``, with its rank."""

    code: str
    label_fr: str
    label_nl: str
    article: str
    score: int


def search(
    *,
    session: Session,
    text: str,
    article: str | None = None,
    on: date | None = None,
    active: bool = False,
    limit: int = 20,
) -> list[SearchHit]:
    """Acts whose FR/NL labels (or code) hold every word, case and accent insensitive, ranked."""
    words = normalize_label(text).split()
    if not words:
        raise InvalidInput("search: give at least one word")
    if limit < 1:
        raise InvalidInput(f"--limit {limit}: must be at least 1")
    query = select(
        ACT.c.code,
        ACT.c.label_fr,
        ACT.c.label_nl,
        ACT.c.article,
        ACT.c.search_text,
        ACT.c.valid_from,
        ACT.c.valid_to,
    )
    for word in words:  # the database narrows, Python ranks
        query = query.where(ACT.c.search_text.contains(word, autoescape=True))
    key = resolve_article(session, article)
    day = on or date.today()
    hits: list[SearchHit] = []
    for code, fr, nl, art, haystack, start, end in session.execute(query):
        if key is not None and normalise_article(art) != key:
            continue
        if active and not ((start is None or start <= day) and (end is None or day <= end)):
            continue
        score = search_score(words, haystack)
        if score is not None:
            hits.append(SearchHit(code, fr, nl, art, score))
    if active:
        with_tariff = set(
            load_tariffs(
                session,
                codes=[h.code for h in hits],
                extra=in_force_on(day),
            )
        )
        hits = [h for h in hits if h.code in with_tariff]
    hits.sort(key=lambda h: (-h.score, h.code))
    return hits[:limit]


@dataclass(frozen=True)
class ListedAct:
    """An act and its fee on the date asked (None when no tariff then)."""

    act: ActView
    fee: Decimal | None


def list_acts(
    *, session: Session, article: str | None = None, on: date | None = None
) -> list[ListedAct]:
    """Acts (of an article), with their fee on *on*; with *on*, only acts existing then."""
    key = resolve_article(session, article)
    index = load_reference(session=session)
    out: list[ListedAct] = []
    day = on or date.today()
    for code in index.codes():
        act = index.act(code)
        assert act is not None
        if key is not None and normalise_article(act.article) != key:
            continue
        if on is not None and not act.exists_on(on):
            continue
        try:
            view = index.tariff_on(code, day)
        except NotFound:
            view = None
        out.append(ListedAct(act, view.fee if view else None))
    return out
