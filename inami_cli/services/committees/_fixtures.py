"""The demo committees' members, meetings, decisions and dossiers (``inami init --demo``)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from inami_cli.db.models import Attendance, Committee, Decision, DossierStep, Meeting, Member
from inami_cli.domain.committees import parse_votes
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import ConfigError
from inami_cli.services.committees._common import _committee, _members_on
from inami_cli.services.committees._composition import add_member
from inami_cli.services.committees._decisions import record_decision
from inami_cli.services.committees._dossiers import add_step
from inami_cli.services.committees._meetings import add_meeting, attend
from inami_cli.services.committees._rules_file import (
    _toml_error,
    default_committees_path,
    sync_committees,
)
from inami_cli.services.committees._tariffs import apply_decision, read_tariff_file


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Load ``fixtures_dir/committees/demo.toml`` (members, meetings, decisions, dossiers).

    Idempotent: what already exists (same member, meeting date, decision title, step) is
    kept, and the adopted tariff decision is applied through the nomenclature import, which
    changes nothing the second time. Needs the committees synced and the nomenclature
    fixtures loaded (the tariff rows name real codes).
    """
    base = fixtures_dir / "committees"
    if not base.is_dir():
        base = fixtures_dir
    path = base / "demo.toml"
    if session.exec(select(Committee.code)).first() is None:
        sync_committees(session=session, path=default_committees_path())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc)
        raise ConfigError(f"{path}:{line}: {message}") from None
    for block in data.get("members", []):
        code = block["committee"]
        _committee(session, code)  # NotFound before any write
        start = _as_date(block["valid_from"])
        end = _as_date(block["valid_to"]) if block.get("valid_to") else None
        held = {
            (m.name, m.group_code, m.role)
            for m in session.exec(select(Member).where(Member.committee_code == code)).all()
        }
        for name in block["names"]:
            if (name, block["group"], block.get("role", "effective")) in held:
                continue
            add_member(
                session=session,
                committee=code,
                name=name,
                group=block["group"],
                organisation=block.get("organisation", ""),
                role=block.get("role", "effective"),
                valid_from=start,
                valid_to=end,
            )
    meetings: dict[str, int] = {}
    for spec in data.get("meetings", []):
        code, on = spec["committee"], _as_date(spec["date"])
        meeting = session.exec(
            select(Meeting).where(Meeting.committee_code == code).where(Meeting.meeting_date == on)
        ).first()
        if meeting is None:
            meeting_id = add_meeting(
                session=session, committee=code, on=on, title=spec.get("title", "")
            ).id
        else:
            meeting_id = meeting.id or 0
        meetings[spec["key"]] = meeting_id
        if not session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).first():
            members = _members_on(session, code, on)
            present: list[int] = []
            for group, count in spec["present"].items():
                ids = [
                    m.id or 0 for m in members if m.group_code == group and m.role == "effective"
                ]
                present.extend(ids[:count])
            attend(session=session, meeting_id=meeting_id, present=present)
    for spec in data.get("decisions", []):
        meeting_id = meetings[spec["meeting"]]
        code = spec["committee"]
        existing = session.exec(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .where(Decision.title == spec["title"])
        ).first()
        if existing is None:
            rows: list[tuple[int, dict[str, str]]] = []
            tariff_name = "tariff file"
            if spec.get("tariff_file"):
                tariff_path = base / spec["tariff_file"]
                rows, tariff_name = read_tariff_file(tariff_path), str(tariff_path)
            number = record_decision(
                session=session,
                committee=code,
                meeting_id=meeting_id,
                title=spec["title"],
                kind=spec["kind"],
                votes=parse_votes(spec["votes"]) if spec.get("votes") else None,
                vote_round=int(spec.get("round", 1)),
                text=spec.get("text", ""),
                effective_date=_as_date(spec["effective_date"])
                if spec.get("effective_date")
                else None,
                legal_reference=spec.get("legal_reference", ""),
                dossier=spec.get("dossier", ""),
                tariff_rows=rows,
                tariff_filename=tariff_name,
            ).number
        else:
            number = existing.number
        if spec.get("apply"):
            apply_decision(session=session, number=number)
    for spec in data.get("steps", []):
        on = _as_date(spec["date"])
        already = session.exec(
            select(DossierStep)
            .where(DossierStep.dossier == spec["dossier"])
            .where(DossierStep.body == spec["body"])
            .where(DossierStep.kind == spec["kind"])
            .where(DossierStep.step_date == on)
        ).first()
        if already is None:
            add_step(
                session=session,
                dossier=spec["dossier"],
                body=spec["body"],
                kind=spec["kind"],
                on=on,
                reference=spec.get("reference", ""),
                deemed_given=bool(spec.get("deemed_given", False)),
                codes=spec.get("codes", []),
            )


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return parse_date(str(value))
