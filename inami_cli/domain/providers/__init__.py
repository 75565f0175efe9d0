"""Care providers and the agreements: pure rules (standard library only).

The public face of the feature's domain; by sub-topic, from the bottom up:

- ``_nihii``: the INAMI/RIZIV number (parts, check digits as a warning, formatting);
- ``_blocks``: declared time blocks of a partially conventioned doctor and their limits;
- ``_qualifications``: professions, regions, the shapes of the shipped qualification-label
  and codes-by-qualification tables, ``may_attest``;
- ``_facts``: agreements in force, adherence, ``ProviderFacts`` and ``resolve_facts``.
"""

from __future__ import annotations

from inami_cli.domain.providers._blocks import (
    DAYS,
    GP_RULE,
    SPECIALIST_RULE,
    BlockRule,
    TimeBlock,
    block_rule,
    block_violations,
    format_blocks,
    in_blocks,
    parse_blocks,
)
from inami_cli.domain.providers._facts import (
    ADHERENCE_STATUSES,
    CONVENTION_STATUS,
    PHYSIOTHERAPIST,
    AdherenceTerm,
    AgreementTerm,
    DatedCode,
    ProviderFacts,
    ProviderRecord,
    accredited_on,
    adherence_on,
    agreement_in_force,
    physio_convention_in_force,
    qualification_on,
    resolve_facts,
)
from inami_cli.domain.providers._nihii import (
    PROFESSION_DIGITS,
    Nihii,
    format_nihii,
    make_nihii,
    nihii_check_digits,
    parse_nihii,
)
from inami_cli.domain.providers._qualifications import (
    PROFESSIONS,
    REGIONS,
    Allowed,
    Attester,
    AttestRule,
    QualificationLabel,
    attest_rule_for,
    check_profession,
    check_qualification_code,
    check_region,
    find_label,
    may_attest,
    parse_allowed,
)

__all__ = [
    "ADHERENCE_STATUSES",
    "CONVENTION_STATUS",
    "DAYS",
    "GP_RULE",
    "PHYSIOTHERAPIST",
    "PROFESSIONS",
    "PROFESSION_DIGITS",
    "REGIONS",
    "SPECIALIST_RULE",
    "AdherenceTerm",
    "AgreementTerm",
    "Allowed",
    "AttestRule",
    "Attester",
    "BlockRule",
    "DatedCode",
    "Nihii",
    "ProviderFacts",
    "ProviderRecord",
    "QualificationLabel",
    "TimeBlock",
    "accredited_on",
    "adherence_on",
    "agreement_in_force",
    "attest_rule_for",
    "block_rule",
    "block_violations",
    "check_profession",
    "check_qualification_code",
    "check_region",
    "find_label",
    "format_blocks",
    "format_nihii",
    "in_blocks",
    "make_nihii",
    "may_attest",
    "nihii_check_digits",
    "parse_allowed",
    "parse_blocks",
    "parse_nihii",
    "physio_convention_in_force",
    "qualification_on",
    "resolve_facts",
]
