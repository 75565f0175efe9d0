"""Indexation of every tariff by a rate from a date, and the tariff differences between two
dates."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from inami_cli.domain.errors import NotFound
from inami_cli.domain.nomenclature import (
    INDEXATION_RULE,
    KeyTermSpec,
    KeyValue,
    TariffSpec,
    fee_from_terms,
    index_amount,
    index_key_value,
    index_profiles,
    keep_shares,
    normalise_article,
    parse_key_terms,
    value_on,
)
from inami_cli.domain.reimbursement import fixed_share_rule
from inami_cli.services.audit import now, record_changes
from inami_cli.services.nomenclature._key_letters import codes_using, set_key_letter
from inami_cli.services.nomenclature._reads import load_reference
from inami_cli.services.nomenclature._store import (
    CHUNK,
    load_acts,
    load_key_values,
    load_tariffs,
    resolve_article,
)
from inami_cli.services.nomenclature._tariffs import plan_versions


@dataclass(frozen=True)
class IndexSummary:
    """What an indexation did (or would do)."""

    indexed: int
    skipped: int
    key_values: tuple[str, ...]
    diff: tuple[str, ...]
    warnings: tuple[str, ...]
    rule: str = INDEXATION_RULE
    kept_shares: tuple[str, ...] = ()  # rows whose fixed personal shares were kept (R29)


def index_tariffs(
    *,
    session: Session,
    rate: Decimal,
    from_: date,
    article: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> IndexSummary:
    """Index every tariff in force on *from_* (of an article) by *rate* percent.

    The current period ends the day before and a new one starts on *from_* with the fee
    multiplied and rounded by ``INDEXATION_RULE`` (source "indexation D PCT"). Fees built
    from key-letter terms get new index values instead. Where a fixed personal share applies
    to the act's category on *from_* (``domain.reimbursement.FIXED_SHARES``), each profile's
    share is kept and the reimbursement absorbs the change (rules audit R29: 6.00 stays
    6.00); elsewhere each reimbursement is indexed like the fee. *progress* hears the codes done and
    their number.
    """
    acts = load_acts(session)
    key = resolve_article(session, article)
    codes = [c for c, a in acts.items() if key is None or normalise_article(a.article) == key]
    current = load_tariffs(session, codes=codes if len(codes) <= 5 * CHUNK else None)
    source = f"indexation {from_.isoformat()} {format(rate, 'f')} %"
    specs: list[TariffSpec] = []
    warnings: list[str] = []
    indexes: set[str] = set()
    skipped = 0
    kept: list[str] = []
    values = load_key_values(session)
    for done, code in enumerate(codes, 1):
        if progress is not None:
            progress(done, len(codes))  # throttled by the caller
        for stored in current.get(code, ()):
            if not stored.period().contains(from_):
                continue
            if stored.valid_from == from_:
                skipped += 1
                warnings.append(f"{code}: its tariff already starts on {from_} (not indexed)")
                continue
            fee = None if stored.fee is None else index_amount(stored.fee, rate)
            terms = parse_key_terms(acts[code].key_terms) if stored.fee is None else ()
            indexes.update(t.index_code for t in terms)
            profiles = index_profiles(stored.profiles, rate)
            rule = fixed_share_rule(acts[code].category, from_)
            if rule is not None and stored.profiles:
                old_fee, new_fee = _fees(code, stored.fee, terms, values, from_, rate)
                profiles = keep_shares(stored.profiles, old_fee, new_fee)
                shares = "; ".join(
                    f"{p.label()} {old_fee - p.reimbursement:.2f}" for p in stored.profiles
                )
                kept.append(f"{code} from {from_}: personal shares kept ({rule.name}): {shares}")
            specs.append(TariffSpec(code, from_, stored.valid_to, fee, profiles, source, (0,)))
    plan = plan_versions(
        specs,
        current,
        source_kind="indexation",
        default_source=source,
        batch_id=None,
        decision_id=None,
        correct=True,
        replace_same_start=False,
    )
    key_changes: list[tuple[str, Decimal, Decimal]] = []
    using = codes_using(session)
    for index_code in sorted(indexes):
        old = value_on(values.get(index_code, ()), from_)
        if old is None:
            raise NotFound(f"no value of key-letter index {index_code} on {from_} to index")
        key_changes.append((index_code, old, index_key_value(old, rate)))
        outside = [c for c in using.get(index_code, []) if c not in set(codes)]
        if outside:
            warnings.append(f"{index_code} is also used by {', '.join(outside)} (re-derived too)")
    if not dry_run:
        plan.write(session, now())
        record_changes(session=session, changes=plan.audit)
        for index_code, _old, new in key_changes:
            set_key_letter(
                session=session, index_code=index_code, valid_from=from_, value=new, source=source
            )
    key_lines = tuple(f"{i} {old} -> {new} from {from_}" for i, old, new in key_changes)
    return IndexSummary(
        len(specs), skipped, key_lines, tuple(plan.diff), tuple(warnings), kept_shares=tuple(kept)
    )


def _fees(
    code: str,
    fee: Decimal | None,
    terms: tuple[KeyTermSpec, ...],
    values: Mapping[str, Sequence[KeyValue]],
    from_: date,
    rate: Decimal,
) -> tuple[Decimal, Decimal]:
    """The fee before *from_* and the indexed fee (from key-letter values when no fee)."""
    if fee is not None:
        return fee, index_amount(fee, rate)
    before = from_ - timedelta(days=1)
    old_values: dict[str, Decimal] = {}
    for term in terms:
        value = value_on(values.get(term.index_code, ()), before)
        if value is None:
            raise NotFound(f"no value of key-letter index {term.index_code} on {before}")
        old_values[term.index_code] = value
    new_values = {k: index_key_value(v, rate) for k, v in old_values.items()}
    return (
        fee_from_terms(terms, old_values, code=code),
        fee_from_terms(terms, new_values, code=code),
    )


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
