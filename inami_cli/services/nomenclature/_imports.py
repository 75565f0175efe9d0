"""The tariff import: rows of the import columns to acts and tariff versions, all or nothing.

The path, in the order it runs: every row parsed (``TariffRowParser``), rows grouped into
tariff periods (``group_rows``), the act columns compared with the stored acts, open
periods closed and the new periods planned against the stored ones (``plan_versions``);
then either every problem reported at once, or everything written in bulk: the import
batch, the acts, the tariff versions (two executemany statements), the audit rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session

from inami_cli.db.models import ImportBatch
from inami_cli.domain.errors import FileErrors, InvalidInput, file_problems
from inami_cli.domain.nomenclature import (
    ActFields,
    ActView,
    GroupedImport,
    TariffRow,
    TariffRowParser,
    close_open_periods,
    code_warnings,
    format_key_terms,
    group_rows,
    pair_warnings,
    parse_key_terms,
)
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.services.bulkio import gc_paused, sqlite_bulk_cache
from inami_cli.services.nomenclature._acts import (
    act_values,
    audit_act,
    validate_act,
    write_terms,
)
from inami_cli.services.nomenclature._files import ImportTable
from inami_cli.services.nomenclature._store import ACT, CHUNK, TERM, load_acts, load_tariffs
from inami_cli.services.nomenclature._tariffs import AuditChange, Plan, plan_versions


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
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    """Import tariff rows (the ``import`` columns), all or nothing.

    Every bad row is reported as ``FILE:LINE: reason`` in one ``FileErrors`` and nothing is
    written. Re-importing the same rows changes nothing. An open period ends the day before
    the next period of its code; an overlap with another recorded period is refused unless
    *correct* (the overlapped versions are kept as superseded). *sha256* identifies the file
    in the import batch (computed from the rows when not given). *progress* hears the rows
    read so far and their total when known, every 1 024 rows.
    """
    with gc_paused(), sqlite_bulk_cache(session):
        # (a function of its own: the hundreds of thousands of objects of a large import
        # are freed when it returns, before the collector resumes and would scan them)
        return _import(
            session=session,
            rows=rows,
            filename=filename,
            source_kind=source_kind,
            source=source,
            decision_id=decision_id,
            dry_run=dry_run,
            correct=correct,
            sha256=sha256,
            progress=progress,
        )


def _import(
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
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    digest = hashlib.sha256()
    parsed, problems = _parse_rows(
        rows, filename, digest.update if sha256 is None else None, progress
    )
    grouped = group_rows(parsed)
    problems.extend(grouped.problems)
    codes = {spec.code for spec in grouped.tariffs} | set(grouped.acts)
    acts = _plan_acts(grouped, codes, load_acts(session), problems)

    current = load_tariffs(session, codes=codes if len(codes) <= 5 * CHUNK else None)
    later = {code: [s.valid_from for s in stored] for code, stored in current.items()}
    specs = close_open_periods(grouped.tariffs, later)
    plan = plan_versions(
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
        # only overlaps with recorded periods: exit 4, as set-tariff (README, exit codes)
        raise file_problems(
            [f"{filename}:{line}: {reason}" for line, reason in problems],
            sum(1 for *_, conflict in plan.problems if conflict),
        )

    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for spec in specs:
        status = plan.status[(spec.code, spec.valid_from)]
        if status == "unchanged" and spec.code in acts.changed_codes:
            status = "updated"
        counts[status] += len(spec.lines)
    summary = ImportSummary(
        counts["inserted"],
        counts["updated"],
        counts["unchanged"],
        0,
        tuple(acts.diff() + plan.diff),
        tuple(acts.warnings),
        None,
        dry_run,
    )
    if dry_run or (not plan.inserts and not acts.new and not acts.updates):
        return summary
    batch_id = _write(
        session,
        summary,
        acts,
        plan,
        filename=filename,
        sha256=sha256 or digest.hexdigest(),
    )
    return replace(summary, batch_id=batch_id)


def _cells_of(
    rows: Iterable[tuple[int, Mapping[str, str]]],
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Rows as ``(line, header, cells + [""])``: straight from an ``ImportTable``."""
    if isinstance(rows, ImportTable):
        return rows.cells()  # no generator layered on the table's own
    return ((line, tuple(row), [*row.values(), ""]) for line, row in rows)


