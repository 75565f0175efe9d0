"""Deterministic, seeded benchmark data in the formats the ``inami`` commands read.

The same seed and sizes give byte-identical files. Full sizes (issue 9): 10 000 codes with
10 yearly tariff periods and two profiles each (200 000 import rows), 1 000 000 persons with
their affiliations and entitlements, 1 000 000 reimbursement cases (over a register of the
first 100 000 persons, as issue 5 asks) and 1 000 000 NISS lines for ``insured batch``.

Files (in ``benchmarks/work/data-<key>/``; ``key`` is a hash of the seed and the sizes, so a
second run reuses them):

- ``tariffs.csv``: ``inami nomenclature import`` columns, one row per code, period, profile;
- ``persons.csv`` / ``entitlements.csv``: ``inami person import`` and ``inami entitlement
  import`` (one row per affiliation period, resp. per right);
- ``register-persons.csv`` / ``register-entitlements.csv``: the same for the first
  ``register`` persons (the register of the reimbursement batch);
- ``cases.csv``: ``inami reimburse batch`` rows (``code,date,niss,regime,dmg,age,chronic,
  provider,charged``), half naming a person of the register, half giving the profile;
- ``realistic-cases.csv``: the same columns in a realistic mix (skewed codes and profiles,
  one quarter, repeated charged amounts; written on first use, ``ensure_realistic_cases``);
- ``cases-provider.csv`` (written on first use by ``ensure_provider_cases``): the same
  cases naming their provider by INAMI number (``provider_id``, ``time``), with the invented
  register ``bench-providers.csv`` / ``bench-adherence.csv`` (issue 14);
- ``niss.csv``: ``inami insured batch`` lines (``niss[,date]``): mostly persons of the
  register, some unknown valid numbers, a few with bad check digits;
- ``manifest.json``: seed, sizes, row counts and sample values for the one-case commands.

Invented data only: names are common Belgian names, numbers carry valid check digits
(``inami_cli.domain.niss.make_niss``), no real person is described.

Usage: ``python -m benchmarks.generate [--quick] [--seed N] [--force]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from inami_cli.domain.niss import make_niss

GENERATOR_VERSION = 1
DEFAULT_SEED = 20260302
WORK_DIR = Path(__file__).resolve().parent / "work"
LAST_YEAR = 2026  # the last tariff period opens on 1 January of this year and stays open
CASES_UNTIL = date(2026, 11, 1)  # dates of care: never after the day the data was designed
PROFILES = ("ordinary", "preferential")


@dataclass(frozen=True)
class Sizes:
    """How much data to generate."""

    codes: int = 10_000
    periods: int = 10
    persons: int = 1_000_000
    register: int = 100_000  # persons of the register used by the reimbursement batch
    cases: int = 1_000_000
    niss_lines: int = 1_000_000

    @property
    def tariff_rows(self) -> int:
        """Rows of ``tariffs.csv``: one per code, period and profile."""
        return self.codes * self.periods * len(PROFILES)


FULL = Sizes()
QUICK = Sizes(codes=60, periods=4, persons=2_000, register=400, cases=2_000, niss_lines=2_000)


@dataclass(frozen=True)
class DataSet:
    """Generated files and what the runner needs to know about them."""

    directory: Path
    seed: int
    sizes: Sizes
    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)
    search_queries: tuple[str, ...] = ()

    def path(self, name: str) -> Path:
        """One of the generated files, e.g. ``path("tariffs.csv")``."""
        return self.directory / name


# ------------------------------------------------------------------ vocabulary

# (FR, NL) pieces of labels, in the style of the nomenclature ("Consultation au cabinet par
# un médecin généraliste" / "Raadpleging in de spreekkamer door een huisarts"): accents in
# FR so that accent-insensitive search is exercised.
_ACTS = (
    ("Consultation", "Raadpleging"),
    ("Visite", "Bezoek"),
    ("Examen", "Onderzoek"),
    ("Traitement", "Behandeling"),
    ("Radiographie", "Radiografie"),
    ("Échographie", "Echografie"),
    ("Prélèvement", "Afname"),
    ("Séance de kinésithérapie", "Zitting kinesitherapie"),
    ("Détartrage", "Tandsteenverwijdering"),
    ("Électrocardiogramme", "Elektrocardiogram"),
    ("Suture de plaie", "Hechting van wonde"),
    ("Injection", "Inspuiting"),
)
_WHO = (
    ("par un médecin généraliste", "door een huisarts"),
    ("par un médecin spécialiste", "door een geneesheer-specialist"),
    ("par un kinésithérapeute", "door een kinesitherapeut"),
    ("par un dentiste", "door een tandarts"),
    ("par un pédiatre", "door een pediater"),
    ("par un cardiologue", "door een cardioloog"),
    ("par un radiologue", "door een radioloog"),
    ("par un médecin accrédité", "door een geaccrediteerde arts"),
)
_WHERE = (
    ("au cabinet", "in de spreekkamer"),
    ("au domicile du patient", "bij de patiënt thuis"),
    ("en hôpital", "in het ziekenhuis"),
    ("du genou", "van de knie"),
    ("de l'épaule", "van de schouder"),
    ("abdominale", "van de buik"),
    ("thoracique", "van de thorax"),
    ("la nuit", "'s nachts"),
    ("le week-end", "tijdens het weekend"),
    ("en urgence", "dringend"),
    ("de suivi", "ter opvolging"),
    ("approfondi", "uitgebreid"),
)
# Queries timed by the search scenario (typed without accents, as a user would).
SEARCH_QUERIES = (
    "consultation medecin",
    "echographie abdominale",
    "kinesitherapie",
    "raadpleging huisarts",
    "genou",
    "visite domicile nuit",
)
_CATEGORIES = (
    ("gp_consultation", "2"),
    ("specialist_consultation", "2"),
    ("physio", "7"),
    ("other", "3"),
    ("other", "5"),
    ("other", "14 a"),
    ("other", "17"),
    ("other", "24"),
)
_LAST = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent",
    "Leclercq", "Hermans", "Michiels", "Lemmens", "Vermeulen", "Desmet", "Van Damme",
    "Renard", "Lefebvre", "Mathieu", "Dumont", "Denis", "Collard", "Pauwels",
)  # fmt: skip
_FIRST = (
    "Emma", "Louise", "Olivia", "Elena", "Noah", "Arthur", "Louis", "Jules", "Adam", "Lucas",
    "Marie", "Anne", "Sophie", "Julie", "Marc", "Luc", "Jan", "Pieter", "Nathalie", "Sarah",
    "Thomas", "Nicolas", "Léa", "Zoé", "Mila", "Victor", "Liam", "Hanne", "Wout", "Fien",
)  # fmt: skip
# Approximate shares of the sickness funds (CM, Solidaris, Mutualités libres, ...).
_INSURERS = ("100", "200", "300", "400", "500", "600", "900")
_INSURER_WEIGHTS = (40, 8, 27, 5, 18, 1.5, 0.5)

TARIFF_HEADER = (
    "code", "valid_from", "valid_to", "fee", "regime", "dmg", "age_from", "age_to", "chronic",
    "reimbursement", "key_terms", "label_fr", "label_nl", "article", "source", "category",
    "setting",
)  # fmt: skip
PERSON_HEADER = (
    "niss", "last_name", "first_name", "insurer_code", "member_number", "quality",
    "titular_niss", "ct1", "ct2", "valid_from", "valid_to", "death_date",
)  # fmt: skip
ENTITLEMENT_HEADER = ("niss", "kind", "valid_from", "valid_to", "detail")
CASE_HEADER = ("code", "date", "niss", "regime", "dmg", "age", "chronic", "provider", "charged")


# ------------------------------------------------------------------ helpers


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _check_mod7(stem: int) -> str:
    """A code whose 6th digit is its first five mod 7 (the pattern of every known code)."""
    return f"{stem:05d}{stem % 7}"


def _gp_number(rng: random.Random) -> str:
    """An invented INAMI provider number of a GP: 6 digits, 2 check digits mod 97, ``004``."""
    base = rng.randint(100000, 199999)
    return f"{base}{97 - base % 97:02d}004"


def _writer(path: Path, header: Sequence[str]) -> tuple[Any, Callable[[Iterable[Any]], Any]]:
    handle = path.open("w", newline="", encoding="utf-8")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    return handle, writer.writerow


def key_of(seed: int, sizes: Sizes) -> str:
    """Short hash naming a data set: the same seed, sizes and generator share one directory."""
    text = json.dumps({"version": GENERATOR_VERSION, "seed": seed, **asdict(sizes)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


# ------------------------------------------------------------------ generators


@dataclass
class _Codes:
    codes: list[str]
    base_fee: list[int]  # cents in the first period
    categories: list[str]


def _fee(base: int, period: int) -> int:
    """The fee of one period: about 2 % indexation a year, in cents."""
    return round(base * 1.02**period)


def _reimbursement(fee: int, profile: str) -> int:
    return fee * (90 if profile == "preferential" else 75) // 100


def write_tariffs(path: Path, sizes: Sizes, rng: random.Random, seed: int) -> _Codes:
    """``tariffs.csv``: every code with ``periods`` yearly periods, two profiles each."""
    first_year = LAST_YEAR - sizes.periods + 1
    starts = [date(first_year + p, 1, 1).isoformat() for p in range(sizes.periods)]
    ends = [date(first_year + p, 12, 31).isoformat() for p in range(sizes.periods - 1)] + [""]
    source = f"benchmark generator (seed {seed})"
    out = _Codes([], [], [])
    handle, write = _writer(path, TARIFF_HEADER)
    with handle:
        for i in range(sizes.codes):
            code = _check_mod7(30000 + i)
            act_fr, act_nl = rng.choice(_ACTS)
            who_fr, who_nl = rng.choice(_WHO)
            where_fr, where_nl = rng.choice(_WHERE)
            label_fr, label_nl = f"{act_fr} {where_fr} {who_fr}", f"{act_nl} {where_nl} {who_nl}"
            category, article = _CATEGORIES[i % len(_CATEGORIES)]
            base = rng.randint(1000, 25000)
            out.codes.append(code)
            out.base_fee.append(base)
            out.categories.append(category)
            for p in range(sizes.periods):
                fee = _fee(base, p)
                for profile in PROFILES:
                    write((
                        code, starts[p], ends[p], _money(fee), profile, "", "", "", "",
                        _money(_reimbursement(fee, profile)), "", label_fr, label_nl, article,
                        source, category, "any",
                    ))  # fmt: skip
    return out


@dataclass
class _Person:
    niss: str
    birth: date
    start: date


def _new_niss(rng: random.Random, seen: set[str]) -> tuple[str, date]:
    span = (date(2024, 12, 31) - date(1930, 1, 1)).days
    while True:
        birth = date(1930, 1, 1) + timedelta(days=rng.randint(0, span))
        number = make_niss(birth, rng.randint(1, 997), bis=rng.random() < 0.02)
        if number not in seen:
            seen.add(number)
            return number, birth


def write_persons(
    directory: Path, sizes: Sizes, rng: random.Random
) -> tuple[list[str], set[str], dict[str, int]]:
    """``persons.csv`` and ``entitlements.csv`` (and their ``register-`` prefixes).

    Person 0 is a plain titular, insured from 2008 with no end: the sample of the one-case
    commands. About 12 % are dependents of an earlier titular, 8 % changed insurer (two
    rows), 3 % lost their coverage, 0.5 % died.
    """
    seen: set[str] = set()
    numbers: list[str] = []
    titulars: list[str] = []
    member_seq = dict.fromkeys(_INSURERS, 1_000_000)
    counts = {"person_rows": 0, "entitlement_rows": 0, "register_person_rows": 0}
    counts["register_entitlement_rows"] = 0
    files = [
        _writer(directory / "persons.csv", PERSON_HEADER),
        _writer(directory / "register-persons.csv", PERSON_HEADER),
        _writer(directory / "entitlements.csv", ENTITLEMENT_HEADER),
        _writer(directory / "register-entitlements.csv", ENTITLEMENT_HEADER),
    ]
    (_, person), (_, reg_person), (_, entitlement), (_, reg_entitlement) = files
    randint, random_, choice = rng.randint, rng.random, rng.choice
    insurer_of = rng.choices
    try:
        for i in range(sizes.persons):
            niss, birth = _new_niss(rng, seen)
            numbers.append(niss)
            in_register = i < sizes.register
            start = max(birth, date(2008, 1, 1) + timedelta(days=randint(0, 3650) if i else 0))
            insurer = insurer_of(_INSURERS, _INSURER_WEIGHTS)[0]
            member_seq[insurer] += 1
            dependent = i > 10 and random_() < 0.12
            titular = choice(titulars) if dependent else ""
            if not dependent:
                titulars.append(niss)
            draw = random_() if i else 1.0
            ct1 = "111" if draw < 0.15 else ("131" if draw < 0.2 else "110")
            last, first = choice(_LAST), choice(_FIRST)
            death = ""
            if i and birth.year < 1960 and random_() < 0.005:
                death = (date(2023, 1, 1) + timedelta(days=randint(0, 900))).isoformat()
            quality = "dependent" if dependent else "titular"
            rows: list[tuple[str, ...]] = []
            fate = random_() if i else 1.0
            if fate < 0.08 and start < date(2024, 1, 1):  # transfer between two funds
                moved = start + timedelta(days=randint(1, (date(2025, 1, 1) - start).days))
                other = choice([c for c in _INSURERS if c != insurer])
                member_seq[other] += 1
                rows.append((
                    niss, last, first, insurer, str(member_seq[insurer]), quality, titular,
                    ct1, ct1, start.isoformat(), (moved - timedelta(days=1)).isoformat(), death,
                ))  # fmt: skip
                rows.append((
                    niss, last, first, other, str(member_seq[other]), quality, titular, ct1,
                    ct1, moved.isoformat(), "", death,
                ))  # fmt: skip
            else:
                end = ""
                if fate < 0.11 and start < date(2022, 1, 1):  # coverage ended
                    end = (date(2022, 1, 1) + timedelta(days=randint(0, 900))).isoformat()
                rows.append((
                    niss, last, first, insurer, str(member_seq[insurer]), quality, titular,
                    ct1, ct1, start.isoformat(), end, death,
                ))  # fmt: skip
            for row in rows:
                person(row)
                if in_register:
                    reg_person(row)
            counts["person_rows"] += len(rows)
            counts["register_person_rows"] += len(rows) * in_register
            rights: list[tuple[str, ...]] = []
            right_from = max(birth, date(2015, 1, 1)) + timedelta(days=randint(0, 3000))
            if right_from > date(2026, 1, 1):
                right_from = max(birth, date(2026, 1, 1))
            if i == 0 or random_() < 0.3:
                rights.append((niss, "dmg", right_from.isoformat(), "", _gp_number(rng)))
            if ct1 != "110":
                detail = "automatic" if ct1 == "131" else "income"
                rights.append((niss, "bim", start.isoformat(), "", detail))
            if i and random_() < 0.05:
                rights.append((niss, "chronic", right_from.isoformat(), "", ""))
            if i and random_() < 0.03:
                rights.append((niss, "third_party", right_from.isoformat(), "", ""))
            for row in rights:
                entitlement(row)
                if in_register:
                    reg_entitlement(row)
            counts["entitlement_rows"] += len(rights)
            counts["register_entitlement_rows"] += len(rights) * in_register
    finally:
        for handle, _ in files:
            handle.close()
    return numbers, seen, counts


def write_cases(
    path: Path, sizes: Sizes, rng: random.Random, codes: _Codes, register: Sequence[str]
) -> None:
    """``cases.csv``: half by NISS (register persons), half with the profile given."""
    first_year = LAST_YEAR - sizes.periods + 1
    day0 = date(first_year, 1, 1)
    span = (CASES_UNTIL - day0).days
    days = [(day0 + timedelta(days=d)) for d in range(span + 1)]
    iso = [d.isoformat() for d in days]
    handle, write = _writer(path, CASE_HEADER)
    randint, random_ = rng.randint, rng.random
    n_codes, n_register = len(codes.codes), len(register)
    with handle:
        for _ in range(sizes.cases):
            c = randint(0, n_codes - 1)
            d = randint(0, span)
            draw = random_()
            provider, charged = "conventioned", ""
            if draw < 0.10:
                provider = "non-conventioned"
                fee = _fee(codes.base_fee[c], days[d].year - first_year)
                charged = _money(fee * 120 // 100)
            elif draw < 0.15:
                provider = "partially"
            if random_() < 0.5:
                write((codes.codes[c], iso[d], register[randint(0, n_register - 1)], "", "",
                       "", "", provider, charged))  # fmt: skip
            else:
                write((
                    codes.codes[c], iso[d], "",
                    "preferential" if random_() < 0.2 else "ordinary",
                    "yes" if random_() < 0.5 else "no", str(randint(0, 95)),
                    "yes" if random_() < 0.05 else "no", provider, charged,
                ))  # fmt: skip


def write_niss_lines(
    path: Path, sizes: Sizes, rng: random.Random, persons: Sequence[str], seen: set[str]
) -> None:
    """``niss.csv``: 90 % known persons (half with a date), ~10 % unknown, 0.01 % invalid."""
    dates = [(date(2020, 1, 1) + timedelta(days=d)).isoformat() for d in range(0, 2500, 7)]
    handle, write = _writer(path, ("niss", "date"))
    randint, random_ = rng.randint, rng.random
    n = len(persons)
    with handle:
        for _ in range(sizes.niss_lines):
            draw = random_()
            if draw < 0.0001:
                number = persons[randint(0, n - 1)]
                niss = number[:10] + str((int(number[10]) + 1) % 10)  # bad check digits
            elif draw < 0.1:
                niss, _birth = _new_niss(rng, seen)  # valid, not in the register
            else:
                niss = persons[randint(0, n - 1)]
            if random_() < 0.5:
                write((niss, dates[randint(0, len(dates) - 1)]))
            else:
                write((niss,))


INDEMNITY_FILE = "indemnity-cases.csv"
INDEMNITY_HEADER = (
    "on", "scheme", "incapacity_start", "family_situation", "regular_worker",
    "worker_category", "gross_daily", "gross_monthly", "unemployment_daily",
)  # fmt: skip
INDEMNITY_DAYS = ("2026-03-02", "2026-06-01")  # a fund's run: today's amount of every case


def write_indemnity_cases(path: Path, rows: int, seed: int) -> None:
    """``indemnity-cases.csv``: ongoing incapacities of the last three years asked on two
    days, as a fund's daily run (80 % employees, 10 % unemployed, 10 % self-employed; wages
    of 60-260 a day, 5 % given monthly)."""
    rng = random.Random(seed * 31 + 16)  # invented test data, not secrets
    day0 = date(2023, 3, 1)
    starts = [(day0 + timedelta(days=n)).isoformat() for n in range(0, 1096)]
    randint, random_ = rng.randint, rng.random
    handle, write = _writer(path, INDEMNITY_HEADER)
    with handle:
        for _ in range(rows):
            draw = random_()
            scheme = "employee" if draw < 0.8 else "unemployed" if draw < 0.9 else "self-employed"
            situation = ("family", "isolated", "cohabitant")[randint(0, 2)]
            regular = "no" if random_() < 0.1 else "yes"
            category = "blue-collar" if random_() < 0.3 else "white-collar"
            daily = monthly = unemployment = ""
            if scheme != "self-employed":
                cents = randint(6_000, 26_000)
                if random_() < 0.05:
                    monthly = _money(cents * 26)
                else:
                    daily = _money(cents)
                if scheme == "unemployed":
                    unemployment = _money(randint(5_000, 7_500))
            write((INDEMNITY_DAYS[randint(0, 1)], scheme, starts[randint(0, len(starts) - 1)],
                   situation, regular, category, daily, monthly, unemployment))  # fmt: skip


def ensure_indemnity_cases(data: DataSet) -> Path:
    """The indemnity batch input of *data* (``sizes.cases`` rows), written on first use so
    that data sets generated before it are reused as they are."""
    path = data.path(INDEMNITY_FILE)
    if not path.is_file():
        tmp = path.with_suffix(".partial")
        write_indemnity_cases(tmp, data.sizes.cases, data.seed)
        tmp.replace(path)
    return path


BILLING_FILE = "billing.csv"
BILLING_PROVIDERS = "billing-providers.csv"
BILLING_HEADER = (
    "provider_id", "niss", "code", "date", "time", "charged", "reimbursement_claimed",
    "prescriber_id",
)  # fmt: skip
BILLING_PROVIDER_COUNT = 500
BILLING_FROM = date(2025, 1, 1)  # most care within the 2-year limit of the bench's billing


def _provider_numbers(rng: random.Random, count: int) -> list[str]:
    numbers: set[str] = set()
    while len(numbers) < count:
        numbers.add(_gp_number(rng))
    return sorted(numbers)


def write_billing(directory: Path, rows: int, seed: int) -> None:
    """``billing.csv`` (``inami control audit``) and ``billing-providers.csv`` (``inami
    provider import``), shaped as providers bill: runs of 5-30 lines per provider and day
    (a GP's day), each provider with a repertoire of 12 codes (none of the dentists' article
    5), patients drawn from the register, physiotherapy with a prescriber. Claims are what
    the generated tariffs give (by the patient's BIM right) but for ~3 % planted errors
    (claim + 1.00, above-fee charges, care before the 2-year limit)."""
    rng = random.Random(seed * 31 + 18)  # invented test data, not secrets
    reimbursements: dict[tuple[str, int, str], str] = {}
    fees: dict[tuple[str, int], int] = {}
    category: dict[str, str] = {}
    with (directory / "tariffs.csv").open(newline="", encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            year = int(rec["valid_from"][:4])
            reimbursements[(rec["code"], year, rec["regime"])] = rec["reimbursement"]
            fees[(rec["code"], year)] = round(float(rec["fee"]) * 100)
            if rec["article"] != "5":
                category[rec["code"]] = rec["category"]
    codes = sorted(category)
    with (directory / "register-persons.csv").open(newline="", encoding="utf-8") as handle:
        register = list(dict.fromkeys(r["niss"] for r in csv.DictReader(handle)))
    with (directory / "register-entitlements.csv").open(newline="", encoding="utf-8") as handle:
        bim = {r["niss"] for r in csv.DictReader(handle) if r["kind"] == "bim"}
    providers = _provider_numbers(rng, BILLING_PROVIDER_COUNT)
    repertoire = {p: rng.sample(codes, min(12, len(codes))) for p in providers}
    handle, write = _writer(directory / BILLING_PROVIDERS, ("nihii", "profession", "last_name",
                                                            "valid_from"))  # fmt: skip
    with handle:
        for number in providers:
            write((number, "doctor", rng.choice(_LAST), "2000-01-01"))
    span = (CASES_UNTIL - BILLING_FROM).days
    days = [BILLING_FROM + timedelta(days=d) for d in range(span + 1)]
    randint, random_ = rng.randint, rng.random
    handle, write = _writer(directory / BILLING_FILE, BILLING_HEADER)
    written = 0
    with handle:
        while written < rows:
            provider = providers[written % len(providers)]
            own = repertoire[provider]
            day = days[randint(0, span)]
            run = min(randint(5, 30), rows - written)
            for i in range(run):
                niss = register[randint(0, len(register) - 1)]
                code = own[randint(0, len(own) - 1)]
                when = day
                draw = random_()
                if draw < 0.005:
                    when = date(2022, 3, randint(1, 28))  # billed too late
                regime = "preferential" if niss in bim else "ordinary"
                claimed = reimbursements.get((code, when.year, regime), "0.00")
                charged = ""
                if 0.005 <= draw < 0.02:
                    claimed = _money(round(float(claimed) * 100) + 100)
                elif 0.02 <= draw < 0.03:
                    charged = _money(fees.get((code, when.year), 0) + 500)
                at = f"{8 + i * 20 // 60:02d}:{i * 20 % 60:02d}"
                prescriber = providers[0] if category[code] == "physio" else ""
                write((provider, niss, code, when.isoformat(), at, charged, claimed, prescriber))
            written += run


def ensure_billing(data: DataSet) -> Path:
    """The billing file of *data* (``sizes.cases`` lines) and its providers, written on
    first use (data sets generated before it are reused as they are)."""
    path = data.path(BILLING_FILE)
    if not path.is_file():
        write_billing(data.directory, data.sizes.cases, data.seed)
    return path


REALISTIC_FILE = "realistic-cases.csv"
REALISTIC_FROM = date(LAST_YEAR, 1, 1)  # one billing quarter: one tariff period per code
REALISTIC_DAYS = 90
_ZIPF_S = 1.1  # code frequencies: the top 10 codes ~40 % of the rows, the top 100 ~65 %
_SURCHARGES = (105, 110, 115, 120)  # what a non-conventioned provider charges, % of the fee


def write_realistic_cases(
    path: Path, rows: int, seed: int, fees: dict[str, int], register: Sequence[str]
) -> None:
    """``realistic-cases.csv``: the columns of ``cases.csv`` in the mix a fund bills.

    Unlike the adversarial ``cases.csv`` (codes and ten years of dates drawn uniformly, so
    that no two cases are alike), real billing is concentrated (issue 19): codes follow a
    Zipf law (s = 1.1) over a shuffled ranking, the dates are one quarter (2026 Q1), half
    the rows name a person of the register, the other half give a profile in realistic
    shares (20 % preferential, 50 % with a DMG, 5 % chronic, ages weighted towards the
    elderly), 85 % of the rows come from conventioned providers, 10 % from non-conventioned
    ones charging the fee plus 5, 10, 15 or 20 %, 5 % from partially conventioned ones. The
    charged amounts therefore repeat, as on real invoices.
    """
    rng = random.Random(seed * 31 + 19)  # invented test data, not secrets
    codes = sorted(fees)
    rng.shuffle(codes)
    weights = [1 / (rank + 1) ** _ZIPF_S for rank in range(len(codes))]
    cumulative = list(itertools.accumulate(weights))
    iso = [(REALISTIC_FROM + timedelta(days=d)).isoformat() for d in range(REALISTIC_DAYS)]
    ages = [str(a) for a in range(96)]
    age_weights = [1 + a // 10 for a in range(96)]
    age_cumulative = list(itertools.accumulate(age_weights))
    choices, randint, random_ = rng.choices, rng.randint, rng.random
    n_register = len(register)
    handle, write = _writer(path, CASE_HEADER)
    with handle:
        for code in choices(codes, cum_weights=cumulative, k=rows):
            day = iso[randint(0, REALISTIC_DAYS - 1)]
            draw = random_()
            provider, charged = "conventioned", ""
            if draw < 0.10:
                provider = "non-conventioned"
                charged = _money(fees[code] * _SURCHARGES[randint(0, 3)] // 100)
            elif draw < 0.15:
                provider = "partially"
            if random_() < 0.5:
                write((code, day, register[randint(0, n_register - 1)], "", "", "", "",
                       provider, charged))  # fmt: skip
            else:
                write((
                    code, day, "", "preferential" if random_() < 0.2 else "ordinary",
                    "yes" if random_() < 0.5 else "no",
                    choices(ages, cum_weights=age_cumulative)[0],
                    "yes" if random_() < 0.05 else "no", provider, charged,
                ))  # fmt: skip


def ensure_realistic_cases(data: DataSet) -> Path:
    """The realistic case file of *data* (``sizes.cases`` rows), written on first use from
    the data set's tariffs and register, so that data sets generated before it are reused."""
    path = data.path(REALISTIC_FILE)
    if path.is_file():
        return path
    first = REALISTIC_FROM.isoformat()
    fees: dict[str, int] = {}
    with data.path("tariffs.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["valid_from"] == first and row["regime"] == PROFILES[0]:
                whole, cents = row["fee"].split(".")
                fees[row["code"]] = int(whole) * 100 + int(cents)
    with data.path("register-persons.csv").open(encoding="utf-8", newline="") as handle:
        register = list(dict.fromkeys(row["niss"] for row in csv.DictReader(handle)))
    tmp = path.with_suffix(".partial")
    write_realistic_cases(tmp, data.sizes.cases, data.seed, fees, register)
    tmp.replace(path)
    return path


PROVIDERS_FILE = "bench-providers.csv"
ADHERENCE_FILE = "bench-adherence.csv"
PROVIDER_CASES_FILE = "cases-provider.csv"
PROVIDER_HEADER = (
    "nihii", "profession", "last_name", "first_name", "valid_from", "valid_to",
    "accredited_from", "accredited_to", "street", "postcode", "city", "region",
)  # fmt: skip
ADHERENCE_HEADER = ("agreement", "nihii", "status", "effective_from", "registered_on", "blocks")
# how many invented doctors of each convention status the provider batch names, GPs
# (qualification 004) and specialists (100, for the specialist consultation codes)
BENCH_PROVIDERS = {"conventioned": 300, "non-conventioned": 30, "partially": 15}
BENCH_BLOCKS = "Mon 14-18, Wed 14-18, Fri 14-18"  # at most 3 blocks of 4 hours (a GP)
BENCH_REGIONS = ("brussels", "flanders", "wallonia")
# The seeded doctors' agreements start in 2024; invented ones cover the generated cases
# before, and the dentists (``inami agreement add``), so that each provider's status is
# known on every date of care. (key, profession, from, to)
BENCH_NEW_AGREEMENTS = (
    ("bench-doctors-2014-2023", "doctor", "2014-01-01", "2023-12-31"),
    ("bench-dentists", "dentist", "2014-01-01", ""),
)
BENCH_AGREEMENTS = {
    "doctor": ("bench-doctors-2014-2023", "doctors-2024-2025", "doctors-2026-2027"),
    "dentist": ("bench-dentists",),
}
SPECIALIST_CODES = ("102012", "102896")  # inami_cli/data/attest_rules.csv: specialists only


def _provider_number(n: int, profession: str, qualification: str) -> str:
    """The *n*-th invented provider: profession digit (1 doctor, 3 dentist), a 5-digit
    sequence from 80000 (no demo provider uses it), check digits 97 - (first 6 mod 97),
    then the qualification."""
    base = (100000 if profession == "doctor" else 300000) + 80000 + n
    return f"{base}{97 - base % 97:02d}{qualification}"


def write_provider_cases(directory: Path) -> None:
    """The provider batch (issue 14): ``cases.csv`` with each row's provider named by INAMI
    number (``provider_id``: a provider of the row's convention status who may attest the
    code: a dentist for article 5, a specialist for the specialist consultations, a GP
    otherwise; ``time`` for the partially conventioned) instead of the ``provider``
    status; and the invented register it needs (``bench-providers.csv``,
    ``bench-adherence.csv``)."""
    ids: dict[tuple[str, str], list[str]] = {}
    professions: dict[str, str] = {}
    n = 0
    with (directory / PROVIDERS_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PROVIDER_HEADER)
        for profession, qualification in (("doctor", "004"), ("doctor", "100"), ("dentist", "001")):
            for status, count in BENCH_PROVIDERS.items():
                if profession == "dentist" and status == "partially":
                    status = "conventioned"  # partial blocks are a doctors' rule
                for _ in range(count):
                    nihii = _provider_number(n, profession, qualification)
                    ids.setdefault((qualification, status), []).append(nihii)
                    professions[nihii] = profession
                    writer.writerow((
                        nihii, profession, f"Bench{n:04d}", "Test", "2008-01-01", "",
                        "2010-01-01", "", "", "", "", BENCH_REGIONS[n % 3],
                    ))  # fmt: skip
                    n += 1
    with (directory / ADHERENCE_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ADHERENCE_HEADER)
        for (_qualification, status), numbers in ids.items():
            for nihii in numbers if status != "conventioned" else ():
                for agreement in BENCH_AGREEMENTS[professions[nihii]]:
                    adherence = "refused" if status == "non-conventioned" else "partial"
                    blocks = BENCH_BLOCKS if adherence == "partial" else ""
                    writer.writerow((agreement, nihii, adherence, "", "", blocks))
    with (directory / "tariffs.csv").open(newline="", encoding="utf-8") as handle:
        article = {row["code"]: row["article"] for row in csv.DictReader(handle)}
    low, high = SPECIALIST_CODES
    tmp = directory / (PROVIDER_CASES_FILE + ".partial")
    with (
        (directory / "cases.csv").open(newline="", encoding="utf-8") as source,
        tmp.open("w", newline="", encoding="utf-8") as target,
    ):
        reader = csv.reader(source)
        writer = csv.writer(target, lineterminator="\n")
        header = next(reader)
        writer.writerow((*header, "provider_id", "time"))
        at = header.index("provider")
        for i, row in enumerate(reader):
            status = row[at] or "conventioned"
            qualification = "100" if low <= row[0] <= high else "004"
            if article.get(row[0]) == "5":
                qualification = "001"
                status = "conventioned" if status == "partially" else status
            pool = ids[(qualification, status)]
            row[at] = ""
            writer.writerow((*row, pool[i % len(pool)], "15:00" if status == "partially" else ""))
    tmp.replace(directory / PROVIDER_CASES_FILE)


def ensure_provider_cases(data: DataSet) -> Path:
    """The provider batch input of *data* and its register, written on first use so that
    data sets generated before it are reused as they are."""
    path = data.path(PROVIDER_CASES_FILE)
    if not path.is_file():
        write_provider_cases(data.directory)
    return path


# ------------------------------------------------------------------ entry point


def generate(
    sizes: Sizes = FULL,
    seed: int = DEFAULT_SEED,
    *,
    work_dir: Path = WORK_DIR,
    force: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> DataSet:
    """Generate the data set for *seed* and *sizes*, or reuse it when already there."""
    directory = work_dir / f"data-{key_of(seed, sizes)}"
    manifest = directory / "manifest.json"
    if manifest.is_file() and not force:
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("version") == GENERATOR_VERSION and saved.get("seed") == seed:
            log(f"reusing data in {directory}")
            return DataSet(
                directory,
                seed,
                sizes,
                saved["counts"],
                saved["samples"],
                tuple(saved["search_queries"]),
            )
    directory.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)  # written last: its presence means "complete"
    rng = random.Random(seed)  # invented test data, not secrets
    log(f"generating {sizes.tariff_rows} tariff rows ({sizes.codes} codes)")
    codes = write_tariffs(directory / "tariffs.csv", sizes, rng, seed)
    log(f"generating {sizes.persons} persons with affiliations and entitlements")
    persons, seen, counts = write_persons(directory, sizes, rng)
    register = persons[: sizes.register]
    log(f"generating {sizes.cases} reimbursement cases")
    write_cases(directory / "cases.csv", sizes, rng, codes, register)
    log(f"generating {sizes.niss_lines} NISS lines")
    write_niss_lines(directory / "niss.csv", sizes, rng, persons, seen)
    counts.update(
        tariff_rows=sizes.tariff_rows,
        codes=sizes.codes,
        persons=sizes.persons,
        register=len(register),
        cases=sizes.cases,
        niss_lines=sizes.niss_lines,
    )
    samples = {
        "code": codes.codes[len(codes.codes) // 2],
        "date": "2026-03-02",
        "niss": persons[0],
    }
    saved = {
        "version": GENERATOR_VERSION,
        "seed": seed,
        "sizes": asdict(sizes),
        "counts": counts,
        "samples": samples,
        "search_queries": list(SEARCH_QUERIES),
    }
    manifest.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return DataSet(directory, seed, sizes, counts, samples, SEARCH_QUERIES)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.generate [--quick] [--seed N] [--force]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="Tiny sizes (seconds).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
    parser.add_argument("--force", action="store_true", help="Regenerate even if present.")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR, help="Where to write.")
    args = parser.parse_args(argv)
    data = generate(
        QUICK if args.quick else FULL,
        args.seed,
        work_dir=args.work_dir,
        force=args.force,
        log=lambda m: print(m, file=sys.stderr),
    )
    print(data.directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
