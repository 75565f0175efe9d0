"""Dental rules (rules audit R20): the continuity rule for scaling.

Scaling (302153 ... per quadrant) is reimbursed in full when the patient had a reimbursed
dental act in the previous calendar year; without it, it is **not refused**: its
reimbursement is halved ("règle de continuité … divise par deux le remboursement",
https://www.partena-ziekenfonds.be/fr/mutualite-et-avantages/assurance-maladie-legale/le-trajet-de-soins-buccaux-;
2019 figures 5.50 ordinary and 7.25 BIM instead of 11.00 / 14.50,
https://www.mc.be/la-mc/soins-sante-remboursements/tarifs-officiels/dentistes_plus_18).
The halved amount is rounded half up to the cent: the 2019 BIM figure 7.25 shows that the
halved reimbursement is not rounded to the half euro.

Not modelled (no amount in the facts files): the oral care trajectory ("trajet de soins
buccaux"), which lowers the reimbursement of most adult dental care (consultations,
prevention, orthodontics, periodontics and X-rays excepted) when the patient skipped the
dentist the year before, and the rounding of those personal shares to the half euro.
"""

from __future__ import annotations

from decimal import Decimal

from inami_cli.domain.money import round_cents
from inami_cli.domain.reimbursement._rules import PREREQUISITE_DENTAL_PREVIOUS_YEAR, Rule

DENTAL_CONTINUITY = Rule(
    name="dental_continuity_halving",
    description="reimbursement halved: no reimbursed dental care in the previous calendar year",
    valid_from=None,  # confirmed by the 2019 figures; the start is earlier than the demo data
    source="R20: continuity rule (partena-ziekenfonds.be, trajet de soins buccaux; "
    "mc.be tarifs officiels dentistes 2019: 5.50 / 7.25 instead of 11.00 / 14.50)",
)

# Prerequisites whose failure halves the reimbursement instead of refusing the act.
HALVED_WHEN_UNMET = frozenset({PREREQUISITE_DENTAL_PREVIOUS_YEAR})


def halve(reimbursement: Decimal) -> Decimal:
    """Half the reimbursement, to the cent (``DENTAL_CONTINUITY``)."""
    return round_cents(reimbursement / 2)
