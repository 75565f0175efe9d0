"""Nomenclature use cases: acts, dated tariffs, key letters, import/export, indexation.

Tariff versions are never updated in place: a change supersedes the current version
(``superseded_at``) and records a new one, so ``as_recorded_on`` can answer as the database
did on a past day. Bulk paths (import, indexation, ``load_reference``) read each table once
into dictionaries and write with executemany inserts, inside the caller's transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from inami_cli.db.models import (
    Act,
    Decision,
    ImportBatch,
    KeyLetterValue,
    KeyTerm,
    Tariff,
    TariffProfile,
)
from inami_cli.domain.dates import OPEN_END, Period, format_period
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.domain.money import from_cents, parse_decimal, to_cents
from inami_cli.domain.nomenclature import (
    ALL_COLUMNS,
    INDEXATION_RULE,
    ActFields,
    ActView,
    KeyTermSpec,
    KeyValue,
    NomenclatureIndex,
    TariffRecord,
    TariffSpec,
    check_act_rules,
    check_columns,
    close_open_periods,
    code_warnings,
    fee_from_terms,
    format_key_terms,
    group_rows,
    index_amount,
    index_key_value,
    index_profiles,
    normalize_label,
    pair_warnings,
    parse_key_terms,
    personal_share,
    profile_key,
    row_layout,
    search_score,
    search_text,
    validate_code,
    validate_index_code,
    value_on,
    view_of,
)
from inami_cli.domain.tariffs import Profile, TariffView, check_profiles
from inami_cli.services.audit import current_actor, now, record_change, record_changes
from inami_cli.services.bulkio import gc_paused, sqlite_bulk_cache
from inami_cli.services.consistency import Check, overlaps

__all__ = [
    "CHECKS",
    "ActView",
    "ImportSummary",
    "NomenclatureIndex",
    "TariffView",
    "get_act",
    "import_rows",
    "load_fixtures",
    "load_reference",
    "tariff_in_force",
]

_ACT: Table = Act.__table__  # type: ignore[attr-defined]
_TARIFF: Table = Tariff.__table__  # type: ignore[attr-defined]
_PROFILE: Table = TariffProfile.__table__  # type: ignore[attr-defined]
_TERM: Table = KeyTerm.__table__  # type: ignore[attr-defined]
_VALUE: Table = KeyLetterValue.__table__  # type: ignore[attr-defined]
_DECISION: Table = Decision.__table__  # type: ignore[attr-defined]
_CHUNK = 900  # SQLite's bound-parameter limit is generous since 3.32, old builds: 999


# ---------------------------------------------------------------- reading acts


def _act_view(row: Any, terms: Sequence[KeyTermSpec]) -> ActView:
    return ActView(
        code=row.code,
        label_fr=row.label_fr,
        label_nl=row.label_nl,
        article=row.article,
        category=row.category,
        setting=row.setting,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        min_age=row.min_age,
        max_age=row.max_age,
        max_per_period=row.max_per_period,
        frequency_period=row.frequency_period,
        not_combinable_with=tuple(row.not_combinable_with.split()),
        prerequisite=row.prerequisite,
        key_terms=format_key_terms(terms),
        source=row.source,
    )


_ACT_COLUMNS = (
    _ACT.c.code,
    _ACT.c.label_fr,
    _ACT.c.label_nl,
    _ACT.c.article,
    _ACT.c.category,
    _ACT.c.setting,
    _ACT.c.valid_from,
    _ACT.c.valid_to,
    _ACT.c.min_age,
    _ACT.c.max_age,
    _ACT.c.max_per_period,
    _ACT.c.frequency_period,
    _ACT.c.not_combinable_with,
    _ACT.c.prerequisite,
    _ACT.c.source,
)


def _load_terms(session: Session, code: str | None = None) -> dict[str, tuple[KeyTermSpec, ...]]:
    query = select(_TERM.c.code, _TERM.c.index_code, _TERM.c.coefficient).order_by(
        _TERM.c.code, _TERM.c.position
    )
    if code is not None:
        query = query.where(_TERM.c.code == code)
    terms: dict[str, list[KeyTermSpec]] = {}
    for c, index_code, coefficient in session.execute(query):
        terms.setdefault(c, []).append(KeyTermSpec(index_code, Decimal(coefficient)))
    return {c: tuple(t) for c, t in terms.items()}


def get_act(*, session: Session, code: str) -> ActView:
    """The act of a code; raises ``NotFound``."""
    code = validate_code(code)
    row = session.execute(select(*_ACT_COLUMNS).where(_ACT.c.code == code)).first()
    if row is None:
        raise NotFound(f"code {code} is not in the nomenclature", hint="inami nomenclature search")
    return _act_view(row, _load_terms(session, code).get(code, ()))


def _load_acts(session: Session) -> dict[str, ActView]:
    terms = _load_terms(session)
    return {
        row.code: _act_view(row, terms.get(row.code, ()))
        for row in session.execute(select(*_ACT_COLUMNS))
    }


# ---------------------------------------------------------------- reading tariffs


class _ProfileCache:
    """Intern identical profiles (most tariffs share a handful) to load fast."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], Profile] = {}

    def get(
        self, regime: Any, dmg: Any, age_from: Any, age_to: Any, chronic: Any, cents: int
    ) -> Profile:
        key = (regime, dmg, age_from, age_to, chronic, cents)
        found = self._cache.get(key)
        if found is None:
            found = Profile(
                from_cents(cents),
                regime,
                None if dmg is None else bool(dmg),
                age_from,
                age_to,
                None if chronic is None else bool(chronic),
            )
            self._cache[key] = found
        return found


@dataclass(frozen=True)
class _Stored:
    """A tariff version read from the database."""

    id: int
    code: str
    valid_from: date
    valid_to: date | None
    fee_cents: int | None
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    batch_id: int | None
    decision_id: int | None
    decision_number: str | None
    recorded_at: datetime | None = None
    superseded_at: datetime | None = None

    @property
    def fee(self) -> Decimal | None:
        return None if self.fee_cents is None else from_cents(self.fee_cents)

    def record(self) -> TariffRecord:
        return TariffRecord(
            self.id,
            self.code,
            self.valid_from,
            self.valid_to,
            self.fee,
            self.profiles,
            self.source,
            self.source_kind,
            self.decision_number,
        )

    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


def _cutoff(as_recorded_on: date) -> datetime:
    return datetime.combine(as_recorded_on + timedelta(days=1), time(), tzinfo=UTC)


def _version_filter(as_recorded_on: date | None) -> list[ColumnElement[bool]]:
    if as_recorded_on is None:
        return [_TARIFF.c.superseded_at.is_(None)]
    cutoff = _cutoff(as_recorded_on)
    return [
        _TARIFF.c.recorded_at < cutoff,
        (_TARIFF.c.superseded_at.is_(None)) | (_TARIFF.c.superseded_at >= cutoff),
    ]


