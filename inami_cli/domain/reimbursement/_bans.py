"""The bans on supplements for BIM patients, dated and sourced (rules audit R13, R14, R15).

- Doctors (R13): every reimbursed **ambulatory** act of a doctor, not only consultations and
  visits ("toutes les prestations remboursées … en ambulatoire : consultations, visites à
  domicile, examens médicaux…", https://mc.be/en-marche/vos-droits/droits-du-patient/le-statut-bim-de-nombreux-avantages):
  BIM who got the status automatically from 2025-01-01, all BIM from 2026-01-01.
- Dentists (R14, royal decree of 17 March 2024, https://etaamb.openjustice.be/nl/fr/koninklijk-besluit-van-17-maart-2024_n2024002321.html;
  https://news.belgium.be/fr/node/42388): all BIM, from 2025-01-01 for the whole
  "traitements préventifs" rubric and the article 5 acts revalued since 2022, from
  2026-07-01 for every article 5 act.
- Physiotherapists (R15): BIM are charged the official fee at a non-conventioned
  physiotherapist, on every date.

Which acts are a doctor's: the categories of doctors' consultations and visits, and any act
of category ``other`` whose article is not one of another profession (DOMAIN.md section 2:
article 5 dental care, 7 physiotherapy, 8 home nursing). An act of unknown article in
category ``other`` counts as a doctor's (the BIM stays protected).

The 2025 dental step names its acts in ``DENTAL_BAN_2025``: one record per code with its
rubric, reliability tag and source, so an administrator can check each against the annex
of the royal decree and complete it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inami_cli.domain.reimbursement._model import (
    DOCTOR_CATEGORIES,
    PHYSIO_CATEGORIES,
    ActRules,
    Patient,
)
from inami_cli.domain.reimbursement._rules import (
    SUPPLEMENT_BAN_ALL_BIM,
    SUPPLEMENT_BAN_AUTOMATIC_BIM,
    SUPPLEMENT_BAN_DENTAL_BIM,
    SUPPLEMENT_BAN_PHYSIO_BIM,
    Rule,
)

# Articles of the nomenclature that belong to other professions than doctors (DOMAIN.md §2).
NON_DOCTOR_ARTICLES = frozenset({"5", "7", "8"})

SUPPLEMENT_BAN_DENTAL_2025 = Rule(
    name="supplement_ban_dental_bim_2025",
    description="no supplement for any BIM for preventive dental care and the art. 5 acts "
    "revalued since 2022",
    valid_from=date(2025, 1, 1),
    source="R14: AR 17/3/2024 (etaamb.openjustice.be n2024002321; news.belgium.be/fr/node/42388)",
)


@dataclass(frozen=True)
class BannedAct:
    """An act under the 2025 dental step, with why and how sure."""

    code: str
    rubric: str
    reliability: str
    source: str


_CMD22 = (
    "CM 2022 'preventieve tandzorg' (cm.be) lists it as preventive dental care; the annex of "
    "AR 17/3/2024 is the authority"
)
DENTAL_BAN_2025: tuple[BannedAct, ...] = (
    BannedAct("371615", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("371571", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("372514", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("372536", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("301593", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("302153", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("302175", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("302190", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("302212", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    BannedAct("302234", "traitements préventifs", "[MUT] [DERIVED]", _CMD22),
    # ⚠ the art. 5 acts "revalued since 2022" are listed by INAMI ("Voici les prestations
    # auxquelles s'applique cette interdiction à partir du 1er janvier 2025",
    # https://inami.fgov.be/fr/professionnels/professionnels-de-la-sante/dentistes/exercice-du-metier/interdiction-de-facturer-des-supplements-en-ambulatoire-aux-beneficiaires-de-l-intervention-majoree
    # [OFF]) and in the annex of AR 17/3/2024 (amended for the removable prostheses until the
    # 19th birthday introduced by AR 24/1/2025, news.belgium.be/fr/node/42388), but the list
    # itself could not be read: the conservative care of the demo (3738xx, 3743xx) waits for
    # the 2026-07-01 step. Press reports name revaluations since 2022 (extractions 45 -> 65,
    # subgingival scaling doubled from 2024-01-01, metrotime.be 2023-12 [SEC]) without codes.
)
_DENTAL_2025_CODES = frozenset(a.code for a in DENTAL_BAN_2025)

BAN_RULES: tuple[Rule, ...] = (
    SUPPLEMENT_BAN_AUTOMATIC_BIM,
    SUPPLEMENT_BAN_ALL_BIM,
    SUPPLEMENT_BAN_DENTAL_2025,
    SUPPLEMENT_BAN_DENTAL_BIM,
    SUPPLEMENT_BAN_PHYSIO_BIM,
)


def is_doctor_act(act: ActRules) -> bool:
    """True for a doctor's act (consultations, visits, other acts of a doctor's article)."""
    if act.category in DOCTOR_CATEGORIES:
        return True
    article = str(getattr(act, "article", "") or "").strip()
    return act.category == "other" and article not in NON_DOCTOR_ARTICLES


def supplement_ban(
    act: ActRules, patient: Patient, on: date, setting: str | None, provider: str
) -> Rule | None:
    """The rule that forbids a supplement for this patient and act on *on*, or None."""
    if patient.regime != "preferential":
        return None
    if setting != "hospitalised" and is_doctor_act(act):
        if SUPPLEMENT_BAN_ALL_BIM.in_force(on):
            return SUPPLEMENT_BAN_ALL_BIM
        if patient.bim_automatic and SUPPLEMENT_BAN_AUTOMATIC_BIM.in_force(on):
            return SUPPLEMENT_BAN_AUTOMATIC_BIM
    if act.category == "dental":
        if SUPPLEMENT_BAN_DENTAL_BIM.in_force(on):
            return SUPPLEMENT_BAN_DENTAL_BIM
        if act.code in _DENTAL_2025_CODES and SUPPLEMENT_BAN_DENTAL_2025.in_force(on):
            return SUPPLEMENT_BAN_DENTAL_2025
    if act.category in PHYSIO_CATEGORIES and provider != "conventioned":
        return SUPPLEMENT_BAN_PHYSIO_BIM
    return None
