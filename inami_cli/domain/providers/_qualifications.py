"""Professions, regions, qualification labels and the codes each qualification may attest.

The tables themselves are data shipped in ``inami_cli/data/`` (``qualifications.csv``,
``attest_rules.csv``), each row with its source and reliability tag; this module holds
their shapes and the pure look-ups over them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from inami_cli.domain.errors import InvalidInput

# The professions the register knows (the agreements are concluded per profession).
PROFESSIONS = (
    "doctor",
    "dentist",
    "physiotherapist",
    "nurse",
    "midwife",
    "pharmacist",
    "speech_therapist",
    "care_assistant",
    "other",
)
_PROFESSION_ALIASES = {
    "médecin": "doctor",
    "medecin": "doctor",
    "arts": "doctor",
    "dentiste": "dentist",
    "tandarts": "dentist",
    "kiné": "physiotherapist",
    "kine": "physiotherapist",
    "kinésithérapeute": "physiotherapist",
    "kinesitherapeute": "physiotherapist",
    "kinesitherapeut": "physiotherapist",
    "physio": "physiotherapist",
    "infirmier": "nurse",
    "verpleegkundige": "nurse",
    "sage-femme": "midwife",
    "vroedvrouw": "midwife",
}

# Regions of the professional address, as adherence figures are published (INAMI press
# release on the physiotherapists' 2018-2019 convention: Brussel / Vlaanderen / Wallonië).
REGIONS = ("brussels", "flanders", "wallonia", "german-speaking")
_REGION_ALIASES = {
    "bruxelles": "brussels",
    "brussel": "brussels",
    "vlaanderen": "flanders",
    "flandre": "flanders",
    "wallonie": "wallonia",
    "wallonië": "wallonia",
    "german_speaking": "german-speaking",
    "ostbelgien": "german-speaking",
    "communauté germanophone": "german-speaking",
    "duitstalige gemeenschap": "german-speaking",
}


def check_profession(text: str) -> str:
    """A profession name (English, or a common French/Dutch word); exit 2 otherwise."""
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    value = _PROFESSION_ALIASES.get(value, value)
    if value not in PROFESSIONS:
        raise InvalidInput(f"profession {text!r}: use one of {', '.join(PROFESSIONS)}")
    return value


def check_region(text: str) -> str:
    """A region (brussels, flanders, wallonia, german-speaking; FR/NL names accepted)."""
    value = text.strip().lower()
    value = _REGION_ALIASES.get(value, value)
    if value not in REGIONS:
        raise InvalidInput(f"region {text!r}: use one of {', '.join(REGIONS)}")
    return value


def check_qualification_code(text: str) -> str:
    """Three digits (``004``); ``4`` is read as ``004``."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 3:
        raise InvalidInput(f"qualification code {text!r}: 3 digits expected (e.g. 004)")
    return value.zfill(3)


@dataclass(frozen=True)
class QualificationLabel:
    """One row of the shipped label table: a code (or a range of codes) of a profession."""

    profession: str
    code_from: str
    code_to: str
    role: str  # gp | gp_training | doctor | specialist | ... (what the rules need)
    label_fr: str
    label_nl: str
    reliability: str  # [OFF] [MUT] [SEC] [DERIVED], with ⚠ where the sources disagree
    source: str

    @property
    def exact(self) -> bool:
        """A row for one code rather than a range."""
        return self.code_from == self.code_to


def find_label(
    labels: Iterable[QualificationLabel], profession: str, code: str
) -> QualificationLabel | None:
    """The narrowest row of *profession* covering *code* (an exact code before a range)."""
    best: QualificationLabel | None = None
    for row in labels:
        if row.profession == profession and row.code_from <= code <= row.code_to:
            width = int(row.code_to) - int(row.code_from)
            if best is None or width < int(best.code_to) - int(best.code_from):
                best = row
    return best


# ------------------------------------------------------------------ codes by qualification