def _load_tariffs(
    session: Session,
    *,
    codes: Iterable[str] | None = None,
    as_recorded_on: date | None = None,
    all_versions: bool = False,
    extra: Sequence[ColumnElement[bool]] = (),
) -> dict[str, list[_Stored]]:
    """Tariff versions (current ones unless told) with profiles: two queries per code chunk."""
    conditions: list[ColumnElement[bool]] = [] if all_versions else _version_filter(as_recorded_on)
    conditions.extend(extra)
    chunks: list[list[str] | None]
    if codes is None:
        chunks = [None]
    else:
        wanted = sorted(set(codes))
        chunks = [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    cache = _ProfileCache()
    out: dict[str, list[_Stored]] = {}
    for chunk in chunks:
        where = list(conditions)
        if chunk is not None:
            where.append(_TARIFF.c.code.in_(chunk))
        profiles: dict[int, list[Profile]] = {}
        p = _PROFILE.c
        for tid, regime, dmg, age_from, age_to, chronic, cents in session.execute(
            select(
                p.tariff_id, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, p.reimbursement_cents
            )
            .join(Tariff, _TARIFF.c.id == p.tariff_id)
            .where(*where)
            .order_by(p.id)
        ):
            profiles.setdefault(tid, []).append(
                cache.get(regime, dmg, age_from, age_to, chronic, cents)
            )
        t = _TARIFF.c
        query = (
            select(
                t.id,
                t.code,
                t.valid_from,
                t.valid_to,
                t.fee_cents,
                t.source,
                t.source_kind,
                t.batch_id,
                t.decision_id,
                _DECISION.c.number,
                t.recorded_at,
                t.superseded_at,
            )
            .outerjoin(Decision, _DECISION.c.id == t.decision_id)
            .where(*where)
            .order_by(t.code, t.valid_from, t.id)
        )
        for row in session.execute(query):
            out.setdefault(row[1], []).append(
                _Stored(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    tuple(profiles.get(row[0], ())),
                    row[5],
                    row[6],
                    row[7],
                    row[8],
                    row[9],
                    row[10],
                    row[11],
                )
            )
    return out


def _load_key_values(session: Session) -> dict[str, list[KeyValue]]:
    k = _VALUE.c
    out: dict[str, list[KeyValue]] = {}
    for index_code, valid_from, valid_to, value, source in session.execute(
        select(k.index_code, k.valid_from, k.valid_to, k.value, k.source).order_by(
            k.index_code, k.valid_from
        )
    ):
        out.setdefault(index_code, []).append(
            KeyValue(index_code, valid_from, valid_to, Decimal(value), source)
        )
    return out


def tariff_in_force(
    *, session: Session, code: str, on: date, as_recorded_on: date | None = None
) -> TariffView | None:
    """The tariff of *code* in force on *on*, as recorded now (or on *as_recorded_on*).

    A fee stored as NULL is derived from the act's key-letter terms and the index values
    in force on *on*; ``decision_number`` is filled when a decision enacted the tariff.
    """
    code = validate_code(code)
    stored = _load_tariffs(
        session,
        codes=[code],
        as_recorded_on=as_recorded_on,
        extra=[
            _TARIFF.c.valid_from <= on,
            _TARIFF.c.valid_to.is_(None) | (_TARIFF.c.valid_to >= on),
        ],
    ).get(code)
    if not stored:
        return None
    record = stored[-1].record()
    terms: tuple[KeyTermSpec, ...] = ()
    values: dict[str, list[KeyValue]] = {}
    if record.fee is None:
        terms = _load_terms(session, code).get(code, ())
        values = _load_key_values(session)
    return view_of(record, on, terms, values)


def load_reference(*, session: Session) -> NomenclatureIndex:
    """Everything needed to price cases in memory: acts, current tariffs, key letters.

    One query per table (profiles interned), no per-row queries.
    """
    acts = _load_acts(session)
    terms = _load_terms(session)
    tariffs = _load_tariffs(session)
    values = _load_key_values(session)
    return NomenclatureIndex(
        acts,
        (s.record() for stored in tariffs.values() for s in stored),
        terms,
        (v for series in values.values() for v in series),
    )


# ---------------------------------------------------------------- show / search / list


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
    stored: _Stored,
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
    stored = _load_tariffs(session, codes=[act.code], as_recorded_on=as_recorded_on).get(
        act.code, []
    )
    terms = _load_terms(session, act.code).get(act.code, ())
    values = _load_key_values(session) if terms else {}
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
        _ACT.c.code,
        _ACT.c.label_fr,
        _ACT.c.label_nl,
        _ACT.c.article,
        _ACT.c.search_text,
        _ACT.c.valid_from,
        _ACT.c.valid_to,
    )
    for word in words:  # the database narrows, Python ranks
        query = query.where(_ACT.c.search_text.contains(word, autoescape=True))
    if article is not None:
        query = query.where(_ACT.c.article == article)
    day = on or date.today()
    hits: list[SearchHit] = []
    for code, fr, nl, art, haystack, start, end in session.execute(query):
        if active and not ((start is None or start <= day) and (end is None or day <= end)):
            continue
        score = search_score(words, haystack)
        if score is not None:
            hits.append(SearchHit(code, fr, nl, art, score))
    if active:
        with_tariff = set(
            _load_tariffs(
                session,
                codes=[h.code for h in hits],
                extra=[
                    _TARIFF.c.valid_from <= day,
                    _TARIFF.c.valid_to.is_(None) | (_TARIFF.c.valid_to >= day),
                ],
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
    index = load_reference(session=session)
    out: list[ListedAct] = []
    day = on or date.today()
    for code in index.codes():
        act = index.act(code)
        assert act is not None
        if article is not None and act.article != article:
            continue
        if on is not None and not act.exists_on(on):
            continue
        try:
            view = index.tariff_on(code, day)
        except NotFound:
            view = None
        out.append(ListedAct(act, view.fee if view else None))
    return out


# ---------------------------------------------------------------- acts: add / update / retire


def _act_values(view: ActView) -> dict[str, Any]:
    return {
        "code": view.code,
        "label_fr": view.label_fr,
        "label_nl": view.label_nl,
        "article": view.article,
        "category": view.category,
        "setting": view.setting,
        "valid_from": view.valid_from,
        "valid_to": view.valid_to,
        "min_age": view.min_age,
        "max_age": view.max_age,
        "max_per_period": view.max_per_period,
        "frequency_period": view.frequency_period,
        "not_combinable_with": " ".join(view.not_combinable_with),
        "prerequisite": view.prerequisite,
        "search_text": search_text(view.code, view.label_fr, view.label_nl),
        "source": view.source,
        "updated_at": now(),
    }


def _audit_act(view: ActView) -> dict[str, Any]:
    data = _act_values(view)
    data.pop("search_text")
    data.pop("updated_at")
    data["key_terms"] = view.key_terms
    return data


def _validate_act(view: ActView) -> None:
    validate_code(view.code)
    if not view.label_fr.strip() or not view.label_nl.strip():
        raise InvalidInput(f"code {view.code}: label_fr and label_nl are required")
    if view.valid_from and view.valid_to and view.valid_to < view.valid_from:
        raise InvalidInput(f"code {view.code}: valid_to {view.valid_to} is before valid_from")
    from inami_cli.domain.nomenclature import CATEGORIES, SETTINGS

    if view.category not in CATEGORIES:
        raise InvalidInput(f"category {view.category!r}: expected one of {', '.join(CATEGORIES)}")
    if view.setting not in SETTINGS:
        raise InvalidInput(f"setting {view.setting!r}: expected ambulatory, hospitalised or any")
    check_act_rules(view.min_age, view.max_age, view.max_per_period, view.frequency_period)
    for other in view.not_combinable_with:
        validate_code(other, what="not_combinable_with")
    if view.key_terms:
        parse_key_terms(view.key_terms)


def _write_terms(session: Session, code: str, terms: Sequence[KeyTermSpec]) -> None:
    session.execute(delete(_TERM).where(_TERM.c.code == code))
    if terms:
        session.execute(
            insert(_TERM),
            [
                {
                    "code": code,
                    "position": i,
                    "key_letter": t.key_letter,
                    "index_code": t.index_code,
                    "coefficient": format(t.coefficient, "f"),
                }
                for i, t in enumerate(terms, 1)
            ],
        )


def _settings_near(session: Session, code: str) -> dict[str, str]:
    stem = int(code[:5])
    near = [f"{stem + d:05d}{(stem + d) % 7}" for d in (-1, 1) if 0 <= stem + d <= 99999]
    return dict(
        (row[0], row[1])
        for row in session.execute(select(_ACT.c.code, _ACT.c.setting).where(_ACT.c.code.in_(near)))
    )


@dataclass(frozen=True)
class ActResult:
    """An act written, with the warnings raised (check digit, pair)."""

    act: ActView
    warnings: tuple[str, ...]


def add_act(*, session: Session, act: ActView) -> ActResult:
    """Create an act; ``Conflict`` when the code exists."""
    _validate_act(act)
    if session.get(Act, act.code) is not None:
        raise Conflict(f"code {act.code} already exists", hint="inami nomenclature update")
    session.execute(insert(_ACT), [_act_values(act)])
    _write_terms(session, act.code, parse_key_terms(act.key_terms))
    record_change(
        session=session, entity="act", key=act.code, action="insert", after=_audit_act(act)
    )
    warnings = code_warnings(act.code) + pair_warnings(
        act.code, act.setting, _settings_near(session, act.code)
    )
    return ActResult(act, tuple(warnings))


def update_act(*, session: Session, code: str, changes: Mapping[str, Any]) -> ActResult:
    """Change some fields of an act (names as in ``ActView``); ``NotFound`` when unknown."""
    before = get_act(session=session, code=code)
    bad = sorted(k for k in changes if k == "code" or k not in ActView.__dataclass_fields__)
    if bad:
        raise InvalidInput(f"cannot change {', '.join(bad)} of an act")
    after = replace(before, **changes)
    _validate_act(after)
    if after == before:
        return ActResult(after, ())
    values = _act_values(after)
    values.pop("code")
    session.execute(update(_ACT).where(_ACT.c.code == before.code).values(**values))
    if after.key_terms != before.key_terms:
        _write_terms(session, after.code, parse_key_terms(after.key_terms))
    record_change(
        session=session,
        entity="act",
        key=after.code,
        action="update",
        before=_audit_act(before),
        after=_audit_act(after),
    )
    warnings = pair_warnings(after.code, after.setting, _settings_near(session, after.code))
    return ActResult(after, tuple(warnings))


def retire_act(*, session: Session, code: str, from_: date) -> ActResult:
    """The code no longer exists from *from_*: the act ends the day before, and so does its
    open tariff. Refused (``Conflict``) when a tariff period starts on or after that date."""
    act = get_act(session=session, code=code)
    end = from_ - timedelta(days=1)
    if act.valid_from is not None and end < act.valid_from:
        raise Conflict(f"code {act.code} starts on {act.valid_from}: cannot retire it from {from_}")
    stored = _load_tariffs(session, codes=[act.code]).get(act.code, [])
    later = [s for s in stored if s.valid_from >= from_]
    if later:
        raise Conflict(
            f"code {act.code} has a tariff from {later[0].valid_from}: "
            f"cannot retire it from {from_}",
            hint="correct the tariff first (set-tariff --correct)",
        )
    stamp = now()
    for s in stored:
        if s.valid_to is None or s.valid_to > end:
            _supersede(session, [s.id], stamp)
            _insert_versions(session, [_copy(s, valid_to=end)], stamp)
            record_change(
                session=session,
                entity="tariff",
                key=f"{s.code} {s.valid_from}",
                action="update",
                before={"valid_to": s.valid_to},
                after={"valid_to": end},
            )
    return update_act(session=session, code=act.code, changes={"valid_to": end})


# ---------------------------------------------------------------- writing tariffs


@dataclass(frozen=True)
class _NewVersion:
    code: str
    valid_from: date
    valid_to: date | None
    fee_cents: int | None
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    batch_id: int | None
    decision_id: int | None
    fresh: bool = False  # written by this operation (not a re-dated copy of an old version)
    # _plan keeps a new version among the stored periods of its code as is (an _Stored copy
    # per version showed on a 200 000-row import): it reads as a not yet stored version
    id: ClassVar[int] = 0

    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


def _copy(stored: _Stored | _NewVersion, **changes: Any) -> _NewVersion:
    base = _NewVersion(
        stored.code,
        stored.valid_from,
        stored.valid_to,
        stored.fee_cents,
        stored.profiles,
        stored.source,
        stored.source_kind,
        stored.batch_id,
        stored.decision_id,
    )
    return replace(base, **changes)


def _supersede(session: Session, ids: Sequence[int], stamp: datetime) -> None:
    for i in range(0, len(ids), _CHUNK):
        session.execute(
            update(_TARIFF).where(_TARIFF.c.id.in_(ids[i : i + _CHUNK])).values(superseded_at=stamp)
        )


_TARIFF_COLUMNS = (
    "id",
    "code",
    "valid_from",
    "valid_to",
    "fee_cents",
    "source_kind",
    "source",
    "batch_id",
    "decision_id",
    "recorded_at",
    "operator",
)
_PROFILE_COLUMNS = (
    "tariff_id",
    "regime",
    "dmg",
    "age_from",
    "age_to",
    "chronic",
    "reimbursement_cents",
)


def _driver_executemany(
    session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """executemany straight on the DB-API cursor, values converted by the columns' own
    SQLAlchemy bind processors (same storage format as the ORM). Skips SQLAlchemy's per-row
    parameter compilation, which dominates a 200 000-row import."""
    connection = session.connection()
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    if rows and any(f is not None for f in processors):
        # Column by column: few distinct dates/flags, so each value is converted once and
        # looked up afterwards (a per-row loop over the processors costs more than the
        # insert of a 200 000-row import).
        columns_of: list[Any] = list(zip(*rows, strict=True))
        for i, f in enumerate(processors):
            if f is None:
                continue
            memo: dict[Any, Any] = {None: None}
            for value in set(columns_of[i]):
                if value not in memo:
                    memo[value] = f(value)
            columns_of[i] = map(memo.__getitem__, columns_of[i])
        rows = list(zip(*columns_of, strict=True))
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    connection.exec_driver_sql(sql, rows)


def _insert_versions(
    session: Session,
    versions: Sequence[_NewVersion],
    stamp: datetime,
    *,
    batch_id: int | None = None,
) -> None:
    """Insert tariff versions and their profiles: two executemany statements.

    SQLite: ids are allocated from max(id) (the write transaction holds the database lock:
    BEGIN IMMEDIATE) and rows go straight to the driver. Elsewhere: INSERT ... RETURNING.
    """
    if not versions:
        return
    operator = current_actor().operator
    # (fresh versions without a batch get *batch_id* in the rows below; no copies needed)
    cents: dict[Decimal, int] = {}

    def cents_of(amount: Decimal) -> int:
        found = cents.get(amount)
        if found is None:
            found = cents[amount] = to_cents(amount)
        return found

    if session.get_bind().dialect.name == "sqlite":
        first = int(session.execute(select(func.coalesce(func.max(_TARIFF.c.id), 0))).scalar_one())
        ids: Sequence[int] = range(first + 1, first + 1 + len(versions))
        # the columns of _TARIFF_COLUMNS around batch_id, read in C (200 000-row imports)
        head = attrgetter("code", "valid_from", "valid_to", "fee_cents", "source_kind", "source")
        _driver_executemany(
            session,
            _TARIFF,
            _TARIFF_COLUMNS,
            [
                (
                    tid,
                    *head(v),
                    batch_id if v.fresh and v.batch_id is None else v.batch_id,
                    v.decision_id,
                    stamp,
                    operator,
                )
                for tid, v in zip(ids, versions, strict=True)
            ],
        )
        _driver_executemany(
            session,
            _PROFILE,
            _PROFILE_COLUMNS,
            [
                (tid, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, cents_of(p.reimbursement))
                for tid, v in zip(ids, versions, strict=True)
                for p in v.profiles
            ],
        )
        return
    rows = [
        {
            "code": v.code,
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "fee_cents": v.fee_cents,
            "source_kind": v.source_kind,
            "source": v.source,
            "batch_id": batch_id if v.fresh and v.batch_id is None else v.batch_id,
            "decision_id": v.decision_id,
            "recorded_at": stamp,
            "operator": operator,
        }
        for v in versions
    ]
    ids = (
        session.execute(
            insert(_TARIFF).returning(_TARIFF.c.id, sort_by_parameter_order=True),
            rows,
        )
        .scalars()
        .all()
    )
    profiles = [
        {
            "tariff_id": tid,
            "regime": p.regime,
            "dmg": p.dmg,
            "age_from": p.age_from,
            "age_to": p.age_to,
            "chronic": p.chronic,
            "reimbursement_cents": to_cents(p.reimbursement),
        }
        for tid, v in zip(ids, versions, strict=True)
        for p in v.profiles
    ]
    if profiles:
        session.execute(insert(_PROFILE), profiles)


@dataclass
class _Plan:
    """What a set of tariff specs does to the stored tariffs."""

    inserts: list[_NewVersion] = field(default_factory=list)
    supersede: list[int] = field(default_factory=list)
    status: dict[tuple[str, date], str] = field(default_factory=dict)
    diff: list[str] = field(default_factory=list)
    audit: list[tuple[str, str, str, Mapping[str, Any] | None, Mapping[str, Any] | None]] = field(
        default_factory=list
    )
    problems: list[tuple[int, str, bool]] = field(default_factory=list)  # line, reason, conflict


def _money(cents: int | None) -> str:
    return "derived" if cents is None else format(from_cents(cents), "f")


def _describe(v: _NewVersion | _Stored) -> dict[str, Any]:
    return {
        "code": v.code,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "fee": None if v.fee_cents is None else from_cents(v.fee_cents),
        "profiles": {p.label(): p.reimbursement for p in v.profiles},
        "source": v.source,
    }


def _plan(
    specs: Sequence[TariffSpec],
    current: Mapping[str, list[_Stored]],
    *,
    source_kind: str,
    default_source: str,
    batch_id: int | None,
    decision_id: int | None,
    correct: bool,
    replace_same_start: bool,
    want_diff: bool = True,
) -> _Plan:
    """Decide, per spec, insert / replace / unchanged, closing or trimming stored periods."""
    plan = _Plan()
    by_code: dict[str, list[TariffSpec]] = {}
    for spec in specs:
        by_code.setdefault(spec.code, []).append(spec)
    cents: dict[Decimal, int] = {}  # an import repeats few fees: convert each once
    for code, code_specs in by_code.items():
        periods: list[_Stored | _NewVersion] = list(current.get(code, ()))
        for spec in sorted(code_specs, key=lambda s: s.valid_from):
            fee_cents = None
            if spec.fee is not None:
                fee_cents = cents.get(spec.fee)
                if fee_cents is None:
                    fee_cents = cents[spec.fee] = to_cents(spec.fee)
            new = _NewVersion(
                code,
                spec.valid_from,
                spec.valid_to,
                fee_cents,
                spec.profiles,
                spec.source or default_source,
                source_kind,
                batch_id,
                decision_id,
                fresh=True,
            )
            key = (code, spec.valid_from)
            line = spec.lines[0]
            new_end = OPEN_END if spec.valid_to is None else spec.valid_to
            same = None
            for period in periods:
                if period.valid_from == spec.valid_from:
                    same = period
                    break
            if same is not None:
                if (
                    same.valid_to == new.valid_to
                    and same.fee_cents == new.fee_cents
                    and profile_key(same.profiles) == profile_key(new.profiles)
                ):
                    plan.status[key] = "unchanged"
                    continue
                if not replace_same_start:
                    plan.problems.append(
                        (
                            line,
                            f"{code} already has a tariff from {spec.valid_from} "
                            "(use --correct to record a correction)",
                            True,
                        )
                    )
                    continue
            changes: list[tuple[_Stored | _NewVersion, list[_NewVersion]]] = []
            blocked = False
            for old in periods:
                # Period.overlaps, inlined: this runs once per stored or new period
                if (
                    old is same
                    or old.valid_from > new_end
                    or spec.valid_from > (old.valid_to or OPEN_END)
                ):
                    continue
                if old.valid_from < spec.valid_from and old.valid_to is None:
                    changes.append(
                        (old, [_copy(old, valid_to=spec.valid_from - timedelta(days=1))])
                    )
                elif correct:
                    parts: list[_NewVersion] = []
                    if old.valid_from < spec.valid_from:
                        parts.append(_copy(old, valid_to=spec.valid_from - timedelta(days=1)))
                    if spec.valid_to is not None and (
                        old.valid_to is None or old.valid_to > spec.valid_to
                    ):
                        parts.append(
                            _copy(
                                old,
                                valid_from=max(old.valid_from, spec.valid_to + timedelta(days=1)),
                            )
                        )
                    changes.append((old, parts))
                else:
                    plan.problems.append(
                        (
                            line,
                            f"period {new.period()} of {code} overlaps the recorded period "
                            f"{old.period()} (use --correct to record a correction)",
                            True,
                        )
                    )
                    blocked = True
            if blocked:
                continue
            if same is not None:
                changes.append((same, []))
                plan.status[key] = "updated"
                plan.diff.append(
                    f"update {code} {format_period(same.valid_from, same.valid_to)}: "
                    f"fee {_money(same.fee_cents)} -> {_money(new.fee_cents)}"
                    + _profile_diff(same.profiles, new.profiles)
                )
            else:
                plan.status[key] = "inserted"
                if want_diff:
                    plan.diff.append(
                        f"insert {code} {new.period()}: fee {_money(new.fee_cents)}, "
                        + ", ".join(f"{p.label()} {p.reimbursement}" for p in new.profiles)
                    )
            for old, parts in changes:
                plan.supersede.append(old.id)
                plan.inserts.extend(parts)
                periods.remove(old)
                periods.extend(parts)
                if old is not same:
                    kept = ", ".join(str(Period(p.valid_from, p.valid_to)) for p in parts)
                    plan.diff.append(f"close {code} {old.period()} -> {kept or 'removed'}")
                plan.audit.append(
                    (
                        "tariff",
                        f"{code} {old.valid_from}",
                        "update",
                        _describe(old),
                        {"superseded_by": [_describe(p) for p in parts] or None},
                    )
                )
            plan.inserts.append(new)
            # the usual case appends after the latest start: the list stays sorted (the
            # sort is stable, so equal starts keep their order either way)
            in_order = not changes and (not periods or periods[-1].valid_from <= new.valid_from)
            periods.append(new)
            if not in_order:
                periods.sort(key=lambda p: p.valid_from)
    return plan


def _profile_diff(old: Sequence[Profile], new: Sequence[Profile]) -> str:
    before = {p.label(): p.reimbursement for p in old}
    after = {p.label(): p.reimbursement for p in new}
    parts = []
    for label in sorted(set(before) | set(after)):
        if before.get(label) != after.get(label):
            parts.append(f"{label} {before.get(label, '-')} -> {after.get(label, '-')}")
    return ("; " + ", ".join(parts)) if parts else ""


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or would do with ``dry_run``)."""

    inserted: int
    updated: int
    unchanged: int
    rejected: int
    diff: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    batch_id: int | None = None
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """The JSON summary: inserted, updated, unchanged, rejected."""
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def _act_changes(
    fields: ActFields, stored: ActView | None
) -> tuple[ActView | None, dict[str, Any]]:
    """The act after applying the given fields, and the changed fields (empty = none)."""
    given = fields.as_dict()
    if "key_terms" in given:
        given["key_terms"] = format_key_terms(given["key_terms"])
    if "not_combinable_with" in given:
        given["not_combinable_with"] = tuple(given["not_combinable_with"])
    if stored is None:
        return None, given
    changed = {k: v for k, v in given.items() if getattr(stored, k) != v}
    return (replace(stored, **changed) if changed else stored), changed


def import_rows(
    *,
    session: Session,
    rows: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    source_kind: str = "import",
    source: str | None = None,
    decision_id: int | None = None,
    dry_run: bool = False,
    correct: bool = False,
    sha256: str | None = None,
) -> ImportSummary:
    """Import tariff rows (the ``import`` columns), all or nothing.

    Every bad row is reported as ``FILE:LINE: reason`` in one ``FileErrors`` and nothing is
    written. Re-importing the same rows changes nothing. An open period ends the day before
    the next period of its code; an overlap with another recorded period is refused unless
    *correct* (the overlapped versions are kept as superseded). *sha256* identifies the file
    in the import batch (computed from the rows when not given).
    """
    with gc_paused(), sqlite_bulk_cache(session):
        return _import_rows(
            session=session,
            rows=rows,
            filename=filename,
            source_kind=source_kind,
            source=source,
            decision_id=decision_id,
            dry_run=dry_run,
            correct=correct,
            sha256=sha256,
        )


def _cells_of(
    rows: Iterable[tuple[int, Mapping[str, str]]],
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Rows as ``(line, header, cells + [""])``: straight from an ``ImportTable``."""
    if isinstance(rows, ImportTable):
        return rows.cells()  # no generator layered on the table's own
    return ((line, tuple(row), [*row.values(), ""]) for line, row in rows)


def _import_rows(
    *,
    session: Session,
    rows: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    source_kind: str,
    source: str | None,
    decision_id: int | None,
    dry_run: bool,
    correct: bool,
    sha256: str | None,
) -> ImportSummary:
    problems: list[tuple[int, str]] = []
    parsed = []
    digest = hashlib.sha256()
    count = 0
    layout_of: tuple[str, ...] = ()
    parse = row_layout(layout_of).parse
    for line, header, cells in _cells_of(rows):
        count += 1
        if sha256 is None:
            digest.update(repr(sorted(dict(zip(header, cells[:-1], strict=True)).items())).encode())
        if header is not layout_of:  # one CSV header object for every row
            parse, layout_of = row_layout(header).parse, header
        try:
            parsed.append(parse(line, cells))
        except InvalidInput as exc:
            problems.append((line, exc.message))
    if count == 0:
        raise FileErrors([f"{filename}:1: no rows to import"])
    grouped = group_rows(parsed)
    problems.extend(grouped.problems)
    codes = {spec.code for spec in grouped.tariffs} | set(grouped.acts)

    acts = _load_acts(session)
    warnings: list[str] = []
    new_acts: list[ActView] = []
    act_updates: list[tuple[ActView, ActView]] = []
    changed_codes: set[str] = set()
    first_line = {spec.code: spec.lines[0] for spec in reversed(grouped.tariffs)}
    for code in sorted(codes):
        fields = grouped.acts.get(code, ActFields())
        stored = acts.get(code)
        line = grouped.act_lines.get(code) or first_line.get(code, 0)
        after, changed = _act_changes(fields, stored)
        if stored is None:
            if not changed.get("label_fr") or not changed.get("label_nl"):
                problems.append(
                    (line, f"unknown code {code}: give label_fr and label_nl to create it")
                )
                continue
            after = ActView(code=code, **changed)
            try:
                _validate_act(after)
            except InvalidInput as exc:
                problems.append((line, exc.message))
                continue
            new_acts.append(after)
            changed_codes.add(code)
            warnings.extend(code_warnings(code))
        elif changed:
            assert after is not None
            try:
                _validate_act(after)
            except InvalidInput as exc:
                problems.append((line, exc.message))
                continue
            act_updates.append((stored, after))
            changed_codes.add(code)
        if after is not None:
            acts[code] = after
    for spec in grouped.tariffs:
        act = acts.get(spec.code)
        if spec.fee is None and act is not None and not act.key_terms:
            problems.append((spec.lines[0], f"{spec.code}: no fee and no key_terms"))
    settings = {c: a.setting for c, a in acts.items()}
    for act in new_acts:
        warnings.extend(pair_warnings(act.code, act.setting, settings))

    current = _load_tariffs(session, codes=codes if len(codes) <= 5 * _CHUNK else None)
    later = {code: [s.valid_from for s in stored] for code, stored in current.items()}
    specs = close_open_periods(grouped.tariffs, later)
    plan = _plan(
        specs,
        current,
        source_kind=source_kind,
        default_source=source or filename,
        batch_id=None,
        decision_id=decision_id,
        correct=correct,
        replace_same_start=True,
        want_diff=dry_run,
    )
    problems.extend((line, reason) for line, reason, _ in plan.problems)
    if problems:
        problems.sort(key=lambda p: p[0])
        raise FileErrors([f"{filename}:{line}: {reason}" for line, reason in problems])

    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for spec in specs:
        status = plan.status[(spec.code, spec.valid_from)]
        if status == "unchanged" and spec.code in changed_codes:
            status = "updated"
        counts[status] += len(spec.lines)
    diff = [f"add act {a.code} {a.label_fr}" for a in new_acts]
    diff += [
        f"update act {after.code}: "
        + ", ".join(
            f"{k} {getattr(before, k)!r} -> {getattr(after, k)!r}"
            for k in ActView.__dataclass_fields__
            if getattr(before, k) != getattr(after, k)
        )
        for before, after in act_updates
    ]
    diff += plan.diff
    summary = ImportSummary(
        counts["inserted"],
        counts["updated"],
        counts["unchanged"],
        0,
        tuple(diff),
        tuple(warnings),
        None,
        dry_run,
    )
    if dry_run or (not plan.inserts and not new_acts and not act_updates):
        return summary

    stamp = now()
    batch = ImportBatch(
        kind="tariffs",
        filename=filename,
        sha256=sha256 or digest.hexdigest(),
        at=stamp,
        operator=current_actor().operator,
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )
    session.add(batch)
    session.flush()
    if new_acts:
        session.execute(insert(_ACT), [_act_values(a) for a in new_acts])
        terms = [
            {
                "code": a.code,
                "position": i,
                "key_letter": t.key_letter,
                "index_code": t.index_code,
                "coefficient": format(t.coefficient, "f"),
            }
            for a in new_acts
            for i, t in enumerate(parse_key_terms(a.key_terms), 1)
        ]
        if terms:
            session.execute(insert(_TERM), terms)
    for before, after in act_updates:
        values = _act_values(after)
        values.pop("code")
        session.execute(update(_ACT).where(_ACT.c.code == after.code).values(**values))
        if before.key_terms != after.key_terms:
            _write_terms(session, after.code, parse_key_terms(after.key_terms))
    _supersede(session, plan.supersede, stamp)
    _insert_versions(
        session,
        plan.inserts,
        stamp,
        batch_id=batch.id,
    )
    audit = [
        ("import_batch", str(batch.id), "insert", None, {"filename": filename, **summary.counts()}),
        *plan.audit,
        *(("act", a.code, "update", _audit_act(b), _audit_act(a)) for b, a in act_updates),
    ]
    record_changes(session=session, changes=audit)
    return replace(summary, batch_id=batch.id)


# ---------------------------------------------------------------- reading import files


class ImportTable:
    """The rows of a CSV or JSON import file, read lazily (errors surface on iteration).

    Iterating gives ``(line, {column: text})``; ``cells()`` gives each row as its header
    and its cells plus a trailing ``""`` (``parse_tariff_cells``), which spares a dict per
    row on a 200 000-row import.
    """

    def __init__(self, data: bytes, filename: str) -> None:
        self.data = data
        self.filename = filename

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for line, header, cells in self.cells():
            yield line, dict(zip(header, cells[:-1], strict=True))

    def cells(self) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
        """``(line, header, cells + [""])`` per row; raises ``FileErrors`` like ``read_table``."""
        filename = self.filename
        data = self.data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FileErrors(
                [
                    f"{filename}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                    "save the file as UTF-8"
                ]
            ) from None
        stripped = text.lstrip()
        if not stripped:
            raise FileErrors(
                [f"{filename}:1: empty file (expected a header: {','.join(ALL_COLUMNS[:10])},...)"]
            )
        lower = filename.lower()
        if lower.endswith((".json", ".ndjson", ".jsonl")) or stripped[0] in "[{":
            for line, row in _json_rows(text, filename):
                yield line, tuple(row), [*row.values(), ""]
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        header = tuple(h.strip() for h in next(reader))
        problems = check_columns(header)
        if problems:
            raise FileErrors([f"{filename}:1: {p}" for p in problems])
        width = len(header)
        for values in reader:
            if len(values) != width:
                if not values or not "".join(values).strip():
                    continue
                raise FileErrors(
                    [f"{filename}:{reader.line_num}: {len(values)} fields, the header has {width}"]
                )
            # blank rows (",,,") are skipped; the first cell settles it for almost every row
            if not values[0].strip() and not "".join(values).strip():
                continue
            values.append("")
            yield reader.line_num, header, values


def read_table(data: bytes, filename: str) -> ImportTable:
    """Rows of a CSV or JSON (array of objects, or NDJSON) import file, with line numbers.

    Raises ``FileErrors`` (when iterated) for an empty file, text that is not UTF-8, bad
    JSON, or a header with unknown or missing columns.
    """
    return ImportTable(data, filename)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return " ".join(_cell_text(v) for v in value)
    return str(value)


def _json_rows(text: str, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    decoder = json.JSONDecoder(parse_float=str, parse_int=str)
    pos = 0
    line = 1

    def skip(p: int) -> int:
        while p < len(text) and text[p] in " \t\r\n":
            p += 1
        return p

    def fail(p: int, what: str) -> FileErrors:
        return FileErrors([f"{filename}:{text.count(chr(10), 0, p) + 1}: {what}"])

    pos = skip(pos)
    in_array = text[pos] == "["
    if in_array:
        pos = skip(pos + 1)
    items = 0
    while pos < len(text):
        if in_array and text[pos] == "]":
            break
        line = text.count("\n", 0, pos) + 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise fail(exc.pos, f"invalid JSON: {exc.msg}") from None
        if not isinstance(item, dict):
            raise fail(pos, "expected an object per row")
        problems = check_columns(list(item))
        if problems:
            raise FileErrors([f"{filename}:{line}: {p}" for p in problems])
        items += 1
        yield line, {str(k): _cell_text(v) for k, v in item.items()}
        pos = skip(pos)
        if in_array and pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
    if items == 0:
        raise FileErrors([f"{filename}:1: no rows to import"])


# ---------------------------------------------------------------- export


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def export_rows(
    *, session: Session, on: date | None = None, article: str | None = None
) -> Iterator[dict[str, str]]:
    """Rows in the import format: every current period, or those in force on *on*."""
    acts = _load_acts(session)
    extra: list[ColumnElement[bool]] = []
    if on is not None:
        extra = [
            _TARIFF.c.valid_from <= on,
            _TARIFF.c.valid_to.is_(None) | (_TARIFF.c.valid_to >= on),
        ]
    tariffs = _load_tariffs(session, extra=extra)
    for code in sorted(tariffs):
        act = acts.get(code)
        if act is None or (article is not None and act.article != article):
            continue
        for stored in tariffs[code]:
            for p in stored.profiles:
                yield {
                    "code": code,
                    "valid_from": stored.valid_from.isoformat(),
                    "valid_to": stored.valid_to.isoformat() if stored.valid_to else "",
                    "fee": _money(stored.fee_cents) if stored.fee_cents is not None else "",
                    "regime": p.regime or "",
                    "dmg": _yes_no(p.dmg),
                    "age_from": "" if p.age_from is None else str(p.age_from),
                    "age_to": "" if p.age_to is None else str(p.age_to),
                    "chronic": _yes_no(p.chronic),
                    "reimbursement": format(p.reimbursement, "f"),
                    "key_terms": act.key_terms,
                    "label_fr": act.label_fr,
                    "label_nl": act.label_nl,
                    "article": act.article,
                    "source": stored.source,
                    "min_age": "" if act.min_age is None else str(act.min_age),
                    "max_age": "" if act.max_age is None else str(act.max_age),
                    "max_per_period": "" if act.max_per_period is None else str(act.max_per_period),
                    "frequency_period": act.frequency_period or "",
                    "not_combinable_with": " ".join(act.not_combinable_with),
                    "prerequisite": act.prerequisite or "",
                    "category": act.category,
                    "setting": act.setting,
                }


# ---------------------------------------------------------------- set-tariff


def set_tariff(
    *,
    session: Session,
    code: str,
    valid_from: date,
    valid_to: date | None,
    fee: Decimal | None,
    profiles: Sequence[Profile],
    source: str = "",
    correct: bool = False,
) -> TariffView:
    """Record a new tariff period for *code*.

    An open previous period ends the day before; an overlap with a closed period (or a
    period starting the same day) is refused with ``Conflict`` unless *correct*, which
    records a correction and keeps the earlier versions.
    """
    act = get_act(session=session, code=code)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"--to {valid_to} is before --from {valid_from}")
    if not profiles:
        raise InvalidInput("give at least one --reimbursement PROFILE=AMOUNT")
    if fee is None and not act.key_terms:
        raise InvalidInput(f"code {act.code} has no key-letter terms: pass --fee")
    problems = check_profiles(profiles, fee)
    if problems:
        raise InvalidInput(problems[0])
    current = _load_tariffs(session, codes=[act.code])
    later = {act.code: [s.valid_from for s in current.get(act.code, [])]}
    spec = TariffSpec(act.code, valid_from, valid_to, fee, tuple(profiles), source, (0,))
    (spec,) = close_open_periods([spec], later) if valid_to is None else [spec]
    plan = _plan(
        [spec],
        current,
        source_kind="operator",
        default_source=source or f"operator {current_actor().operator}",
        batch_id=None,
        decision_id=None,
        correct=correct,
        replace_same_start=correct,
    )
    if plan.problems:
        raise Conflict(plan.problems[0][1])
    if plan.status[(act.code, valid_from)] != "unchanged":
        stamp = now()
        _supersede(session, plan.supersede, stamp)
        _insert_versions(session, plan.inserts, stamp)
        new = next(v for v in plan.inserts if v.valid_from == valid_from)
        record_changes(
            session=session,
            changes=[
                *plan.audit,
                ("tariff", f"{act.code} {valid_from}", "insert", None, _describe(new)),
            ],
        )
    view = tariff_in_force(session=session, code=act.code, on=valid_from)
    assert view is not None
    return view


# ---------------------------------------------------------------- key letters


@dataclass(frozen=True)
class KeyLetterLine:
    """A key-letter index value over a period, and the codes whose fee uses it."""

    index_code: str
    valid_from: date
    valid_to: date | None
    value: Decimal
    source: str
    codes: tuple[str, ...]


def _codes_using(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, index_code in session.execute(
        select(_TERM.c.code, _TERM.c.index_code).order_by(_TERM.c.code)
    ):
        out.setdefault(index_code, []).append(code)
    return out


def list_key_letters(*, session: Session, on: date | None = None) -> list[KeyLetterLine]:
    """Every key-letter value (or those in force on *on*), with the codes using the index."""
    using = _codes_using(session)
    out: list[KeyLetterLine] = []
    for index_code, series in sorted(_load_key_values(session).items()):
        for v in series:
            if on is not None and not Period(v.valid_from, v.valid_to).contains(on):
                continue
            out.append(
                KeyLetterLine(
                    index_code,
                    v.valid_from,
                    v.valid_to,
                    v.value,
                    v.source,
                    tuple(using.get(index_code, ())),
                )
            )
    return out


def set_key_letter(
    *,
    session: Session,
    index_code: str,
    valid_from: date,
    value: Decimal,
    valid_to: date | None = None,
    source: str = "",
) -> KeyLetterLine:
    """Give an index a value from a date; the fees built from it are re-derived from then.

    The value in force on *valid_from* ends the day before, and the new value runs until
    that value's end (or the next recorded value, or *valid_to*). A value starting the same
    day is replaced. An explicit *valid_to* overlapping a later value is a ``Conflict``.
    Derived fees are computed when read, so nothing else needs rewriting.
    """
    index_code = validate_index_code(index_code)
    if value <= 0:
        raise InvalidInput(f"value {value}: a key-letter value must be positive")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"--to {valid_to} is before --from {valid_from}")
    k = _VALUE.c
    rows = list(
        session.execute(
            select(KeyLetterValue).where(k.index_code == index_code).order_by(k.valid_from)
        ).scalars()
    )
    text = format(value, "f")
    stamp = now()
    end = valid_to
    same = next((r for r in rows if r.valid_from == valid_from), None)
    containing = next(
        (
            r
            for r in rows
            if r.valid_from < valid_from and (r.valid_to is None or r.valid_to >= valid_from)
        ),
        None,
    )
    if valid_to is None:
        end = same.valid_to if same else containing.valid_to if containing else None
    for row in rows:  # check everything before changing anything
        if row.valid_from > valid_from and (end is None or end >= row.valid_from):
            if valid_to is not None:
                raise Conflict(
                    f"{index_code}: period {Period(valid_from, valid_to)} overlaps the recorded "
                    f"value {Period(row.valid_from, row.valid_to)} ({row.value})"
                )
            end = row.valid_from - timedelta(days=1)
    if containing is not None:
        before_end = containing.valid_to
        containing.valid_to = valid_from - timedelta(days=1)
        record_change(
            session=session,
            entity="key_letter_value",
            key=f"{index_code} {containing.valid_from}",
            action="update",
            before={"valid_to": before_end},
            after={"valid_to": containing.valid_to},
        )
    after = {"value": text, "valid_to": end, "source": source}
    if same is not None:
        if Decimal(same.value) != value or same.valid_to != end or same.source != source:
            before = {"value": same.value, "valid_to": same.valid_to, "source": same.source}
            same.value, same.valid_to, same.source, same.recorded_at = text, end, source, stamp
            record_change(
                session=session,
                entity="key_letter_value",
                key=f"{index_code} {valid_from}",
                action="update",
                before=before,
                after=after,
            )
    else:
        session.add(
            KeyLetterValue(
                index_code=index_code,
                valid_from=valid_from,
                valid_to=end,
                value=text,
                source=source,
                recorded_at=stamp,
            )
        )
        record_change(
            session=session,
            entity="key_letter_value",
            key=f"{index_code} {valid_from}",
            action="insert",
            after=after,
        )
    session.flush()
    using = _codes_using(session).get(index_code, [])
    return KeyLetterLine(index_code, valid_from, end, value, source, tuple(using))


# ---------------------------------------------------------------- indexation


@dataclass(frozen=True)
class IndexSummary:
    """What an indexation did (or would do)."""

    indexed: int
    skipped: int
    key_values: tuple[str, ...]
    diff: tuple[str, ...]
    warnings: tuple[str, ...]
    rule: str = INDEXATION_RULE


def index_tariffs(
    *,
    session: Session,
    rate: Decimal,
    from_: date,
    article: str | None = None,
    dry_run: bool = False,
) -> IndexSummary:
    """Index every tariff in force on *from_* (of an article) by *rate* percent.

    The current period ends the day before and a new one starts on *from_* with the fee and
    each reimbursement multiplied and rounded by ``INDEXATION_RULE`` (source "indexation D
    PCT"). Fees built from key-letter terms get new index values instead.
    """
    acts = _load_acts(session)
    codes = [c for c, a in acts.items() if article is None or a.article == article]
    current = _load_tariffs(session, codes=codes if len(codes) <= 5 * _CHUNK else None)
    source = f"indexation {from_.isoformat()} {format(rate, 'f')} %"
    specs: list[TariffSpec] = []
    warnings: list[str] = []
    indexes: set[str] = set()
    skipped = 0
    for code in codes:
        for stored in current.get(code, ()):
            if not stored.period().contains(from_):
                continue
            if stored.valid_from == from_:
                skipped += 1
                warnings.append(f"{code}: its tariff already starts on {from_} (not indexed)")
                continue
            fee = None if stored.fee is None else index_amount(stored.fee, rate)
            if stored.fee is None:
                indexes.update(t.index_code for t in parse_key_terms(acts[code].key_terms))
            specs.append(
                TariffSpec(
                    code,
                    from_,
                    stored.valid_to,
                    fee,
                    index_profiles(stored.profiles, rate),
                    source,
                    (0,),
                )
            )
    plan = _plan(
        specs,
        current,
        source_kind="indexation",
        default_source=source,
        batch_id=None,
        decision_id=None,
        correct=True,
        replace_same_start=False,
    )
    values = _load_key_values(session)
    key_changes: list[tuple[str, Decimal, Decimal]] = []
    using = _codes_using(session)
    for index_code in sorted(indexes):
        old = value_on(values.get(index_code, ()), from_)
        if old is None:
            raise NotFound(f"no value of key-letter index {index_code} on {from_} to index")
        key_changes.append((index_code, old, index_key_value(old, rate)))
        outside = [c for c in using.get(index_code, []) if c not in set(codes)]
        if outside:
            warnings.append(f"{index_code} is also used by {', '.join(outside)} (re-derived too)")
    if not dry_run:
        stamp = now()
        _supersede(session, plan.supersede, stamp)
        _insert_versions(session, plan.inserts, stamp)
        record_changes(session=session, changes=plan.audit)
        for index_code, _old, new in key_changes:
            set_key_letter(
                session=session, index_code=index_code, valid_from=from_, value=new, source=source
            )
    key_lines = tuple(f"{i} {old} -> {new} from {from_}" for i, old, new in key_changes)
    return IndexSummary(len(specs), skipped, key_lines, tuple(plan.diff), tuple(warnings))


# ---------------------------------------------------------------- diff


@dataclass(frozen=True)
class TariffChange:
    """A code whose tariff differs between two dates, per profile."""

    code: str
    profile: str
    old_fee: Decimal | None
    new_fee: Decimal | None
    old_reimbursement: Decimal | None
    new_reimbursement: Decimal | None


def diff_dates(*, session: Session, old: date, new: date) -> list[TariffChange]:
    """Codes whose fee or reimbursements differ between *old* and *new*."""
    index = load_reference(session=session)
    out: list[TariffChange] = []
    for code in index.codes():
        try:
            a = index.tariff_on(code, old)
            b = index.tariff_on(code, new)
        except NotFound:
            continue
        if a is None and b is None:
            continue
        ra = {p.label(): p.reimbursement for p in a.profiles} if a else {}
        rb = {p.label(): p.reimbursement for p in b.profiles} if b else {}
        fa = a.fee if a else None
        fb = b.fee if b else None
        if fa == fb and ra == rb:
            continue
        for label in sorted(set(ra) | set(rb)) or ["any"]:
            out.append(TariffChange(code, label, fa, fb, ra.get(label), rb.get(label)))
    return out


# ---------------------------------------------------------------- fixtures and checks


def _read_key_values(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [(reader.line_num, row) for row in reader]


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Load ``nomenclature.csv`` and ``key_letters.csv`` of *fixtures_dir* (idempotent)."""
    keys = fixtures_dir / "key_letters.csv"
    if keys.exists():
        for _line, row in _read_key_values(keys.read_bytes(), keys.name):
            set_key_letter(
                session=session,
                index_code=row["index_code"],
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                value=parse_decimal(row["value"], what="value"),
                source=row["source"],
            )
    path = fixtures_dir / "nomenclature.csv"
    import_rows(
        session=session,
        rows=read_table(path.read_bytes(), path.name),
        filename=path.name,
        source_kind="fixture",
    )


def _check_fees_against_terms(session: Session) -> Iterable[str]:
    """An explicit fee that disagrees with the act's key-letter terms on its start date."""
    terms = _load_terms(session)
    if not terms:
        return
    values = _load_key_values(session)
    for code, stored in _load_tariffs(session, codes=list(terms)).items():
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
    t, k = _TARIFF.c, _VALUE.c
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
