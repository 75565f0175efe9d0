"""The billing audit: the findings a control service raises on one billed line, their codes
and the amount unduly paid (the *indu*).

The reimbursement rules themselves (insured on the date, code valid on the date, age,
frequency, cumulation, prerequisite, fee above the agreed one, supplements to BIM patients)
are the engine's (``domain.reimbursement``): its refusal becomes a finding under the
engine's own code (eTarif 001-010, then 9xx). The checks that only a control makes on a
billed line have their own codes in the 1xx range, as the facts file proposes (section
8.2 of maf-control-funding.md: "101 prescribed, 102 not insured, 103 qualification, 104
prescriber missing, 105 eID proof missing"; 102 is the engine's 901 here, and 105 needs an
eID reading that the billing file does not carry).

What is undue on a line depends on the rule (``FindingRule.basis``):

- ``claimed``: the line should not have been paid at all: the whole reimbursement claimed;
- ``difference``: the claim exceeds what the rules give: claimed - computed (never < 0);
- ``excess``: the provider charged the patient above the fee where that is banned:
  charged - fee (unduly charged to the patient, not paid by the insurance);
- ``none``: a warning only (nothing is undue because of it).

A line's undue total (``line_undue``) is the claim when any ``claimed`` finding holds (the
other findings' amounts are part of it), else the sum of the ``difference`` and
``excess`` amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.control._prescription import SOURCE as ART_174_SOURCE
from inami_cli.domain.control._prescription import YEARS, limit_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import ZERO
from inami_cli.domain.providers import parse_nihii
from inami_cli.domain.reimbursement import R_ABOVE_FEE, R_SUPPLEMENT_BANNED, REFUSAL_REASONS

BASES = ("claimed", "difference", "excess", "none")

A_PRESCRIBED = "101"
A_QUALIFICATION = "103"
A_PRESCRIBER_MISSING = "104"
A_PRESCRIBER_CHECK = "106"
A_PROVIDER_UNKNOWN = "107"
A_CLAIM = "108"

_FACTS = "maf-control-funding.md §8.2"


@dataclass(frozen=True)
class FindingRule:
    """A rule of the audit: its code, a short name, what is undue, where it comes from."""

    code: str
    name: str
    description: str
    basis: str
    source: str


_OWN = (
    FindingRule(
        A_PRESCRIBED, "billing_prescribed",
        f"billed more than {YEARS} years after the end of the month of care", "claimed",
        f"art. 174 law of 14/7/1994 [OFF] {ART_174_SOURCE}",
    ),
    FindingRule(
        A_QUALIFICATION, "qualification",
        "the provider's qualification on the date may not attest the code", "claimed",
        f"codes by qualification, inami_cli/data/attest_rules.csv (providers.md §7.2; {_FACTS})",
    ),
    FindingRule(
        A_PRESCRIBER_MISSING, "prescriber_missing",
        "a prescribed service without a well-formed prescriber number", "claimed",
        f"eFact ET50 prescriber NIHII [SEC] ({_FACTS}); inami_cli/data/prescribed_acts.csv",
    ),
    FindingRule(
        A_PRESCRIBER_CHECK, "prescriber_check_digits",
        "the prescriber's number fails its check digits (a warning)", "none",
        "97 - (first 6 digits mod 97) [SEC] (providers.md §7.2: a warning, not a reject)",
    ),
    FindingRule(
        A_PROVIDER_UNKNOWN, "provider_unknown",
        "the provider is not in the register", "claimed",
        f"provider register (inami provider); {_FACTS}",
    ),
    FindingRule(
        A_CLAIM, "claim_differs",
        "the reimbursement claimed differs from the one the rules give", "difference",
        f"amount consistency: fee = intervention + personal share ({_FACTS}; DOMAIN.md §3)",
    ),
)  # fmt: skip


# Short names of the engine's refusal codes (a code added to the engine later is named
# ``engine_<code>`` until it gets one here).
_ENGINE_NAMES = {
    "001": "renewal", "002": "max_reached", "003": "location", "004": "ceiling",
    "005": "no_agreement", "006": "needs_approval", "007": "depends_on_others",
    "008": "prerequisite", "009": "not_on_date", "010": "not_combinable",
    "901": "not_insured", "902": "age", "903": "setting", "904": "no_profile",
    "905": "above_fee", "906": "supplement_banned", "910": "not_qualified",
    "911": "medical_house",
}  # fmt: skip


def _engine_rules() -> tuple[FindingRule, ...]:
    out = []
    for code, reason in REFUSAL_REASONS.items():
        basis = "excess" if code in (R_ABOVE_FEE, R_SUPPLEMENT_BANNED) else "claimed"
        source = (
            "MyCareNet eTarif refusal reasons (hl7-be/etariff; DOMAIN.md §3)"
            if code < "900"
            else "this project's reimbursement engine (domain.reimbursement)"
        )
        out.append(
            FindingRule(code, _ENGINE_NAMES.get(code, "engine_" + code), reason, basis, source)
        )
    return tuple(out)


AUDIT_RULES: dict[str, FindingRule] = {r.code: r for r in (*_engine_rules(), *_OWN)}


@dataclass(frozen=True)
class Finding:
    """One finding on one line: the rule's code, what was found, the amount undue."""

    code: str
    detail: str
    indu: Decimal = ZERO

    @property
    def rule(self) -> FindingRule:
        """The rule this finding applies."""
        return AUDIT_RULES[self.code]