@dataclass(frozen=True)
class Allowed:
    """Who may attest: a profession, optionally restricted to a range of qualification
    codes (``doctor:003-004``)."""

    profession: str
    code_from: str | None = None
    code_to: str | None = None

    def admits(self, profession: str, qualification: str | None) -> bool:
        """Whether a provider of *profession* with *qualification* is covered."""
        if profession != self.profession:
            return False
        if self.code_from is None:
            return True
        return qualification is not None and self.code_from <= qualification <= (
            self.code_to or self.code_from
        )

    def __str__(self) -> str:
        if self.code_from is None:
            return self.profession
        if self.code_to in (None, self.code_from):
            return f"{self.profession}:{self.code_from}"
        return f"{self.profession}:{self.code_from}-{self.code_to}"


def parse_allowed(text: str) -> tuple[Allowed, ...]:
    """``"doctor:003-004 dentist"`` as ``Allowed`` items (exit 2 when malformed)."""
    items: list[Allowed] = []
    for token in text.split():
        profession, _, codes = token.partition(":")
        profession = check_profession(profession)
        if not codes:
            items.append(Allowed(profession))
            continue
        low, _, high = codes.partition("-")
        items.append(
            Allowed(
                profession,
                check_qualification_code(low),
                check_qualification_code(high or low),
            )
        )
    if not items:
        raise InvalidInput("allowed: empty (e.g. doctor:003-004 or dentist)")
    return tuple(items)


@dataclass(frozen=True)
class AttestRule:
    """Which qualifications may attest a code, a range of codes or an article, when.

    ``selector`` is ``code`` (``code_from`` only), ``range`` (``code_from``..``code_to``)
    or ``article`` (the nomenclature article, e.g. ``5``).
    """

    selector: str
    code_from: str
    code_to: str
    article: str
    allowed: tuple[Allowed, ...]
    accreditation_required: bool
    valid_from: date
    valid_to: date | None
    reliability: str
    source: str
    note: str = ""

    def covers(self, code: str, article: str | None, on: date) -> bool:
        """Whether the rule speaks about *code* (of *article*) on *on*."""
        if on < self.valid_from or (self.valid_to is not None and on > self.valid_to):
            return False
        if self.selector == "article":
            return article is not None and article.strip().lower() == self.article.lower()
        return self.code_from <= code <= self.code_to

    @property
    def specificity(self) -> tuple[int, int]:
        """Smaller is more specific: an exact code, then the narrowest range, then an
        article."""
        if self.selector == "article":
            return (2, 0)
        return (0 if self.code_from == self.code_to else 1, int(self.code_to) - int(self.code_from))

    def describe(self) -> str:
        """``101076: doctor:003-004, accredited`` (for explanations)."""
        what = (
            f"article {self.article}"
            if self.selector == "article"
            else self.code_from
            if self.code_from == self.code_to
            else f"{self.code_from}-{self.code_to}"
        )
        who = " or ".join(str(a) for a in self.allowed)
        return f"{what}: {who}{', accredited' if self.accreditation_required else ''}"


@dataclass(frozen=True)
class Attester:
    """Who attests: profession, qualification code on the date, accreditation."""

    profession: str
    qualification: str | None
    accredited: bool = False


def attest_rule_for(
    code: str, on: date, rules: Iterable[AttestRule], *, article: str | None = None
) -> AttestRule | None:
    """The most specific rule in force on *on* that speaks about *code*, or None."""
    found = [r for r in rules if r.covers(code, article, on)]
    return min(found, key=lambda r: r.specificity) if found else None


def may_attest(
    code: str,
    who: Attester,
    on: date,
    *,
    rules: Iterable[AttestRule],
    article: str | None = None,
) -> bool | None:
    """May *who* attest *code* on *on*? None when no rule in force speaks about the code
    (the table is not exhaustive: no rule is not a refusal)."""
    rule = attest_rule_for(code, on, rules, article=article)
    if rule is None:
        return None
    if rule.accreditation_required and not who.accredited:
        return False
    return any(a.admits(who.profession, who.qualification) for a in rule.allowed)
