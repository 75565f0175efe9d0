"""The stored nomenclature read into plain records: acts, their key-letter terms, tariff
versions with their profiles, key-letter values. One query per table (per chunk of codes),
never one per row; the other modules of the package build on these loaders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.sql import ColumnElement

from inami_cli.db.tables import committees, nomenclature
from inami_cli.domain.dates import Period
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import from_cents
from inami_cli.domain.nomenclature import (
    ActView,
    KeyTermSpec,
    KeyValue,
    TariffRecord,
    format_key_terms,
    normalise_article,
)
from inami_cli.domain.tariffs import Profile
from inami_cli.services.bulkio import SharedDates, driver_rows

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader as Session

# The generated Core tables: reading imports no SQLModel (issue 19); writers use ``_tables``
ACT: Table = nomenclature.act
TARIFF: Table = nomenclature.tariff
PROFILE: Table = nomenclature.tariff_profile
TERM: Table = nomenclature.key_term
VALUE: Table = nomenclature.key_letter_value
DECISION: Table = committees.decision
CHUNK = 900  # SQLite's bound-parameter limit is generous since 3.32, old builds: 999


# ---------------------------------------------------------------- acts


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


ACT_COLUMNS = (
    ACT.c.code,
    ACT.c.label_fr,
    ACT.c.label_nl,
    ACT.c.article,
    ACT.c.category,
    ACT.c.setting,
    ACT.c.valid_from,
    ACT.c.valid_to,
    ACT.c.min_age,
    ACT.c.max_age,
    ACT.c.max_per_period,
    ACT.c.frequency_period,
    ACT.c.not_combinable_with,
    ACT.c.prerequisite,
    ACT.c.source,
)


def load_terms(
    session: Session, code: str | None = None, *, codes: Sequence[str] | None = None
) -> dict[str, tuple[KeyTermSpec, ...]]:
    """The key-letter terms of every act (or of *code*, or of *codes*), in their order."""
    query = select(TERM.c.code, TERM.c.index_code, TERM.c.coefficient).order_by(
        TERM.c.code, TERM.c.position
    )
    if code is not None:
        query = query.where(TERM.c.code == code)
    if codes is not None:
        query = query.where(TERM.c.code.in_(codes))
    terms: dict[str, list[KeyTermSpec]] = {}
    for c, index_code, coefficient in session.execute(query):
        terms.setdefault(c, []).append(KeyTermSpec(index_code, Decimal(coefficient)))
    return {c: tuple(t) for c, t in terms.items()}


def load_act(session: Session, code: str) -> ActView | None:
    """The act of *code* with its key terms, or None."""
    row = session.execute(select(*ACT_COLUMNS).where(ACT.c.code == code)).first()
    if row is None:
        return None
    return _act_view(row, load_terms(session, code).get(code, ()))


def load_acts(session: Session, codes: Iterable[str] | None = None) -> dict[str, ActView]:
    """Every act (or those of *codes*), by code."""
    if codes is None:
        terms = load_terms(session)
        return {
            row.code: _act_view(row, terms.get(row.code, ()))
            for row in session.execute(select(*ACT_COLUMNS))
        }
    wanted = sorted(set(codes))
    acts: dict[str, ActView] = {}
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        found = list(session.execute(select(*ACT_COLUMNS).where(ACT.c.code.in_(chunk))))
        if found:
            terms = load_terms(session, codes=chunk)
            acts.update((row.code, _act_view(row, terms.get(row.code, ()))) for row in found)
    return acts


def _article_order(article: str) -> tuple[int, str]:
    digits = article[: len(article) - len(article.lstrip("0123456789"))]
    return (int(digits) if digits else 1 << 30, article)


def resolve_article(session: Session, article: str | None) -> str | None:
    """The article key of *article* (``14 a`` is ``14a``), or exit 2 listing the known ones.

    None stays None (every article).
    """
    if article is None:
        return None
    key = normalise_article(article)
    known = sorted(
        {normalise_article(a) for (a,) in session.execute(select(ACT.c.article).distinct()) if a},
        key=_article_order,
    )
    if key not in known:
        raise InvalidInput(
            f"--article {article!r}: no code of that article; known articles: "
            + (", ".join(known) or "none (import the nomenclature first)")
        )
    return key


# ---------------------------------------------------------------- tariffs


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
class Stored:
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
        return [TARIFF.c.superseded_at.is_(None)]
    cutoff = _cutoff(as_recorded_on)
    return [
        TARIFF.c.recorded_at < cutoff,
        (TARIFF.c.superseded_at.is_(None)) | (TARIFF.c.superseded_at >= cutoff),
    ]


def in_force_on(day: date) -> list[ColumnElement[bool]]:
    """The conditions of a tariff period containing *day* (for ``load_tariffs(extra=)``)."""
    return [
        TARIFF.c.valid_from <= day,
        TARIFF.c.valid_to.is_(None) | (TARIFF.c.valid_to >= day),
    ]


def load_tariffs(
    session: Session,
    *,
    codes: Iterable[str] | None = None,
    as_recorded_on: date | None = None,
    all_versions: bool = False,
    extra: Sequence[ColumnElement[bool]] = (),
) -> dict[str, list[Stored]]:
    """Tariff versions (current ones unless told) with profiles: two queries per code chunk."""
    conditions: list[ColumnElement[bool]] = [] if all_versions else _version_filter(as_recorded_on)
    conditions.extend(extra)
    chunks: list[list[str] | None]
    if codes is None:
        chunks = [None]
    else:
        wanted = sorted(set(codes))
        chunks = [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)]
    cache = _ProfileCache()
    out: dict[str, list[Stored]] = {}
    for chunk in chunks:
        where = list(conditions)
        if chunk is not None:
            where.append(TARIFF.c.code.in_(chunk))
        profiles: dict[int, list[Profile]] = {}
        p = PROFILE.c
        for tid, regime, dmg, age_from, age_to, chronic, cents in session.execute(
            select(
                p.tariff_id, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, p.reimbursement_cents
            )
            .join(TARIFF, TARIFF.c.id == p.tariff_id)
            .where(*where)
            .order_by(p.id)
        ):
            profiles.setdefault(tid, []).append(
                cache.get(regime, dmg, age_from, age_to, chronic, cents)
            )
        t = TARIFF.c
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
                DECISION.c.number,
                t.recorded_at,
                t.superseded_at,
            )
            .outerjoin(DECISION, DECISION.c.id == t.decision_id)
            .where(*where)
            .order_by(t.code, t.valid_from, t.id)
        )
        for (
            tid,
            code,
            valid_from,
            valid_to,
            fee_cents,
            source,
            source_kind,
            batch_id,
            decision_id,
            decision_number,
            recorded_at,
            superseded_at,
        ) in session.execute(query):
            out.setdefault(code, []).append(
                Stored(
                    tid,
                    code,
                    valid_from,
                    valid_to,
                    fee_cents,
                    tuple(profiles.get(tid, ())),
                    source,
                    source_kind,
                    batch_id,
                    decision_id,
                    decision_number,
                    recorded_at,
                    superseded_at,
                )
            )
    return out


def load_current_records(session: Session) -> list[TariffRecord]:
    """Every current tariff version as a ``TariffRecord``, for the batches' reference.

    The same versions and profiles as ``load_tariffs(session)``, read straight from the
    driver (``bulkio.driver_rows``): a hundred thousand versions through SQLAlchemy's
    result rows and ``Stored`` objects took 2.6 s of a batch's serial start-up (issue 19).
    Dates, fees and profiles are shared between the records that have the same ones.
    """
    where = _version_filter(None)
    days = SharedDates()
    fees: dict[int | None, Decimal | None] = {None: None}
    made: dict[tuple[Any, ...], Profile] = {}  # most tariffs share a handful of profiles
    profiles: dict[int, list[Profile]] = {}
    p = PROFILE.c
    for row in driver_rows(
        session,
        select(p.tariff_id, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, p.reimbursement_cents)
        .join(TARIFF, TARIFF.c.id == p.tariff_id)
        .where(*where)
        .order_by(p.id),
    ):
        profile = made.get(key := row[1:])
        if profile is None:
            regime, dmg, age_from, age_to, chronic, cents = key
            profile = made[key] = Profile(
                from_cents(cents), regime, None if dmg is None else bool(dmg), age_from, age_to,
                None if chronic is None else bool(chronic),
            )  # fmt: skip
        profiles.setdefault(row[0], []).append(profile)
    t = TARIFF.c
    out: list[TariffRecord] = []
    for tid, code, valid_from, valid_to, fee_cents, source, source_kind, number in driver_rows(
        session,
        select(
            t.id, t.code, t.valid_from, t.valid_to, t.fee_cents, t.source, t.source_kind,
            DECISION.c.number,
        )
        .outerjoin(DECISION, DECISION.c.id == t.decision_id)
        .where(*where)
        .order_by(t.code, t.valid_from, t.id),
    ):  # fmt: skip
        fee = fees.get(fee_cents)
        if fee is None and fee_cents is not None:
            fee = fees[fee_cents] = from_cents(fee_cents)
        out.append(
            TariffRecord(
                tid, code, days[valid_from], days[valid_to], fee, tuple(profiles.pop(tid, ())),
                source, source_kind, number,
            )
        )  # fmt: skip
    return out


# ---------------------------------------------------------------- key letters


def load_key_values(session: Session) -> dict[str, list[KeyValue]]:
    """Every key-letter value, by index, oldest first."""
    k = VALUE.c
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
