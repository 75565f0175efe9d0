"""A per-act claim in a discipline covered by the patient's medical house is refused: the
medical house is paid per enrolled person (capitation), not per act (rules-audit.md
section 4 item 3; MyCareNet ``MedicalHouse`` flags Medical, Kine, Nurse, see
``domain.medical_houses``)."""

from __future__ import annotations

from inami_cli.domain.reimbursement._model import PHYSIO_CATEGORIES, Patient

# act category -> the medical-house discipline it belongs to
DISCIPLINE_OF_CATEGORY: dict[str, str] = {
    "gp_consultation": "gp",
    "gp_visit": "gp",
    **{category: "physio" for category in PHYSIO_CATEGORIES},
    "nursing": "nursing",
}


def medical_house_refusal(category: str, patient: Patient) -> str | None:
    """The reason to refuse a code of *category* for *patient*, or None."""
    discipline = DISCIPLINE_OF_CATEGORY.get(category)
    if discipline is None or discipline not in patient.medical_house_disciplines:
        return None
    return f"enrolled in medical house {patient.medical_house} for {discipline} on the date"
