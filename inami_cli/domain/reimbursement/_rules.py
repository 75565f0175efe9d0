"""The named rules of the insurance as dated data, each with its legal source: the fixed
personal shares, the young-BIM-with-DMG rule, the physiotherapy cut, the supplement bans, the
prerequisites; and the look-ups the computation makes in them on a date of care."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.reimbursement._model import (
    PastCare,
)

# ------------------------------------------------------------------ rules as data


@dataclass(frozen=True)
class Rule:
    """A named rule of the insurance, with the date it applies from and its source."""

    name: str
    description: str
    valid_from: date | None  # None: in force on every date the project covers
    source: str
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the rule applies on *on*."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


@dataclass(frozen=True)
class FixedShareRule:
    """A fixed personal share (ticket modérateur / remgeld) for a family of acts."""

    name: str
    categories: frozenset[str]
    valid_from: date
    ordinary: Decimal
    preferential: Decimal
    source: str
    ordinary_dmg: Decimal | None = None  # None: DMG makes no difference
    preferential_dmg: Decimal | None = None
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the rule applies on *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def share(self, regime: str, dmg: bool) -> tuple[Decimal, bool]:
        """The fixed share for a regime and DMG status, and whether DMG changed it."""
        if regime == "preferential":
            if dmg and self.preferential_dmg is not None:
                return self.preferential_dmg, True
            return self.preferential, False
        if dmg and self.ordinary_dmg is not None:
            return self.ordinary_dmg, True
        return self.ordinary, False


FIXED_SHARES: tuple[FixedShareRule, ...] = (
    # GP consultations 101010, 101032, 101054, 101076: 6.00 ordinary, 4.00 with a DMG
    # (AR 23/3/1982 art. 3 as amended after the Council of Ministers of 2011-07-20:
    # news.belgium.be/nl/sociale-zekerheid-35, securimed.eu/fr/archives/393); BIM 1.50 /
    # 1.00 (caluwe.be 2016). Confirmed to the cent by VNZ 2024 (101076: 31.81 = 25.81 + 6.00
    # = 27.81 + 4.00 = 30.31 + 1.50 = 30.81 + 1.00). Start: the publication of the AR of
    # 17/10/2011 (BS 2011-11-16, wetwijzer.be/laws/2011022378), which ties "the limitation
    # of the personal share" to the GP with access to the DMG; the exact entry into force of
    # the amounts is not pinned by a source [DERIVED, rules audit R3]. Home visits are not
    # here: their shares depend on the age band and are the tariff's profiles (R4).
    FixedShareRule(
        name="gp_fixed_share",
        categories=frozenset({"gp_consultation"}),
        valid_from=date(2011, 11, 16),
        ordinary=Decimal("6.00"),
        preferential=Decimal("1.50"),
        ordinary_dmg=Decimal("4.00"),
        preferential_dmg=Decimal("1.00"),
        source="R3 fixed personal share GP consultations: AR 23/3/1982 art. 3 (Council of "
        "Ministers 2011-07-20, news.belgium.be); from BS 2011-11-16 (AR 17/10/2011) [DERIVED "
        "start]; BIM 1.50/1.00 caluwe.be 2016; VNZ 2024 figures",
    ),
    # Specialist consultations: 12.00 ordinary / 3.00 BIM since 2015-01-01 (CM 2017 figures:
    # 102034 37.15 = 25.15 + 12.00 = 34.15 + 3.00; the 2014 rows are still percentages).
    FixedShareRule(
        name="specialist_fixed_share",
        categories=frozenset({"specialist_consultation"}),
        valid_from=date(2015, 1, 1),
        ordinary=Decimal("12.00"),
        preferential=Decimal("3.00"),
        source="fixed personal share specialists since 2015-01-01 (CM 2017 figures)",
    ),
    # Physiotherapy since 2019-09-01 (INAMI, "kinesitherapieverstrekkingen vaste remgelden";
    # enmarche.be "Prestations de kinésithérapie : quelle quote-part"; CM 2024: 30.00 = 23.75
    # + 6.25 = 27.50 + 2.50).
    FixedShareRule(
        name="physio_heavy_fixed_share",
        categories=frozenset({"physio_heavy"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("4.00"),
        preferential=Decimal("1.50"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (heavy pathologies)",
    ),
    FixedShareRule(
        name="physio_fafb_fixed_share",
        categories=frozenset({"physio_fafb"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("5.50"),
        preferential=Decimal("2.00"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (lists Fa/Fb)",
    ),
    FixedShareRule(
        name="physio_fixed_share",
        categories=frozenset({"physio"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("6.25"),
        preferential=Decimal("2.50"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (other sessions)",
    ),
    FixedShareRule(
        name="physio_short_fixed_share",
        categories=frozenset({"physio_short"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("2.00"),
        preferential=Decimal("1.00"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (15-20 min sessions)",
    ),
)

# No personal share for BIM patients up to 24 years (inclusive: "moins de 25 ans") with a
# DMG, at GP consultations and home visits and specialist consultations, from 2023-10-01
# (royal decree of 25 June 2023; le-gbo.be flash-info 75/23 of 2023-09-29; rtbf.be
# 2023-09): INAMI pays 100 % of the official fee whatever the doctor's status ("Nous
# tenons compte ici des tarifs officiels INAMI ... Un médecin non conventionné, lui,
# pourrait éventuellement lui facturer des suppléments", inami.fgov.be news, rules-audit
# R7); a supplement stays possible where the BIM supplement bans allow it.
YOUNG_BIM_DMG = Rule(
    name="young_bim_dmg_no_share",
    description="no personal share for BIM up to 24 with a DMG (any doctor's status)",
    valid_from=date(2023, 10, 1),
    source="RD 25/06/2023; inami.fgov.be news (consultations enfants et jeunes BIM); "
    "le-gbo.be flash-info 75/23",
)
YOUNG_BIM_MAX_AGE = 24

# At a non-conventioned physiotherapist the reimbursement is 25 % lower, except for BIM
# patients, who are reimbursed the same and charged the official fees (enmarche.be,
# "Prestations de kinésithérapie : quelle quote-part à charge du patient ?"; rtl.be
# 2022-05). No start date was found: it applies on every date.
PHYSIO_NON_CONVENTIONED = Rule(
    name="physio_non_conventioned_cut",
    description="reimbursement 25 % lower at a non-conventioned physiotherapist (not BIM)",
    valid_from=None,
    source="enmarche.be, kinésithérapie quote-part; rtl.be 2022-05",
)
PHYSIO_NON_CONVENTIONED_FACTOR = Decimal("0.75")

# A conventioned provider charges the agreed fee (status C); only non-conventioned (and a
# partially conventioned GP outside declared blocks) may add a supplement, never
# reimbursed (DOMAIN.md sections 1 and 3).
CONVENTIONED_FEE = Rule(
    name="conventioned_charges_fee",
    description="a conventioned provider charges the agreed fee",
    valid_from=None,
    source="national agreement (accord médico-mutualiste), DOMAIN.md section 1",
)

# Ban on supplements for BIM patients (mc.be, "Les BIM mieux protégés contre les
# suppléments d'honoraires"; rtl.be 2023-12-19 on the 2024-2025 agreement): doctors'
# ambulatory reimbursed acts, BIM who got the status automatically from 2025-01-01, all BIM
# from 2026-01-01. Dentists: all dental care for all BIM from 2026-07-01, and the 2025 step
# of AR 17/3/2024 (see ``_bans``, where the look-up lives). Physiotherapists: BIM are charged
# the official fees (enmarche.be, see above).
SUPPLEMENT_BAN_AUTOMATIC_BIM = Rule(
    name="supplement_ban_automatic_bim",
    description="no supplement for automatic BIM at doctors (ambulatory)",
    valid_from=date(2025, 1, 1),
    source="R13: mc.be, le statut BIM: toutes les prestations remboursées en ambulatoire",
)
SUPPLEMENT_BAN_ALL_BIM = Rule(
    name="supplement_ban_all_bim",
    description="no supplement for any BIM at doctors (ambulatory)",
    valid_from=date(2026, 1, 1),
    source="R13: mc.be, le statut BIM: toutes les prestations remboursées en ambulatoire",
)
SUPPLEMENT_BAN_DENTAL_BIM = Rule(
    name="supplement_ban_dental_bim",
    description="no supplement for any BIM for dental care",
    valid_from=date(2026, 7, 1),
    source="R14: AR 17/3/2024, every art. 5 act (etaamb.openjustice.be n2024002321; mc.be)",
)
SUPPLEMENT_BAN_PHYSIO_BIM = Rule(
    name="supplement_ban_physio_bim",
    description="BIM are charged the official fee at a non-conventioned physiotherapist",
    valid_from=None,
    source="enmarche.be, kinésithérapie quote-part",
)

# Prerequisite rules named by ``Act.prerequisite``. Scaling (302153 ...) is reimbursed only
# when the patient had a reimbursed dental act in the previous calendar year (CM 2022,
# DOMAIN.md section 3).
PREREQUISITE_DENTAL_PREVIOUS_YEAR = "dental_care_previous_year"
PREREQUISITES: dict[str, str] = {
    PREREQUISITE_DENTAL_PREVIOUS_YEAR: "a reimbursed dental act in the previous calendar year",
}


# Every date on which a rule above starts or stops: between two of them, and inside one
# tariff period, the rules give the same answer (batch caches rely on it).
RULE_BOUNDARIES: tuple[date, ...] = tuple(
    sorted(
        {r.valid_from for r in FIXED_SHARES}
        | {
            r.valid_from
            for r in (
                YOUNG_BIM_DMG,
                PHYSIO_NON_CONVENTIONED,
                SUPPLEMENT_BAN_AUTOMATIC_BIM,
                SUPPLEMENT_BAN_ALL_BIM,
                SUPPLEMENT_BAN_DENTAL_BIM,
                SUPPLEMENT_BAN_PHYSIO_BIM,
            )
            if r.valid_from is not None
        }
    )
)


# ------------------------------------------------------------------ look-ups


def fixed_share_rule(category: str, on: date) -> FixedShareRule | None:
    """The fixed personal-share rule for an act category on a date, or None."""
    for rule in FIXED_SHARES:
        if category in rule.categories and rule.in_force(on):
            return rule
    return None


def _prerequisite_met(name: str, on: date, history: Iterable[PastCare]) -> bool | None:
    """True/False for a known prerequisite rule, None when the name is unknown."""
    if name == PREREQUISITE_DENTAL_PREVIOUS_YEAR:
        previous = on.year - 1
        return any(h.category == "dental" and h.care_date.year == previous for h in history)
    return None
