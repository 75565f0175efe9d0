"""Acts: add, update and retire a code (its labels, rules and key-letter terms)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from inami_cli.db.models import Act
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.nomenclature import (
    CATEGORIES,
    SETTINGS,
    ActView,
    KeyTermSpec,
    check_act_rules,
    code_warnings,
    pair_warnings,
    parse_key_terms,
    search_text,
    validate_code,
)
from inami_cli.services.audit import now, record_change
from inami_cli.services.nomenclature._reads import get_act
from inami_cli.services.nomenclature._store import load_tariffs
from inami_cli.services.nomenclature._tables import ACT, TERM
from inami_cli.services.nomenclature._versions import copy_version, insert_versions, supersede


def act_values(view: ActView) -> dict[str, Any]:
    """The ``act`` row of *view*."""
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


def audit_act(view: ActView) -> dict[str, Any]:
    """*view* as the audit log records an act."""
    data = act_values(view)
    data.pop("search_text")
    data.pop("updated_at")
    data["key_terms"] = view.key_terms
    return data


def validate_act(view: ActView) -> None:
    """Refuse an act with a bad code, labels, dates, category, setting or rules."""
    validate_code(view.code)
    if not view.label_fr.strip() or not view.label_nl.strip():
        raise InvalidInput(f"code {view.code}: label_fr and label_nl are required")
    if view.valid_from and view.valid_to and view.valid_to < view.valid_from:
        raise InvalidInput(f"code {view.code}: valid_to {view.valid_to} is before valid_from")
    if view.category not in CATEGORIES:
        raise InvalidInput(f"category {view.category!r}: expected one of {', '.join(CATEGORIES)}")
    if view.setting not in SETTINGS:
        raise InvalidInput(f"setting {view.setting!r}: expected ambulatory, hospitalised or any")
    check_act_rules(view.min_age, view.max_age, view.max_per_period, view.frequency_period)
    for other in view.not_combinable_with:
        validate_code(other, what="not_combinable_with")
    if view.key_terms:
        parse_key_terms(view.key_terms)


def write_terms(session: Session, code: str, terms: Sequence[KeyTermSpec]) -> None:
    """Replace the key-letter terms of *code*."""
    session.execute(delete(TERM).where(TERM.c.code == code))
    if terms:
        session.execute(
            insert(TERM),
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
        for row in session.execute(select(ACT.c.code, ACT.c.setting).where(ACT.c.code.in_(near)))
    )


@dataclass(frozen=True)
class ActResult:
    """An act written, with the warnings raised (check digit, pair)."""

    act: ActView
    warnings: tuple[str, ...]


def add_act(*, session: Session, act: ActView) -> ActResult:
    """Create an act; ``Conflict`` when the code exists."""
    validate_act(act)
    if session.get(Act, act.code) is not None:
        raise Conflict(f"code {act.code} already exists", hint="inami nomenclature update")
    session.execute(insert(ACT), [act_values(act)])
    write_terms(session, act.code, parse_key_terms(act.key_terms))
    record_change(
        session=session, entity="act", key=act.code, action="insert", after=audit_act(act)
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
    validate_act(after)
    if after == before:
        return ActResult(after, ())
    values = act_values(after)
    values.pop("code")
    session.execute(update(ACT).where(ACT.c.code == before.code).values(**values))
    if after.key_terms != before.key_terms:
        write_terms(session, after.code, parse_key_terms(after.key_terms))
    record_change(
        session=session,
        entity="act",
        key=after.code,
        action="update",
        before=audit_act(before),
        after=audit_act(after),
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
    stored = load_tariffs(session, codes=[act.code]).get(act.code, [])
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
            supersede(session, [s.id], stamp)
            insert_versions(session, [copy_version(s, valid_to=end)], stamp)
            record_change(
                session=session,
                entity="tariff",
                key=f"{s.code} {s.valid_from}",
                action="update",
                before={"valid_to": s.valid_to},
                after={"valid_to": end},
            )
    return update_act(session=session, code=act.code, changes={"valid_to": end})
