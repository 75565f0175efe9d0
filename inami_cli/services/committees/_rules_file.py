"""``config/committees.toml``: read and validated with ``FILE:LINE`` errors, synced."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from sqlmodel import Session, select

from inami_cli.db.models import Committee
from inami_cli.domain.committees import CommitteeRules, rules_to_dict, validate_rules
from inami_cli.domain.errors import ConfigError
from inami_cli.services.audit import now, record_change
from inami_cli.services.committees._common import _check_seats_still_fit
from inami_cli.services.committees._views import SyncSummary

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def default_committees_path() -> Path:
    """``config/committees.toml`` of the checkout, else the copy shipped in the package."""
    checkout = PROJECT_ROOT / "config" / "committees.toml"
    if checkout.is_file():
        return checkout
    return Path(__file__).resolve().parents[2] / "data" / "committees.toml"


def _toml_line(text: str, code: str, path: tuple[str, ...]) -> int:
    """The line of ``committee.CODE.<path>`` in the file: its table header or its key."""
    target = ("committee", code, *path)
    best_line, best_len = 1, 0
    header: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inner = line.strip("[]").split("#", 1)[0].strip().rstrip("]")
            header = tuple(p.strip().strip('"').strip("'") for p in inner.split("."))
            candidate = header
        elif "=" in line:
            key = line.split("=", 1)[0].strip().strip('"').strip("'")
            candidate = (*header, *key.split("."))
        else:
            continue
        if target[: len(candidate)] == candidate and len(candidate) > best_len:
            best_line, best_len = number, len(candidate)
    return best_line


def _toml_error(exc: tomllib.TOMLDecodeError) -> tuple[int, str]:
    """Line and message of a TOML syntax error (``lineno`` only exists from Python 3.14;
    before, the line is in the message: "Invalid value (at line 3, column 11)")."""
    text = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", text)
    lineno = getattr(exc, "lineno", None)
    line = int(lineno) if isinstance(lineno, int) else int(match.group(1)) if match else 1
    return line, text.split(" (at line")[0]


def read_committees_file(path: Path) -> dict[str, CommitteeRules]:
    """Parse and validate ``committees.toml``; ``ConfigError`` as ``FILE:LINE: message``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{path}: TOML nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc)
        raise ConfigError(f"{path}:{line}: {message}") from None
    problems: list[str] = []
    unknown = sorted(set(data) - {"committee"})
    for key in unknown:
        problems.append(
            f"{path}:{_toml_line(text, '', ())}: unknown table {key!r} (use [committee.CODE])"
        )
    raw = data.get("committee", {})
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{path}:1: no [committee.CODE] table")
        raw = {}
    found: dict[str, CommitteeRules] = {}
    for code, table in raw.items():
        if not isinstance(table, dict):
            problems.append(
                f"{path}:{_toml_line(text, code, ())}: committee.{code} must be a table"
            )
            continue
        rules, rule_problems = validate_rules(code, table)
        for problem in rule_problems:
            line = _toml_line(text, code, problem.path)
            where = ".".join(("committee", code, *problem.path))
            problems.append(f"{path}:{line}: {where}: {problem.message}")
        if rules is not None:
            found[code] = rules
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(problems[0] + more)
    return found


def sync_committees(*, session: Session, path: Path) -> SyncSummary:
    """Load ``committees.toml`` into the database (insert or update; idempotent).

    Committees absent from the file are kept (their decisions refer to them) and reported.
    A group that would lose seats below the mandates currently held is refused (exit 4).
    """
    found = read_committees_file(path)
    existing = {c.code: c for c in session.exec(select(Committee)).all()}
    inserted = updated = unchanged = 0
    stamp = now()
    for code, rules in found.items():
        rules_json = json.dumps(rules_to_dict(rules), ensure_ascii=False, sort_keys=True)
        row = existing.get(code)
        if row is None:
            session.add(
                Committee(
                    code=code,
                    name_fr=rules.name_fr,
                    name_nl=rules.name_nl,
                    rules_json=rules_json,
                    synced_at=stamp,
                )
            )
            record_change(
                session=session,
                entity="committee",
                key=code,
                action="insert",
                after={"name_fr": rules.name_fr, "rules": rules_to_dict(rules)},
            )
            inserted += 1
            continue
        if (row.name_fr, row.name_nl, row.rules_json) == (rules.name_fr, rules.name_nl, rules_json):
            unchanged += 1
            continue
        _check_seats_still_fit(session, rules)
        before = {"name_fr": row.name_fr, "rules": json.loads(row.rules_json)}
        row.name_fr, row.name_nl, row.rules_json, row.synced_at = (
            rules.name_fr,
            rules.name_nl,
            rules_json,
            stamp,
        )
        session.add(row)
        record_change(
            session=session,
            entity="committee",
            key=code,
            action="update",
            before=before,
            after={"name_fr": rules.name_fr, "rules": rules_to_dict(rules)},
        )
        updated += 1
    session.flush()
    return SyncSummary(
        path=str(path),
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        committees=tuple(found),
        not_in_file=tuple(sorted(set(existing) - set(found))),
    )
