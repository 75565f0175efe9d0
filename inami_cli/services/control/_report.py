"""``control report FILE``: the audit of a billing file summed per provider, with the peer
comparison of the profile commissions (services per patient against the median of the
providers of the same peer group: profession and qualification, the recognised GPs' 003 and
004 being one group, as the shipped qualification table gives them one role).

The file is audited as ``control audit`` does (the same findings); the report keeps one
tally per provider and the set of its patients, so its memory grows with the number of
(provider, patient) pairs, not with the lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from sqlmodel import Session

from inami_cli.domain.control import PeerCount, PeerRow, compare_peers
from inami_cli.domain.money import ZERO
from inami_cli.services.control._audit import AuditSummary, audit_stream

REPORT_COLUMNS = (
    "provider_id", "profession", "qualification", "peer_group", "lines", "patients",
    "services_per_patient", "peer_median", "peers", "ratio", "outlier", "billed", "undue",
    "lines_with_findings", "by_rule",
)  # fmt: skip
# At a narrow terminal the report leaves these out first, least valuable first: the peer
# group names the profession and qualification, the ratio sums the counts behind it.
REPORT_DROP = (
    "by_rule", "profession", "qualification", "lines_with_findings", "patients", "peers",
    "peer_median", "services_per_patient", "lines",
)  # fmt: skip


@dataclass
class _Tally:
    profession: str | None = None
    qualification: str | None = None
    group: str = ""
    lines: int = 0
    billed: Decimal = ZERO
    undue: Decimal = ZERO
    flagged: int = 0
    patients: set[str] = field(default_factory=set)
    by_rule: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderLine:
    """One provider in the report."""

    provider_id: str
    profession: str | None
    qualification: str | None
    lines: int
    patients: int
    billed: Decimal
    undue: Decimal
    lines_with_findings: int
    by_rule: dict[str, int]
    peers: PeerRow

    def as_dict(self) -> dict[str, Any]:
        """The output record (``REPORT_COLUMNS``; ``by_rule`` an object)."""
        return {
            "provider_id": self.provider_id, "profession": self.profession,
            "qualification": self.qualification, "peer_group": self.peers.group,
            "lines": self.lines,
            "patients": self.patients, "services_per_patient": self.peers.per_patient,
            "peer_median": self.peers.peer_median, "peers": self.peers.group_size,
            "ratio": self.peers.ratio, "outlier": self.peers.outlier, "billed": self.billed,
            "undue": self.undue, "lines_with_findings": self.lines_with_findings,
            "by_rule": dict(sorted(self.by_rule.items())),
        }  # fmt: skip


@dataclass(frozen=True)
class ProviderReport:
    """The report: one line per provider (by undue amount, then by id) and the audit's
    summary."""

    providers: tuple[ProviderLine, ...]
    summary: AuditSummary
    outlier: Decimal


def provider_report(
    *,
    session: Session,
    source: IO[bytes],
    filename: str,
    billed_on: date,
    outlier: Decimal,
    encoding: str = "utf-8",
    on_error: Callable[[str], None] = lambda message: None,
) -> ProviderReport:
    """Audit a billing file and sum it per provider, with the peer comparison."""
    summary = AuditSummary()
    tallies: dict[str, _Tally] = {}
    for audited in audit_stream(
        session=session, source=source, filename=filename, billed_on=billed_on,
        encoding=encoding, on_error=on_error, summary=summary,
    ):  # fmt: skip
        tally = tallies.get(audited.provider_id)
        if tally is None:
            tally = tallies[audited.provider_id] = _Tally(
                audited.profession, audited.qualification, audited.peer_group
            )
        tally.lines += 1
        tally.billed += audited.claimed
        tally.patients.add(audited.niss)
        if audited.findings:
            tally.flagged += 1
            tally.undue += audited.undue
            for f in audited.findings:
                tally.by_rule[f.code] = tally.by_rule.get(f.code, 0) + 1
    counts = [PeerCount(pid, t.group, t.lines, len(t.patients)) for pid, t in tallies.items()]
    peers = {row.provider_id: row for row in compare_peers(counts, outlier=outlier)}
    lines = [
        ProviderLine(
            pid,
            t.profession,
            t.qualification,
            t.lines,
            len(t.patients),
            t.billed,
            t.undue,
            t.flagged,
            t.by_rule,
            peers[pid],
        )
        for pid, t in tallies.items()
    ]
    lines.sort(key=lambda p: (-p.undue, p.provider_id))
    return ProviderReport(tuple(lines), summary, outlier)
