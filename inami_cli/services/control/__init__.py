"""Control use cases (SECM, SCA): fines and prescription, the billing audit, the provider
report and the sample control of a fund.

Fines and prescription are pure rules (``domain.control``); these use cases only parse
nothing and read nothing, so they are the domain's functions under the service's name.
The private modules, by sub-topic, each importing only those before it:

- ``_context``: what an audit loads once and its cached per-line look-ups;
- ``_audit``: ``audit_stream`` (a billing file, line by line, streaming);
- ``_parallel``: ``audit_texts`` (the same, rendered, big files on worker processes);
- ``_report``: findings and the peer comparison per provider;
- ``_fund``: a reproducible sample of a fund's recorded reimbursements, recomputed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inami_cli.domain import control as rules
from inami_cli.domain.control import Fine, Prescription
from inami_cli.services.control._audit import (
    BILLING_COLUMNS,
    FINDING_COLUMNS,
    AuditSummary,
    LineAudit,
    audit_stream,
    finding_records,
)
from inami_cli.services.control._fund import FUND_COLUMNS, FundCheck, FundSample, fund_sample
from inami_cli.services.control._parallel import audit_texts
from inami_cli.services.control._report import (
    REPORT_COLUMNS,
    REPORT_DROP,
    ProviderLine,
    ProviderReport,
    provider_report,
)


def fine(
    *,
    article: str,
    indu: Decimal,
    rate: Decimal,
    suspended: Decimal = Decimal(0),
    rounding: str = "truncate",
    repay: bool = True,
) -> Fine:
    """The art. 142 fine of an indu (``Conflict`` when the rate is out of the band)."""
    return rules.compute_fine(article=article, indu=indu, rate=rate, suspended=suspended,
                              rounding=rounding, repay=repay)  # fmt: skip


def prescription(
    *, action: str, day: date, fraud: bool = False, fraud_end: date | None = None
) -> Prescription:
    """The last valid date of a payment or a recovery (art. 174)."""
    return rules.prescription(action=action, day=day, fraud=fraud, fraud_end=fraud_end)


__all__ = [
    "BILLING_COLUMNS",
    "FINDING_COLUMNS",
    "FUND_COLUMNS",
    "REPORT_COLUMNS",
    "REPORT_DROP",
    "AuditSummary",
    "Fine",
    "FundCheck",
    "FundSample",
    "LineAudit",
    "Prescription",
    "ProviderLine",
    "ProviderReport",
    "audit_stream",
    "audit_texts",
    "finding_records",
    "fine",
    "fund_sample",
    "prescription",
    "provider_report",
]
