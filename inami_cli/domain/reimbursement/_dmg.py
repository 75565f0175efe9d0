"""Whose DMG: the GP reduction of the personal share applies only at the GP who holds the
global medical file or has access to it (rules audit R3, R39).

"Het recht op de beperking of de vermindering van het persoonlijk aandeel … geldt slechts voor
zover ze worden verleend door de huisarts die toegang heeft tot de gegevens van het globaal
medisch dossier" (AR 17/10/2011 replacing art. 3 al. 4 of AR 23/3/1982,
https://www.wetwijzer.be/laws/2011022378): the holder, a member of the same registered group,
or a GP who mentions "G" and the holder's number on the attestation.

The register names the holder of a DMG (the entitlement's detail, an INAMI number); the
case names its GP when the provider is known (``Patient.gp``). Both known and a different
GP (the first 8 digits of an INAMI number identify a person for a whole career, providers.md
§7.2): no DMG reduction, unless the case says the GP has access (``Patient.dmg_access``).
Either unknown: the DMG flag is used as given (the register's or the caller's).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from inami_cli.domain.reimbursement._model import ActRules, Patient
from inami_cli.domain.reimbursement._rules import Rule

GP_CATEGORIES = frozenset({"gp_consultation", "gp_visit"})

DMG_HOLDER = Rule(
    name="dmg_held_by_the_gp",
    description="no DMG reduction: the DMG is held by another GP",
    valid_from=date(2011, 11, 16),
    source="R3: AR 17/10/2011 (BS 2011-11-16), art. 3 al. 4 AR 23/3/1982 "
    "(wetwijzer.be/laws/2011022378)",
)


def _person(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    return digits[:8]


def same_gp(holder: str, gp: str) -> bool:
    """True when two INAMI numbers name the same person (first 8 digits)."""
    return bool(_person(holder)) and _person(holder) == _person(gp)


def dmg_for_split(act: ActRules, patient: Patient, on: date) -> Patient:
    """The patient as the split of the fee sees it: without DMG at a GP who does not hold it
    (nor has access to it), when the register and the case both say who."""
    if (
        act.category in GP_CATEGORIES
        and patient.dmg
        and patient.dmg_holder
        and patient.gp
        and not patient.dmg_access
        and not same_gp(patient.dmg_holder, patient.gp)
        and DMG_HOLDER.in_force(on)
    ):
        return replace(patient, dmg=False)
    return patient
