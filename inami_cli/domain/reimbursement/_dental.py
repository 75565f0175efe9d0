"""Dental rules (rules audit R20): the continuity rule for scaling.

Scaling (302153 ... per quadrant) is reimbursed in full when the patient had a reimbursed
dental act in the previous calendar year; without it, it is **not refused**: its
reimbursement is halved ("règle de continuité … divise par deux le remboursement",
https://www.partena-ziekenfonds.be/fr/mutualite-et-avantages/assurance-maladie-legale/le-trajet-de-soins-buccaux-;
2019 figures 5.50 ordinary and 7.25 BIM instead of 11.00 / 14.50,
https://www.mc.be/la-mc/soins-sante-remboursements/tarifs-officiels/dentistes_plus_18).
The halved amount is rounded half up to the cent: the 2019 BIM figure 7.25 shows that the
halved reimbursement is not rounded to the half euro.

Not modelled: the oral care trajectory ("trajet de soins buccaux"). What the sources say:
from 2016-07-01 (AR 28/6/2016, published and in force 2016-07-01), an adult without BIM who
had no reimbursed dental care in the previous calendar year pays a higher personal share
for most dental care (consultations, prevention, orthodontics and periodontics excepted),
"de 25 à 40 %" (enmarche.be, soins dentaires 2016 [MUT]; Partenamut [MUT], which also gives
10 / 20 % for BIM, while Wolters Kluwer [SEC] says BIM are not concerned "pour le moment"),
"majoré de 40 %" and for some acts doubled (Wolters Kluwer; Knack: 14 EUR instead of 7),
the amounts fixed per code in the AR as multiples of 0.50 EUR ("arrondis à un multiple de
0,5 euro", https://legalworld.wolterskluwer.be/fr/nouvelles/moniteur/le-dentiste-coutera-moins-cher-pour-celui-qui-se-fait-controler-chaque-annee/).
The per-code amounts of the AR (and of its successors, e.g. AR 28/3/2024 art. 1: 4.00 for
301593 and scaling, 6.00 for the consultation 301011 ...) were not readable with their
dates in force, and the sources disagree on the size of the increase: no rate is derived
here (a wrong rate would be worse than the stated gap). The halved scaling above is not
rounded to the half euro either: the published 7.25 shows it.
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
