"""Refusal codes and their reasons (a result's ``refusal_code`` and ``refusal_reason``)."""

from __future__ import annotations

# 001-010 are MyCareNet eTarif's reasons (HL7 Belgium, https://github.com/hl7-be/etariff,
# DOMAIN.md section 3); 9xx are this project's own, outside eTarif's range.
R_RENEWAL = "001"
R_MAX_REACHED = "002"
R_LOCATION = "003"
R_CEILING = "004"
R_NO_AGREEMENT = "005"
R_NEEDS_APPROVAL = "006"
R_DEPENDS_ON_OTHERS = "007"
R_PREREQUISITE = "008"
R_NOT_ON_DATE = "009"
R_NOT_COMBINABLE = "010"
R_NOT_INSURED = "901"
R_AGE = "902"
R_SETTING = "903"
R_NO_PROFILE = "904"
R_ABOVE_FEE = "905"
R_SUPPLEMENT_BANNED = "906"
# 910: the provider from the register may not attest the code (issue 14)
R_NOT_QUALIFIED = "910"
R_MEDICAL_HOUSE = "911"  # a code of a discipline the patient's medical house covers

REFUSAL_REASONS: dict[str, str] = {
    R_RENEWAL: "renewal period not expired",
    R_MAX_REACHED: "maximum number of services reached for the period",
    R_LOCATION: "already reimbursed for this location",
    R_CEILING: "value ceiling reached",
    R_NO_AGREEMENT: "no agreement of the advisory physician",
    R_NEEDS_APPROVAL: "needs approval",
    R_DEPENDS_ON_OTHERS: "tariff depends on other services billed together",
    R_PREREQUISITE: "prerequisite not met",
    R_NOT_ON_DATE: "code cannot be attested on this date",
    R_NOT_COMBINABLE: "cannot be combined",
    R_NOT_INSURED: "not insured on the date",
    R_AGE: "age outside the limits of the code",
    R_SETTING: "code not for this setting",
    R_NO_PROFILE: "no reimbursement for this beneficiary profile",
    R_ABOVE_FEE: "conventioned provider charged above the fee",
    R_SUPPLEMENT_BANNED: "supplement not allowed for this BIM patient",
    R_NOT_QUALIFIED: "the provider's qualification may not attest this code",
    R_MEDICAL_HOUSE: "covered by the patient's medical house (paid per capita, not per act)",
}
