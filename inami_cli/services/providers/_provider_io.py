"""``inami provider import`` and ``export``: the register as one CSV (or JSON) file.

Columns: ``nihii, profession, last_name, first_name, valid_from, valid_to,
accredited_from, accredited_to, street, postcode, city, region``. A row carries a
provider (names, profession) and optionally one qualification period (the number's last
3 digits from ``valid_from``), one accreditation period and one address; a provider with
several periods takes several rows. The import is all or nothing and idempotent (keys:
the 8-digit root; root and ``valid_from``; root and ``accredited_from``; root and the
address). ``export`` writes the same columns, so an export imports back unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import (
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.domain import providers as rules
from inami_cli.domain.dates import format_period, parse_date
from inami_cli.domain.errors import FileConflicts, FileErrors, InvalidInput
from inami_cli.services.audit import record_changes
from inami_cli.services.providers._adherence import profession_change_conflict
from inami_cli.services.providers._common import (
    _ACC,
    _ADDR,
    _PRO,
    _QUAL,
    profession_digit_warning,
    unknown_qualification_warning,
)
from inami_cli.services.providers._imports import (
    Change,
    ImportReport,
    Source,
    finish_batch,
    new_batch,
)
from inami_cli.tabular import Columns

PROVIDER_COLUMNS = Columns(
    required=("nihii", "profession", "last_name"),
    optional=(
        "first_name", "valid_from", "valid_to", "accredited_from", "accredited_to", "street",
        "postcode", "city", "region",
    ),
    aliases={"riziv": "nihii", "inami": "nihii", "nom": "last_name", "naam": "last_name"},
)  # fmt: skip
EXPORT_COLUMNS = PROVIDER_COLUMNS.known

Audit = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]


def _day(text: str | None, what: str) -> date | None:
    value = (text or "").strip()
    return parse_date(value, what=what) if value else None


def _overlaps(periods: list[tuple[date, date | None, str]]) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for periods sharing a day; *where* is the file's line (a stored
    period is named as such)."""
    periods.sort(key=lambda p: p[0])
    for (s1, e1, w1), (s2, e2, w2) in itertools.pairwise(periods):
        if e1 is None or e1 >= s2:
            where, other = (w2, w1) if w2 != "stored" else (w1, w2)
            yield where, f"{format_period(s2, e2)} overlaps {format_period(s1, e1)} ({other})"


