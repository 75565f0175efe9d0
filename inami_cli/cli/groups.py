"""The table of the capability areas' command groups, imported lazily by the root command."""

from __future__ import annotations

# The capability areas' groups are built only when invoked (start-up time: building the
# whole typer tree of ~120 commands costs more than a third of `import sqlmodel`).
# name -> (module, attribute of the typer.Typer, summary). The summary is what `inami --help`
# lists for the group without importing its module: the group's help up to click's first
# sentence end (a word ending with "."), all click can show of it in a command list, whatever
# the terminal width (tests/test_contract.py keeps the two equal).
LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "nomenclature": (
        "inami_cli.cli.nomenclature",
        "app",
        "Nomenclature codes, their dated tariffs by beneficiary profile, key letters.",
    ),
    "reimburse": (
        "inami_cli.cli.reimburse",
        "app",
        "Compute the reimbursement of one visit's codes (exit 1 if refused); `batch` for CSV.",
    ),
    "insured": (
        "inami_cli.cli.insured",
        "app",
        "Is a person insured on a date? `inami insured NISS [--date D | --from D1 --to D2]`, "
        "`inami insured --insurer 300 --member 1234567`, `inami insured batch FILE`.",
    ),
    "person": (
        "inami_cli.cli.person",
        "app",
        "Persons (NISS or BIS number, names, date of death).",
    ),
    "affiliation": (
        "inami_cli.cli.person",
        "affiliation_app",
        "Affiliations to an insurer over a period (one at a time).",
    ),
    "entitlement": (
        "inami_cli.cli.person",
        "entitlement_app",
        "Dated rights: bim, dmg, chronic, third-party.",
    ),
    "medical-house": (
        "inami_cli.cli.medical_house",
        "app",
        "Medical-house enrolments (maison médicale / wijkgezondheidscentrum) by period.",
    ),
    "provider": (
        "inami_cli.cli.provider",
        "app",
        "Care providers: INAMI number, dated qualifications, accreditation, addresses.",
    ),
    "agreement": (
        "inami_cli.cli.agreement",
        "app",
        "Agreements and conventions per profession, adherence, adherence rates.",
    ),
    "committee": ("inami_cli.cli.committee", "app", "INAMI committees: rules, composition."),
    "member": ("inami_cli.cli.committee", "member_app", "Mandates in committees."),
    "meeting": (
        "inami_cli.cli.committee",
        "meeting_app",
        "Committee meetings, attendance and minutes.",
    ),
    "decision": (
        "inami_cli.cli.committee",
        "decision_app",
        "Numbered committee decisions, their vote, outcome and tariff changes.",
    ),
    "maf": (
        "inami_cli.cli.maf",
        "app",
        "The maximum à facturer (MAF): household ceilings on personal shares, refunds.",
    ),
    "funding": (
        "inami_cli.cli.funding",
        "app",
        "The funds' money: budget objective, monthly advances, budget shares, responsibility.",
    ),
    "control": (
        "inami_cli.cli.control",
        "app",
        "Control of providers and funds: audit, report, fund sample, fines (SECM, SCA).",
    ),
    "indemnity": (
        "inami_cli.cli.indemnity",
        "app",
        "Incapacity for work: dated parameters, episodes, daily amounts, periods, batches.",
    ),
    "maternity": (
        "inami_cli.cli.indemnity",
        "maternity_app",
        "Maternity rest: the calendar and the amounts.",
    ),
    "birth-leave": (
        "inami_cli.cli.indemnity",
        "birth_app",
        "Birth leave (former paternity leave).",
    ),
    "adoption-leave": (
        "inami_cli.cli.indemnity",
        "adoption_app",
        "Adoption leave: weeks per parent.",
    ),
    "funeral": (
        "inami_cli.cli.indemnity",
        "funeral_app",
        "The funeral allowance (abolished for deaths from 2013-01-01).",
    ),
    "miners": ("inami_cli.cli.indemnity", "miners_app", "Miners' invalidity pensions."),
}