def _parse_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    filename: str,
    digest: Callable[[bytes], object] | None,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[list[TariffRow], list[tuple[int, str]]]:
    """Every row parsed, and a ``(line, reason)`` problem per bad row.

    *digest* (when the caller has no digest of the file) is fed with each row.
    """
    parser = TariffRowParser()
    parsed: list[TariffRow] = []
    problems: list[tuple[int, str]] = []
    count = 0
    total = (
        rows.rows_at_most
        if isinstance(rows, ImportTable)
        else (len(rows) if isinstance(rows, Sized) else None)
    )
    for line, header, cells in _cells_of(rows):
        count += 1
        if progress is not None and not count & 1023:
            progress(count, total)
        if digest is not None:
            digest(repr(sorted(dict(zip(header, cells[:-1], strict=True)).items())).encode())
        try:
            parsed.append(parser.parse(line, header, cells))
        except InvalidInput as exc:
            problems.append((line, exc.message))
    if count == 0:
        raise FileErrors([f"{filename}:1: no rows to import"])
    if progress is not None:
        progress(count, count)
    return parsed, problems


# ---------------------------------------------------------------- acts


@dataclass
class _ActChanges:
    """What an import does to the acts, and the acts as they stand after it."""

    after: dict[str, ActView]
    new: list[ActView] = field(default_factory=list)
    updates: list[tuple[ActView, ActView]] = field(default_factory=list)  # before, after
    changed_codes: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def diff(self) -> list[str]:
        """The dry-run lines of the acts added and changed."""
        lines = [f"add act {a.code} {a.label_fr}" for a in self.new]
        lines += [
            f"update act {after.code}: "
            + ", ".join(
                f"{k} {getattr(before, k)!r} -> {getattr(after, k)!r}"
                for k in ActView.__dataclass_fields__
                if getattr(before, k) != getattr(after, k)
            )
            for before, after in self.updates
        ]
        return lines


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


def _plan_acts(
    grouped: GroupedImport,
    codes: set[str],
    stored: dict[str, ActView],
    problems: list[tuple[int, str]],
) -> _ActChanges:
    """The acts of *codes* an import creates or changes; a bad act is a problem.

    *stored* (every act, by code) becomes the acts as they will stand (``after``).
    """
    changes = _ActChanges(after=stored)
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
            changes.warnings.extend(code_warnings(code))
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
    settings = {c: a.setting for c, a in acts.items()}
    for act in changes.new:
        changes.warnings.extend(pair_warnings(act.code, act.setting, settings))
    return changes


# ---------------------------------------------------------------- writing


def _write(
    session: Session,
    summary: ImportSummary,
    acts: _ActChanges,
    plan: Plan,
    *,
    filename: str,
    sha256: str,
) -> int:
    """Write what the import planned, with its batch and audit rows; the batch id."""
    stamp = now()
    batch = ImportBatch(
        kind="tariffs",
        filename=filename,
        sha256=sha256,
        at=stamp,
        operator=current_actor().operator,
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    if acts.new:
        session.execute(insert(ACT), [act_values(a) for a in acts.new])
        terms = [
            {
                "code": a.code,
                "position": i,
                "key_letter": t.key_letter,
                "index_code": t.index_code,
                "coefficient": format(t.coefficient, "f"),
            }
            for a in acts.new
            for i, t in enumerate(parse_key_terms(a.key_terms), 1)
        ]
        if terms:
            session.execute(insert(TERM), terms)
    for before, after in acts.updates:
        values = act_values(after)
        values.pop("code")
        session.execute(update(ACT).where(ACT.c.code == after.code).values(**values))
        if before.key_terms != after.key_terms:
            write_terms(session, after.code, parse_key_terms(after.key_terms))
    plan.write(session, stamp, batch_id=batch.id)
    audit: list[AuditChange] = [
        ("import_batch", str(batch.id), "insert", None, {"filename": filename, **summary.counts()}),
        *plan.audit,
        *(("act", a.code, "update", audit_act(b), audit_act(a)) for b, a in acts.updates),
    ]
    record_changes(session=session, changes=audit)
    return batch.id
