"""Control of providers and sickness funds (SECM, SCA): pure rules.

This package is the public face; by sub-topic:

- ``_fines``: art. 142 §1 fines for art. 73bis infringements (bands, rounding, suspension);
- ``_prescription``: art. 174 prescription (last valid date of a payment or a recovery).

The billing audit (refusal codes, per-line checks) and the profile comparison will sit
beside these as ``_audit`` and ``_profiles``; the audit reuses ``limit_date`` for the 2-year
billing limit.
"""

from __future__ import annotations

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

__all__ = [
    "ACTIONS",
    "ARTICLE_SOURCE",
    "CHAMBER_THRESHOLD",
    "FINE_BANDS",
    "FRAUD_YEARS",
    "ROUNDINGS",
    "YEARS",
    "Fine",
    "FineBand",
    "Prescription",
    "check_article",
    "compute_fine",
    "end_of_month",
    "limit_date",
    "prescription",
]
