"""The act columns of a tariff import: what it does to the stored acts (new acts, changed
ones), each bad act a ``(line, reason)`` problem; planned per batch of codes by
``_imports._Run``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.nomenclature import (
    ActFields,
    ActView,
    GroupedImport,
    format_key_terms,
)
from inami_cli.services.nomenclature._acts import validate_act


@dataclass
class ActChanges:
    """What an import does to the acts, and the acts as they stand after it."""

    after: dict[str, ActView]
    new: list[ActView] = field(default_factory=list)
    updates: list[tuple[ActView, ActView]] = field(default_factory=list)  # before, after
    changed_codes: set[str] = field(default_factory=set)

    def diff(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The dry-run lines of the acts added, and of those changed, with their codes."""
        added = [(a.code, f"add act {a.code} {a.label_fr}") for a in self.new]
        changed = [
            (
                after.code,
                f"update act {after.code}: "
                + ", ".join(
                    f"{k} {getattr(before, k)!r} -> {getattr(after, k)!r}"
                    for k in ActView.__dataclass_fields__
                    if getattr(before, k) != getattr(after, k)
                ),
            )
            for before, after in self.updates
        ]
        return added, changed


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


def plan_acts(
    grouped: GroupedImport,
    codes: set[str],
    stored: dict[str, ActView],
    problems: list[tuple[int, str]],
) -> ActChanges:
    """The acts of *codes* an import creates or changes; a bad act is a problem.

    *stored* (every act, by code) becomes the acts as they will stand (``after``); the
    warnings of the new codes are the caller's (``_Run.finish``: they read every act).
    """
    changes = ActChanges(after=stored)
    acts = changes.after
    first_line = {spec.code: spec.lines[0] for spec in reversed(grouped.tariffs)}
    for code in sorted(codes):
        fields = grouped.acts.get(code, ActFields())
        known = acts.get(code)
        line = grouped.act_lines.get(code) or first_line.get(code, 0)
        after, changed = _act_changes(fields, known)
        if known is None:
            if not changed.get("label_fr") or not changed.get("label_nl"):
                problems.append(
                    (line, f"unknown code {code}: give label_fr and label_nl to create it")
                )
                continue
            after = ActView(code=code, **changed)
            try:
                validate_act(after)
            except InvalidInput as exc:
                problems.append((line, exc.message))
                continue
            changes.new.append(after)
            changes.changed_codes.add(code)
        elif changed:
            assert after is not None
            try:
                validate_act(after)
            except InvalidInput as exc:
                problems.append((line, exc.message))
                continue
            changes.updates.append((known, after))
            changes.changed_codes.add(code)
        if after is not None:
            acts[code] = after
    for spec in grouped.tariffs:
        act = acts.get(spec.code)
        if spec.fee is None and act is not None and not act.key_terms:
            problems.append((spec.lines[0], f"{spec.code}: no fee and no key_terms"))
    return changes