@dataclass(frozen=True)
class PrescribedRule:
    """Acts of a category need a prescriber from *valid_from* (a row of the shipped
    ``inami_cli/data/prescribed_acts.csv``, with its reliability tag and source)."""

    category: str
    valid_from: date
    valid_to: date | None
    reliability: str
    source: str

    def covers(self, category: str, on: date) -> bool:
        """Whether the rule asks a prescriber for an act of *category* on *on*."""
        return (
            self.category == category
            and self.valid_from <= on
            and (self.valid_to is None or on <= self.valid_to)
        )


def needs_prescriber(category: str, on: date, rules: Iterable[PrescribedRule]) -> bool:
    """Whether an act of *category* needs a prescriber on *on*."""
    return any(r.covers(category, on) for r in rules)


def finding(code: str, detail: str, indu: Decimal = ZERO) -> Finding:
    """A finding under a known rule code (InvalidInput for an unknown code)."""
    if code not in AUDIT_RULES:
        raise InvalidInput(f"unknown audit rule {code!r}")
    return Finding(code, detail, indu)


def billing_limit(care_date: date) -> date:
    """The last day a care can be billed: 2 years after the end of its month (art. 174)."""
    return limit_date(care_date, YEARS)


def check_billing_limit(care_date: date, billed_on: date, claimed: Decimal) -> Finding | None:
    """101 when *billed_on* is after the billing limit of *care_date*."""
    last = billing_limit(care_date)
    if billed_on <= last:
        return None
    return Finding(A_PRESCRIBED, f"billed on {billed_on}, the limit was {last}", claimed)


def check_claim(claimed: Decimal, computed: Decimal) -> Finding | None:
    """108 when the claim is not the computed reimbursement (undue: only an excess)."""
    if claimed == computed:
        return None
    return Finding(
        A_CLAIM,
        f"claimed {claimed:.2f}, the rules give {computed:.2f}",
        max(claimed - computed, ZERO),
    )


def check_prescriber(text: str, *, required: bool, claimed: Decimal) -> Finding | None:
    """104 when a prescribed service has no well-formed prescriber number; 106 (a warning)
    when a given number fails its check digits; None otherwise."""
    if not text.strip():
        if required:
            return Finding(A_PRESCRIBER_MISSING, "no prescriber for a prescribed service", claimed)
        return None
    try:
        parsed = parse_nihii(text, what="prescriber")
    except InvalidInput as exc:
        return Finding(A_PRESCRIBER_MISSING, exc.message, claimed) if required else None
    if not parsed.check_ok:
        return Finding(
            A_PRESCRIBER_CHECK,
            f"prescriber {parsed.formatted}: check digits {parsed.check}, "
            f"expected {parsed.expected_check}",
        )
    return None


def engine_finding(code: str, reason: str, *, claimed: Decimal, excess: Decimal) -> Finding:
    """The engine's refusal as a finding (what is undue follows the rule's basis)."""
    rule = AUDIT_RULES[code]
    indu = excess if rule.basis == "excess" else claimed
    return Finding(code, reason, indu)


def line_undue(findings: Iterable[Finding], claimed: Decimal) -> Decimal:
    """The amount undue on a line: the claim if one finding refuses the whole line, else
    the sum of the claim excesses and of what was charged above the fee."""
    total = ZERO
    for f in findings:
        basis = AUDIT_RULES[f.code].basis
        if basis == "claimed":
            return claimed
        if basis != "none":
            total += f.indu
    return total


def codes_table() -> list[dict[str, str]]:
    """The documented table of audit codes (``inami control codes``)."""
    return [
        {"code": r.code, "name": r.name, "description": r.description, "undue_is": r.basis,
         "source": r.source}
        for r in sorted(AUDIT_RULES.values(), key=lambda r: r.code)
    ]  # fmt: skip
