"""The rules that depend on who the provider is on the date of care (issue 14).

A case may name its provider by INAMI number; the register then answers, on the date (and
time), the convention status under the agreement in force (partial: inside or outside a
declared block), the qualification and the accreditation. ``ProviderTerms`` carries that
answer (or the status given explicitly with ``--provider``) into the computation, which
asks this module four questions:

- may this provider attest this code? (codes by qualification, ``inami_cli/data/
  attest_rules.csv``; refusal ``R_NOT_QUALIFIED``);
- may this provider charge above the fee here? Conventioned: no, except the patient's
  "special requirements" (CM, bijzondere eisen van patiënten [MUT], providers.md §7.1 row
  6); partially conventioned: only inside a declared block, and a specialist only for
  ambulatory patients (CM, voorwaarden gedeeltelijke conventionering [MUT], §7.1 rows 4-5);
  non-conventioned: yes. The BIM supplement bans (``supplement_ban``) override all of these
  on their dates: the computation checks them after this answer;
- does the -25 % at a non-conventioned physiotherapist apply? Only while a
  physiotherapists' convention is in force (law art. 49 §5 al. 3, AR 8/6/1967, as AXXON
  explains it; none from 2022-01-01 until M/22 [qur.be] nor from 2025-01-01 to 2025-04-30
  [Helan, Solidaris]): the agreements table is the source of truth
  (``physio_convention``), not a date in the code;
- (the young-BIM rule no longer asks: it holds whatever the doctor's status, see
  ``_rules.YOUNG_BIM_DMG``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.providers import Attester, AttestRule
from inami_cli.domain.reimbursement._model import PHYSIO_CATEGORIES, SETTINGS, ActRules
from inami_cli.domain.reimbursement._special_times import describe_moment, timing_verdict

# The roles of the special-requirements table and the act categories that imply them
# when the provider is given by flag only (no qualification known).
_ROLE_OF_CATEGORY = {
    "gp_consultation": "gp",
    "gp_visit": "gp",
    "specialist_consultation": "specialist",
}


@dataclass(frozen=True)
class SpecialRequirement:
    """One "special requirement" of the patient that lets even a conventioned doctor ask a
    supplement (after informing the patient); a row of
    ``inami_cli/data/special_requirements.csv``."""

    kind: str
    role: str  # gp | specialist
    label: str
    reliability: str
    source: str
    # the moment it holds (``_special_times``): days (sat, sun, holiday) or an hour window;
    # none of them: any moment
    days: tuple[str, ...] = ()
    from_time: time | None = None
    to_time: time | None = None

    @property
    def moment(self) -> str:
        """When it holds, in words ("" at any moment)."""
        return describe_moment(self.days, self.from_time, self.to_time)

    def holds_at(self, on: date, at: time | None) -> bool | None:
        """Whether it holds on *on* at *at* (None: it depends on the hour, none given)."""
        return timing_verdict(self.days, self.from_time, self.to_time, on, at)


def find_special_requirement(
    table: Iterable[SpecialRequirement], kind: str
) -> tuple[SpecialRequirement, ...]:
    """The rows of *kind* (one per role that knows it); InvalidInput (exit 2) when none."""
    wanted = kind.strip().lower().replace("-", "_")
    rows = tuple(r for r in table if r.kind == wanted)
    if not rows:
        kinds = sorted({r.kind for r in table})
        raise InvalidInput(f"--special-requirement {kind!r}: expected one of {', '.join(kinds)}")
    return rows


def parse_time_of_day(text: str, *, what: str = "--time") -> time:
    """``19:30``, ``19h30``, ``19h`` or ``19`` as a time of day (exit 2 otherwise)."""
    value = text.strip().lower().replace("h", ":")
    if value.endswith(":"):
        value += "00"
    try:
        if value.isdigit() and len(value) <= 2:
            return time(int(value))
        if len(value) == 4 and value[1] == ":":
            value = "0" + value
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{what} {text!r}: not a time of day (HH:MM)") from None


@dataclass(frozen=True)
class ProviderTerms:
    """Who the provider is on the date of care, as the rules read it.

    ``status`` is ``conventioned``, ``partially`` or ``non-conventioned``; ``given`` says
    it was typed (``--provider``) rather than answered by the register, and ``why`` says
    which it was and why (the explanation's words). ``in_block`` (partially conventioned)
    is whether the moment of care falls inside a declared block; a status given by flag
    reads ``partially`` as inside one (what the flag meant before the register existed).
    ``profession``/``qualification``/``accredited`` come from the register (None: not
    known, and the codes-by-qualification check is skipped). ``physio_convention`` is
    whether a physiotherapists' convention is in force on the date (the agreements table;
    None: not known, the cut applies as it always did).
    """

    status: str = "conventioned"
    given: bool = True
    why: str = "given"
    in_block: bool | None = True
    ambulatory_only: bool = False
    nihii: str | None = None
    profession: str | None = None
    qualification: str | None = None
    role: str | None = None
    accredited: bool = False
    physio_convention: bool | None = None
    special_requirement: tuple[SpecialRequirement, ...] = ()
    attest_rules: tuple[AttestRule, ...] = field(default=(), compare=False, hash=False)
    # the moment of care, against which a special requirement is checked (None: not
    # checked, terms built by hand; ``ProviderSource`` fills it when a requirement is given)
    care_on: date | None = None
    care_at: time | None = None

    @property
    def attester(self) -> Attester | None:
        """The provider as ``may_attest`` reads it (None: no register data)."""
        if self.profession is None:
            return None
        return Attester(self.profession, self.qualification, self.accredited)


def refuse_partial_physio(act: ActRules, terms: ProviderTerms) -> None:
    """InvalidInput (exit 2) for a physiotherapy code attested by a "partially conventioned"
    physiotherapist: that status does not exist for physiotherapists.

    Partial adherence with declared blocks belongs to the doctors' agreement (GP and
    specialist, CM "voorwaarden gedeeltelijke conventionering" [MUT], providers.md §7.1
    rows 4-5); a physiotherapist adheres to the convention or declares not to (INAMI,
    circulaire aux kinésithérapeutes 2017, adhesion form M/17 [OFF]:
    https://studylibfr.com/doc/237329/circulaire-aux-kin%C3%A9sith%C3%A9rapeutes-2017-1 ;
    INAMI figures M/18: 84.81 % adhered, 15.19 % did not, no third group [SEC]:
    http://www.lavenir.net/cnt/DMF20180322_01143742). The register refuses such an
    adherence already (``agreement adherence set``: exit 4); this is the same rule for the
    status typed with ``--provider`` (or a register answer, should one ever say so)."""
    if terms.status != "partially" or act.category not in PHYSIO_CATEGORIES:
        return
    if not terms.given and terms.profession not in (None, "physiotherapist"):
        return  # another profession attesting a physio code: the attest rules answer
    who = f"provider {terms.nihii}" if terms.nihii else "--provider partially"
    raise InvalidInput(
        f"{who}: physiotherapists cannot be partially conventioned (partial adherence "
        f"exists in the doctors' agreement only); code {act.code} is physiotherapy: use "
        "--provider conventioned or non-conventioned"
    )


def attest_check(act: ActRules, terms: ProviderTerms, on: date) -> tuple[bool, str] | None:
    """(allowed, what the rule says) by the codes-by-qualification table, or None when the
    provider is not known from the register or no rule speaks about the code (the most
    specific rule in force wins, as ``domain.providers.attest_rule_for``).

    First refuses a status the provider's profession cannot have
    (``refuse_partial_physio``, exit 2)."""
    refuse_partial_physio(act, terms)
    table = terms.attest_rules
    if terms.profession is None or not table:
        return None
    candidates = _covering(table, act.code, getattr(act, "article", None) or None)
    rule: AttestRule | None = None
    for r in candidates:
        if on < r.valid_from or (r.valid_to is not None and on > r.valid_to):
            continue
        if rule is None or r.specificity < rule.specificity:
            rule = r
    if rule is None:
        return None
    key = (id(rule), terms.profession, terms.qualification, terms.accredited)
    verdict = _VERDICTS.get(key)
    if verdict is None or verdict[0] is not rule:
        verdict = (rule, _verdict(rule, terms))
        if len(_VERDICTS) >= 50_000:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict[1]


def _verdict(rule: AttestRule, terms: ProviderTerms) -> tuple[bool, str]:
    profession, qual = terms.profession or "", terms.qualification
    allowed = any(a.admits(profession, qual) for a in rule.allowed)
    if allowed and rule.accreditation_required and not terms.accredited:
        return False, f"{rule.describe()} (not accredited on the date; {rule.source})"
    if not allowed:
        return False, (
            f"{rule.describe()}; the provider is {profession} qualification {qual or 'none'} "
            f"({rule.source})"
        )
    return True, f"{rule.describe()} ({rule.reliability} {rule.source})"


# What a batch asks again and again, memoised (pure, bounded): the rules of a table that
# can speak about a code (of an article) on some date, and a rule's verdict on a provider.
_COVERING: dict[tuple[int, str, str | None], tuple[AttestRule, ...]] = {}
_TABLES: dict[int, tuple[AttestRule, ...]] = {}  # keeps each table alive while its id is used
_VERDICTS: dict[tuple[int, str, str | None, bool], tuple[AttestRule, tuple[bool, str]]] = {}


def _covering(
    table: tuple[AttestRule, ...], code: str, article: str | None
) -> tuple[AttestRule, ...]:
    key = (id(table), code, article)
    found = _COVERING.get(key)
    if found is None or _TABLES.get(id(table)) is not table:
        if len(_COVERING) >= 50_000 or _TABLES.get(id(table)) is not table:
            _COVERING.clear()
            _TABLES.clear()
            _TABLES[id(table)] = table
        wanted = article.strip().lower() if article is not None else None
        found = tuple(
            r
            for r in table
            if (r.selector == "article" and r.article.lower() == wanted)
            or (r.selector != "article" and r.code_from <= code <= r.code_to)
        )
        _COVERING[key] = found
    return found


def _role(act: ActRules, terms: ProviderTerms) -> str | None:
    if terms.role is not None:
        return "gp" if terms.role.startswith("gp") else terms.role
    return _ROLE_OF_CATEGORY.get(act.category)


def supplement_permission(
    act: ActRules, terms: ProviderTerms, setting: str | None
) -> tuple[bool, str]:
    """(may charge above the fee, why) by the provider's status alone; the BIM bans are
    checked after (they override a yes). InvalidInput when a partially conventioned
    provider from the register has no time of care to tell inside from outside a block."""
    status = terms.status
    if status == "non-conventioned":
        return True, "a non-conventioned provider sets the fee freely"
    reason = ""  # a conventioned provider charges the agreed fee (the refusal says it)
    if status == "partially":
        where = setting if setting is not None else act.setting
        if terms.in_block is None:
            who = f"provider {terms.nihii}" if terms.nihii else "the provider"
            raise InvalidInput(
                f"{who} is partially conventioned: pass --time HH:MM (batch column time) "
                "to tell whether the care was inside a declared block"
            )
        if not terms.in_block:
            reason = (
                "outside its declared blocks a partially conventioned provider charges "
                "the agreed fee"
            )
        elif terms.ambulatory_only and where in SETTINGS and where != "ambulatory":
            reason = "a partially conventioned specialist deviates only for ambulatory patients"
        else:
            return True, "inside a declared block of a partially conventioned provider"
    if terms.special_requirement:
        role = _role(act, terms)
        fits = [r for r in terms.special_requirement if role is None or r.role == role]
        if fits:
            return _special_at_moment(fits, terms, reason)
        roles = " or ".join(sorted({r.role for r in terms.special_requirement}))
        kind = terms.special_requirement[0].kind
        said = f"special requirement {kind!r} is a {roles}'s, not a {role}'s"
        return False, f"{reason}; {said}" if reason else said
    return False, reason


def _special_at_moment(
    fits: list[SpecialRequirement], terms: ProviderTerms, reason: str
) -> tuple[bool, str]:
    """The verdict of the patient's special requirement(s) at the moment of care."""
    if terms.care_on is None:
        req = fits[0]
        return True, f"special requirement of the patient: {req.label} ({req.source})"
    verdicts = [(r, r.holds_at(terms.care_on, terms.care_at)) for r in fits]
    for req, holds in verdicts:
        if holds:
            when = f"; holds {req.moment}" if req.moment else ""
            return True, f"special requirement of the patient: {req.label}{when} ({req.source})"
    unknown = [r for r, holds in verdicts if holds is None]
    if unknown:
        raise InvalidInput(
            f"special requirement {unknown[0].kind!r} holds only {unknown[0].moment}: pass "
            "--time HH:MM (batch column time) to tell when the care was given"
        )
    req = fits[0]
    moment = terms.care_on.strftime("%a %Y-%m-%d")
    if terms.care_at is not None:
        moment += f" at {terms.care_at.strftime('%H:%M')}"
    said = (
        f"special requirement {req.kind!r} holds only {req.moment}, not on {moment} ({req.source})"
    )
    return False, f"{reason}; {said}" if reason else said


def physio_cut_applies(terms: ProviderTerms | None, default: bool) -> tuple[bool, str]:
    """Whether the -25 % at a non-conventioned physiotherapist can apply on the date (a
    convention must be in force), and the source of that answer."""
    if terms is None or terms.physio_convention is None:
        return default, ""
    if terms.physio_convention:
        return True, "a physiotherapists' convention is in force (agreements table)"
    return False, "no physiotherapists' convention in force on the date (agreements table)"
