"""Tariff periods over time: what new periods do to the recorded ones (the plan), and
``set-tariff``.

A new period closes the open period it starts in; an overlap with any other recorded
period is refused unless the caller corrects, which keeps of each overlapped version only
its days outside the new period. The plan only decides: it writes nothing, so an import can
report every problem, or a dry run every change, before anything is written.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inami_cli.domain.dates import OPEN_END, Period, format_period
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.money import from_cents
from inami_cli.domain.nomenclature import TariffSpec, close_open_periods, profile_key
from inami_cli.domain.tariffs import Profile, TariffView, check_profiles
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.services.nomenclature._reads import get_act, tariff_in_force
from inami_cli.services.nomenclature._store import Stored, load_tariffs
from inami_cli.services.nomenclature._versions import (
    NewVersion,
    cached_cents,
    copy_version,
    insert_versions,
    supersede,
)

AuditChange = tuple[str, str, str, Mapping[str, Any] | str | None, Mapping[str, Any] | str | None]
Version = Stored | NewVersion
_DAY = timedelta(days=1)


@dataclass
class Plan:
    """What a set of tariff specs does to the stored tariffs."""

    inserts: list[NewVersion] = field(default_factory=list)
    supersede: list[int] = field(default_factory=list)
    status: dict[tuple[str, date], str] = field(default_factory=dict)  # inserted, updated, ...
    diff: list[str] = field(default_factory=list)
    audit: list[AuditChange] = field(default_factory=list)
    problems: list[tuple[int, str, bool]] = field(default_factory=list)  # line, reason, conflict

    def write(self, session: Session, stamp: datetime, *, batch_id: int | None = None) -> None:
        """Supersede the versions replaced and insert the new ones (no audit)."""
        supersede(session, self.supersede, stamp)
        insert_versions(session, self.inserts, stamp, batch_id=batch_id)


def plan_versions(
    specs: Sequence[TariffSpec],
    current: Mapping[str, list[Stored]],
    *,
    source_kind: str,
    default_source: str,
    batch_id: int | None,
    decision_id: int | None,
    correct: bool,
    replace_same_start: bool,
    want_diff: bool = True,
) -> Plan:
    """Decide, per spec, insert / replace / unchanged, closing or trimming stored periods.

    *current* holds the stored versions of each code, oldest first. A spec starting the
    same day as a recorded period replaces it when *replace_same_start*; *want_diff* False
    leaves out the (long) diff lines of plain inserts.
    """
    plan = Plan()
    by_code: dict[str, list[TariffSpec]] = {}
    for spec in specs:
        by_code.setdefault(spec.code, []).append(spec)
    for code, code_specs in by_code.items():
        # the code's periods, oldest first: the stored ones, then as planned so far
        periods: list[Version] = list(current.get(code, ()))
        for spec in sorted(code_specs, key=lambda s: s.valid_from):
            new = _new_version(spec, source_kind, default_source, batch_id, decision_id)
            _plan_one(
                plan,
                new,
                spec.lines[0],
                periods,
                correct=correct,
                replace_same_start=replace_same_start,
                want_diff=want_diff,
            )
    return plan


def plan_first_versions(
    specs: Sequence[TariffSpec],
    *,
    source_kind: str,
    default_source: str,
    decision_id: int | None,
) -> Plan | None:
    """``plan_versions`` for codes with no stored tariff (a first import), without its
    diff lines: every period is a plain insert when no two periods of a code overlap, and
    that plan is built here without comparing each period with its code's others (issue
    19: the generic plan was ~0.4 s of a 200 000-row first import). None when two periods
    overlap: ``plan_versions`` then reports them as it always has.

    The same plan as ``plan_versions(..., batch_id=None, want_diff=False)`` with no stored
    versions: the inserts and audit rows by code in the order of the specs, each code's
    periods by start.
    """
    by_code: dict[str, list[TariffSpec]] = {}
    for spec in specs:
        by_code.setdefault(spec.code, []).append(spec)
    plan = Plan()
    status, inserts, audit = plan.status, plan.inserts, plan.audit
    for code, code_specs in by_code.items():
        if len(code_specs) > 1:
            code_specs.sort(key=_start)  # (stable, as plan_versions' sorted)
            for before, after in itertools.pairwise(code_specs):
                if before.valid_to is None or before.valid_to >= after.valid_from:
                    return None  # an overlap (or one start twice)
        for spec in code_specs:
            new = _new_version(spec, source_kind, default_source, None, decision_id)
            status[(code, spec.valid_from)] = "inserted"
            audit.append(
                ("tariff", f"{code} {spec.valid_from}", "insert", None, describe_json(new))
            )
            inserts.append(new)
    return plan


def _start(spec: TariffSpec) -> date:
    return spec.valid_from


def _new_version(
    spec: TariffSpec,
    source_kind: str,
    default_source: str,
    batch_id: int | None,
    decision_id: int | None,
) -> NewVersion:
    """The version a spec opens (written by this operation: ``fresh``)."""
    return NewVersion(
        spec.code,
        spec.valid_from,
        spec.valid_to,
        None if spec.fee is None else cached_cents(spec.fee),
        spec.profiles,
        spec.source or default_source,
        source_kind,
        batch_id,
        decision_id,
        fresh=True,
    )


def _plan_one(
    plan: Plan,
    new: NewVersion,
    line: int,
    periods: list[Version],
    *,
    correct: bool,
    replace_same_start: bool,
    want_diff: bool,
) -> None:
    """Plan one new version among the periods of its code (*periods* follows the plan)."""
    code = new.code
    key = (code, new.valid_from)
    same = _starting_on(periods, new.valid_from)
    if same is not None:
        if (
            same.valid_to == new.valid_to
            and same.fee_cents == new.fee_cents
            and profile_key(same.profiles) == profile_key(new.profiles)
        ):
            plan.status[key] = "unchanged"
            return
        if not replace_same_start:
            plan.problems.append(
                (
                    line,
                    f"{code} already has a tariff from {new.valid_from} "
                    "(use --correct to record a correction)",
                    True,
                )
            )
            return

    # each overlapped period and what remains of it
    changes: list[tuple[Version, list[NewVersion]]] = []
    conflicts: list[str] = []
    new_end = OPEN_END if new.valid_to is None else new.valid_to
    for old in periods:
        # Period.overlaps, written out: this runs once per stored or new period
        if old is same or old.valid_from > new_end or new.valid_from > (old.valid_to or OPEN_END):
            continue
        if old.valid_from < new.valid_from and old.valid_to is None:
            changes.append((old, [copy_version(old, valid_to=new.valid_from - _DAY)]))
        elif correct:
            changes.append((old, _outside(old, new)))
        else:
            conflicts.append(
                f"period {new.period()} of {code} overlaps the recorded period "
                f"{old.period()} (use --correct to record a correction)"
            )
    if conflicts:
        plan.problems.extend((line, reason, True) for reason in conflicts)
        return

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
        if isinstance(old, Stored):  # (a version planned here is not stored yet)
            plan.supersede.append(old.id)
        plan.inserts.extend(parts)
        periods.remove(old)
        periods.extend(parts)
        if old is same:
            continue  # audited below, as the update of this period
        kept = ", ".join(str(Period(p.valid_from, p.valid_to)) for p in parts)
        plan.diff.append(f"close {code} {old.period()} -> {kept or 'removed'}")
        plan.audit.append(
            (
                "tariff",
                f"{code} {old.valid_from}",
                "update",
                describe(old),
                {"superseded_by": [describe(p) for p in parts] or None},
            )
        )
    # The new period itself: every writer (set-tariff, import, indexation, decision) audits
    # what it opens, not only what it closes (issue 17).
    plan.audit.append(
        (
            "tariff",
            f"{code} {new.valid_from}",
            "insert" if same is None else "update",
            None if same is None else describe(same),
            describe_json(new),
        )
    )
    plan.inserts.append(new)
    # the usual case appends after the latest start: the list stays sorted (the sort is
    # stable, so equal starts keep their order either way)
    in_order = not changes and (not periods or periods[-1].valid_from <= new.valid_from)
    periods.append(new)
    if not in_order:
        periods.sort(key=lambda p: p.valid_from)


def _starting_on(periods: Sequence[Version], start: date) -> Version | None:
    """The first period starting on *start*, or None."""
    for period in periods:
        if period.valid_from == start:
            return period
    return None


def _outside(old: Version, new: NewVersion) -> list[NewVersion]:
    """What a correction keeps of an overlapped version: its days before and after *new*."""
    parts: list[NewVersion] = []
    if old.valid_from < new.valid_from:
        parts.append(copy_version(old, valid_to=new.valid_from - _DAY))
    if new.valid_to is not None and (old.valid_to is None or old.valid_to > new.valid_to):
        parts.append(copy_version(old, valid_from=max(old.valid_from, new.valid_to + _DAY)))
    return parts


def _money(cents: int | None) -> str:
    return "derived" if cents is None else format(from_cents(cents), "f")


def describe(v: Version) -> dict[str, Any]:
    """A version as the audit log records it."""
    return {
        "code": v.code,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "fee": None if v.fee_cents is None else from_cents(v.fee_cents),
        "profiles": {p.label(): p.reimbursement for p in v.profiles},
        "source": v.source,
    }


def describe_json(v: Version) -> str:
    """``describe(v)`` as the audit log stores it (money and dates as text): the text of
    ``json.dumps`` (``ensure_ascii=False``) of that dict, put together from pieces that
    recur (strings, fees, the profiles of a period): an import audits every period it
    opens, a hundred thousand of them for 200 000 rows (issue 19: 2.0 s of 14.8 under
    the profiler went to ``json.dumps``)."""
    valid_to = "null" if v.valid_to is None else f'"{v.valid_to.isoformat()}"'
    fee = "null" if v.fee_cents is None else _json_money(v.fee_cents)
    return (
        f'{{"code": {_json_text(v.code)}, "valid_from": "{v.valid_from.isoformat()}", '
        f'"valid_to": {valid_to}, "fee": {fee}, "profiles": {_json_profiles(v.profiles)}, '
        f'"source": {_json_text(v.source)}}}'
    )


@functools.lru_cache(maxsize=4096)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _json_money(cents: int) -> str:
    """The JSON text of ``format(from_cents(cents), "f")``, in integer arithmetic."""
    if cents < 0:
        return f'"{format(from_cents(cents), "f")}"'
    return f'"{cents // 100}.{cents % 100:02d}"'


def _json_profiles(profiles: tuple[Profile, ...]) -> str:
    """``json.dumps({label: amount text})`` of a period's profiles.

    Remembered by the profiles (immutable values): the periods of an import share the
    same few profiles and amounts, 26 000 distinct sets among 100 000 periods for 200 000
    rows (issue 19: 0.23 s of a first import went to writing them again)."""
    text = _PROFILES_JSON.get(profiles)
    if text is None:
        if len(_PROFILES_JSON) >= 1 << 16:  # (bounded: a set of profiles is a few dozen bytes)
            _PROFILES_JSON.clear()
        text = _PROFILES_JSON[profiles] = _profiles_text(profiles)
    return text


_PROFILES_JSON: dict[tuple[Profile, ...], str] = {}


def _profiles_text(profiles: tuple[Profile, ...]) -> str:
    labels = [
        _LABELS.get((p.regime, p.dmg, p.age_from, p.age_to, p.chronic)) or _json_label(p)
        for p in profiles
    ]
    if len(labels) > 1 and len(set(labels)) < len(labels):  # a label twice: the last wins
        return json.dumps(
            {p.label(): format(p.reimbursement, "f") for p in profiles}, ensure_ascii=False
        )
    pieces = [f'{label}: "{p.reimbursement:f}"' for label, p in zip(labels, profiles, strict=True)]
    return "{" + ", ".join(pieces) + "}"


# The JSON text of a profile's label, by its dimensions: a handful recur.
_LABELS: dict[tuple[object, ...], str] = {}


def _json_label(profile: Profile) -> str:
    dimensions = (profile.regime, profile.dmg, profile.age_from, profile.age_to, profile.chronic)
    if len(_LABELS) >= 4096:  # (bounded: an import has a few dozen)
        _LABELS.clear()
    label = _LABELS[dimensions] = _json_text(profile.label())
    return label


def _profile_diff(old: Sequence[Profile], new: Sequence[Profile]) -> str:
    before = {p.label(): p.reimbursement for p in old}
    after = {p.label(): p.reimbursement for p in new}
    parts = []
    for label in sorted(set(before) | set(after)):
        if before.get(label) != after.get(label):
            parts.append(f"{label} {before.get(label, '-')} -> {after.get(label, '-')}")
    return ("; " + ", ".join(parts)) if parts else ""


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
    dry_run: bool = False,
) -> TariffView:
    """Record a new tariff period for *code*.

    An open previous period ends the day before; an overlap with a closed period (or a
    period starting the same day) is refused with ``Conflict`` unless *correct*, which
    records a correction and keeps the earlier versions. With *dry_run* the period is
    written in a savepoint, read back and undone: the view is what would be recorded.
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
    current = load_tariffs(session, codes=[act.code])
    later = {act.code: [s.valid_from for s in current.get(act.code, [])]}
    spec = TariffSpec(act.code, valid_from, valid_to, fee, tuple(profiles), source, (0,))
    (spec,) = close_open_periods([spec], later) if valid_to is None else [spec]
    plan = plan_versions(
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
    savepoint = session.begin_nested() if dry_run else None
    if plan.status[(act.code, valid_from)] != "unchanged":
        plan.write(session, now())
        record_changes(session=session, changes=plan.audit)
    view = tariff_in_force(session=session, code=act.code, on=valid_from)
    if savepoint is not None:
        savepoint.rollback()
    assert view is not None
    return view