def import_providers(
    *,
    session: Session,
    binary: IO[bytes],
    filename: str,
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> ImportReport:
    """Import providers and their periods, all or nothing, idempotent (see the module)."""
    src = Source(binary, filename, PROVIDER_COLUMNS, encoding)
    problems: list[str] = []
    warnings: dict[str, None] = {}
    people: dict[str, dict[str, Any]] = {}
    quals: dict[tuple[str, date], tuple[str, date | None, int]] = {}
    accs: dict[tuple[str, date], tuple[date | None, int]] = {}
    addrs: dict[tuple[str, str, str, str], tuple[str, int]] = {}
    for line, rec in src.table.records():
        where = f"{filename}:{line}"
        try:
            parsed = rules.parse_nihii(rec["nihii"])
            assert parsed.qualification is not None
            job = rules.check_profession(rec["profession"])
            last = rec["last_name"].strip()
            if not last:
                raise InvalidInput("last_name is empty")
            person = {"profession": job, "last_name": last,
                      "first_name": rec.get("first_name", "").strip()}  # fmt: skip
            known = people.get(parsed.root)
            if known is not None and {k: known[k] for k in person} != person:
                raise InvalidInput(
                    f"provider {parsed.formatted}: names or profession differ from line "
                    f"{known['line']}"
                )
            for text in (*parsed.warnings(), profession_digit_warning(parsed, job)):
                if text:
                    warnings[f"{where}: {text}"] = None
            start = _day(rec.get("valid_from"), "valid_from")
            end = _day(rec.get("valid_to"), "valid_to")
            acc_start = _day(rec.get("accredited_from"), "accredited_from")
            acc_end = _day(rec.get("accredited_to"), "accredited_to")
            region = rec.get("region", "").strip()
            if start is None and end is not None:
                raise InvalidInput("valid_to without valid_from")
            if acc_start is None and acc_end is not None:
                raise InvalidInput("accredited_to without accredited_from")
            for a, b, name in ((start, end, "valid_to"), (acc_start, acc_end, "accredited_to")):
                if a is not None and b is not None and b < a:
                    raise InvalidInput(f"{name} {b} is before its start {a}")
            address = (rec.get("street", ""), rec.get("postcode", ""), rec.get("city", ""))
            if any(p.strip() for p in address) and not region:
                raise InvalidInput("an address needs a region")
            checked_region = rules.check_region(region) if region else ""
        except InvalidInput as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if known is None:
            people[parsed.root] = {**person, "line": line}
        if start is not None:
            if (parsed.root, start) in quals:
                problems.append(f"{where}: qualification from {start} repeats line "
                                f"{quals[(parsed.root, start)][2]}")  # fmt: skip
            quals[(parsed.root, start)] = (parsed.qualification, end, line)
            text = unknown_qualification_warning(job, parsed.qualification)
            if text:
                warnings[f"{where}: {text}"] = None
        if acc_start is not None:
            accs[(parsed.root, acc_start)] = (acc_end, line)
        if checked_region:
            street, postcode, city = (p.strip() for p in address)
            addrs[(parsed.root, street, postcode, city)] = (checked_region, line)
    if problems:
        raise FileErrors(problems)

    stored_people = {p.nihii: p for p in session.execute(select(Provider)).scalars()}
    stored_quals = {
        (q.nihii, q.valid_from): q for q in session.execute(select(ProviderQualification)).scalars()
    }
    stored_accs = {
        (a.nihii, a.valid_from): a for a in session.execute(select(ProviderAccreditation)).scalars()
    }
    stored_addrs = {
        (a.nihii, a.street, a.postcode, a.city): a
        for a in session.execute(select(ProviderAddress)).scalars()
    }
    conflicts: list[str] = []
    for root, person in people.items():
        old = stored_people.get(root)
        if old is not None:
            said = profession_change_conflict(session, root, old.profession, person["profession"])
            if said is not None:
                conflicts.append(f"{filename}:{person['line']}: {said}")
    mine_q = {k: (v[1], v[2]) for k, v in quals.items()}
    checks: tuple[tuple[str, dict[tuple[str, date], tuple[date | None, int]], dict[Any, Any]], ...]
    checks = (("qualification", mine_q, stored_quals), ("accreditation", accs, stored_accs))
    for label, mine, theirs in checks:
        by_root: dict[str, list[tuple[date, date | None, str]]] = {}
        for (root, start), (end_day, at_line) in mine.items():
            by_root.setdefault(root, []).append((start, end_day, f"{filename}:{at_line}"))
        for (root, start), row in theirs.items():
            if root in by_root and (root, start) not in mine:
                by_root[root].append((start, row.valid_to, "stored"))
        for root, periods in by_root.items():
            for where, text in _overlaps(periods):
                conflicts.append(f"{where}: {label} of {rules.format_nihii(root)} {text}")
    if conflicts:
        raise FileConflicts(sorted(set(conflicts)))

    batch: list[int] = []  # the import batch, made with the first change (none: no batch)

    def batch_id() -> int:
        if not batch:
            batch.append(new_batch(session, "providers", src))
        return batch[0]

    source = f"import {Path(filename).name}"
    changes: list[Change] = []
    audit: list[Audit] = []
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}

    def note(action: str, entity: str, key: str, before: Any, after: dict[str, Any]) -> None:
        counts["inserted" if action == "insert" else "updated"] += 1
        detail = ", ".join(f"{k}={v}" for k, v in after.items())
        changes.append(Change(action, entity, key, detail))
        audit.append((entity, key, action, before, after))

    for root, person in people.items():
        values_p: dict[str, Any] = {k: person[k] for k in ("profession", "last_name", "first_name")}
        old = stored_people.get(root)
        if old is None:
            note("insert", "provider", root, None, values_p)
            if not dry_run:
                session.add(Provider(nihii=root, source=source, batch_id=batch_id(), **values_p))
        elif {k: getattr(old, k) for k in values_p} != values_p:
            note("update", "provider", root, {k: getattr(old, k) for k in values_p}, values_p)
            if not dry_run:
                for k, v in values_p.items():
                    setattr(old, k, v)
        else:
            counts["unchanged"] += 1
    if not dry_run:
        session.flush()
    for (root, start), (code, end, _line) in quals.items():
        key = f"{root} {start}"
        values: dict[str, Any] = {"code": code, "valid_from": start, "valid_to": end}
        q = stored_quals.get((root, start))
        if q is None:
            note("insert", "provider_qualification", key, None, values)
            if not dry_run:
                session.add(ProviderQualification(nihii=root, source=source, batch_id=batch_id(),
                                                  **values))  # fmt: skip
        elif (q.code, q.valid_to) != (code, end):
            before = {"code": q.code, "valid_from": start, "valid_to": q.valid_to}
            note("update", "provider_qualification", key, before, values)
            if not dry_run:
                q.code, q.valid_to = code, end
        else:
            counts["unchanged"] += 1
    for (root, start), (end, _line) in accs.items():
        key = f"{root} {start}"
        values_a: dict[str, Any] = {"valid_from": start, "valid_to": end}
        a = stored_accs.get((root, start))
        if a is None:
            note("insert", "provider_accreditation", key, None, values_a)
            if not dry_run:
                session.add(ProviderAccreditation(nihii=root, source=source, batch_id=batch_id(),
                                                  **values_a))  # fmt: skip
        elif a.valid_to != end:
            note("update", "provider_accreditation", key, {"valid_to": a.valid_to}, values_a)
            if not dry_run:
                a.valid_to = end
        else:
            counts["unchanged"] += 1
    has_main = {a.nihii for a in stored_addrs.values() if a.is_main}
    for (root, street, postcode, city), (region, _line) in addrs.items():
        key = f"{root} {street} {postcode} {city}".strip()
        old_addr = stored_addrs.get((root, street, postcode, city))
        if old_addr is None:
            main = root not in has_main
            has_main.add(root)
            values_d: dict[str, Any] = {"street": street, "postcode": postcode, "city": city,
                                        "region": region, "is_main": main}  # fmt: skip
            note("insert", "provider_address", key, None, values_d)
            if not dry_run:
                session.add(ProviderAddress(nihii=root, source=source, batch_id=batch_id(),
                                            **values_d))  # fmt: skip
        elif old_addr.region != region:
            note("update", "provider_address", key, {"region": old_addr.region},
                 {"region": region})  # fmt: skip
            if not dry_run:
                old_addr.region = region
        else:
            counts["unchanged"] += 1
    if not dry_run and audit:
        session.flush()
        finish_batch(
            session, batch_id(), counts["inserted"], counts["updated"], counts["unchanged"]
        )
        summary = {"file": filename, **counts}
        record_changes(
            session=session,
            changes=[*audit, ("import_batch", str(batch_id()), "insert", None, summary)],
        )
    return ImportReport(
        filename=filename,
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        dry_run=dry_run,
        batch_id=batch[0] if batch else None,
        changes=tuple(changes) if dry_run else (),
        warnings=tuple(warnings),
    )


