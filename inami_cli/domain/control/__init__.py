"""Control of providers and sickness funds (SECM, SCA): pure rules.

This package is the public face; by sub-topic:

- ``_fines``: art. 142 §1 fines for art. 73bis infringements (bands, rounding, suspension);
- ``_prescription``: art. 174 prescription (last valid date of a payment or a recovery);
- ``_audit``: the billing audit's finding codes, the per-line checks that are not the
  reimbursement engine's (billing limit, prescriber, claim), and what is undue on a line;
- ``_profiles``: the peer comparison of providers (services per patient against the median
  of the same qualification) and a terminal histogram.
"""

from __future__ import annotations

from inami_cli.domain.control._audit import (
    A_CLAIM,
    A_PRESCRIBED,
    A_PRESCRIBER_CHECK,
    A_PRESCRIBER_MISSING,
    A_PROVIDER_UNKNOWN,
    A_QUALIFICATION,
    AUDIT_RULES,
    BASES,
    Finding,
    FindingRule,
    PrescribedRule,
    billing_limit,
    check_billing_limit,
    check_claim,
    check_prescriber,
    codes_table,
    engine_finding,
    finding,
    line_undue,
    needs_prescriber,
)
from inami_cli.domain.control._fines import (
    ARTICLE_SOURCE,
    CHAMBER_THRESHOLD,
    FINE_BANDS,
    ROUNDINGS,
    Fine,
    FineBand,
    check_article,
    compute_fine,
)
from inami_cli.domain.control._prescription import (
    ACTIONS,
    FRAUD_YEARS,
    YEARS,
    Prescription,
    end_of_month,
    limit_date,
    prescription,
)
from inami_cli.domain.control._profiles import (
    PROFILE_SOURCE,
    PeerCount,
    PeerRow,
    compare_peers,
    histogram,
    median,
)

__all__ = [
    "ACTIONS",
    "ARTICLE_SOURCE",
    "AUDIT_RULES",
    "A_CLAIM",
    "A_PRESCRIBED",
    "A_PRESCRIBER_CHECK",
    "A_PRESCRIBER_MISSING",
    "A_PROVIDER_UNKNOWN",
    "A_QUALIFICATION",
    "BASES",
    "CHAMBER_THRESHOLD",
    "FINE_BANDS",
    "FRAUD_YEARS",
    "PROFILE_SOURCE",
    "ROUNDINGS",
    "YEARS",
    "Finding",
    "FindingRule",
    "Fine",
    "FineBand",
    "PeerCount",
    "PeerRow",
    "PrescribedRule",
    "Prescription",
    "billing_limit",
    "check_article",
    "check_billing_limit",
    "check_claim",
    "check_prescriber",
    "codes_table",
    "compare_peers",
    "compute_fine",
    "end_of_month",
    "engine_finding",
    "finding",
    "histogram",
    "limit_date",
    "line_undue",
    "median",
    "needs_prescriber",
    "prescription",
]