def export_providers(
    *, session: Session, profession: str | None = None
) -> Iterator[dict[str, Any]]:
    """The register as import rows (``EXPORT_COLUMNS``), one row per period or address."""
    query = select(Provider).order_by(_PRO.nihii)
    if profession is not None:
        query = query.where(_PRO.profession == rules.check_profession(profession))
    quals: dict[str, list[Any]] = {}
    for q in session.execute(select(ProviderQualification).order_by(_QUAL.valid_from)).scalars():
        quals.setdefault(q.nihii, []).append(q)
    accs: dict[str, list[Any]] = {}
    for a in session.execute(select(ProviderAccreditation).order_by(_ACC.valid_from)).scalars():
        accs.setdefault(a.nihii, []).append(a)
    addrs: dict[str, list[Any]] = {}
    for d in session.execute(select(ProviderAddress).order_by(_ADDR.id)).scalars():
        addrs.setdefault(d.nihii, []).append(d)
    for provider in session.execute(query).scalars():
        root = provider.nihii
        mine = quals.get(root, [])
        latest = mine[-1].code if mine else "000"
        for q, a, d in itertools.zip_longest(mine, accs.get(root, []), addrs.get(root, [])):
            yield {
                "nihii": root + (q.code if q is not None else latest),
                "profession": provider.profession,
                "last_name": provider.last_name,
                "first_name": provider.first_name,
                "valid_from": q.valid_from if q is not None else None,
                "valid_to": q.valid_to if q is not None else None,
                "accredited_from": a.valid_from if a is not None else None,
                "accredited_to": a.valid_to if a is not None else None,
                "street": d.street if d is not None else None,
                "postcode": d.postcode if d is not None else None,
                "city": d.city if d is not None else None,
                "region": d.region if d is not None else None,
            }
