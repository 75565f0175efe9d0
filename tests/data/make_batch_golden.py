"""Make the golden files of the batch commands (``tests/cli/test_batch_golden.py``).

The inputs are mixed batches over the demo data (``inami init --demo``): every demo code on
dates around each tariff and rule boundary, persons by NISS (insured, ended, deceased,
unknown, malformed) and profiles given explicitly, every provider, amounts charged below,
at and above the fee, settings, automatic BIM, and rows that are rejected (bad date, bad
flag, unknown code, wrong number of fields ...). The expected files are what the commands
wrote for them when they were frozen; the test holds every later version of the batch
commands (their caches, their worker processes) to the same bytes.

The indemnity input (``indemnity batch``) mixes every scheme, family situation, worker
category, kind and schedule, wages given daily or monthly (and none, for the demo persons'
recorded spells), unemployment allowances, partial resumptions, dates around the parameter
changes and the phase boundaries, and rows that are rejected.

Usage: python tests/data/make_batch_golden.py [--inputs-only] [VARIANT ...]
(``--inputs-only`` rewrites the inputs without freezing new expected outputs; VARIANT names
freeze only those variants, e.g. ``indemnity-csv``.)
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REIMBURSE_INPUT = HERE / "batch_reimburse_mixed.csv"
INSURED_INPUT = HERE / "batch_insured_mixed.txt"
INDEMNITY_INPUT = HERE / "batch_indemnity_mixed.csv"

DEMO_PERSONS = (
    "85061508234", "72110313704", "16042205863", "03022817561", "60013021159", "90090906467",
    "68031230508", "38070101229", "79522409148", "50051702367", "45000044614",
)  # fmt: skip
UNKNOWN = "85073003328"  # valid number, nobody in the fixtures
DATES = (
    "2014-06-01", "2017-05-01", "2019-08-31", "2019-09-01", "2021-06-15", "2022-09-01",
    "2023-06-30", "2023-07-01", "2023-09-30", "2023-10-01", "2024-01-01", "2024-06-30",
    "2024-12-31", "2025-01-01", "2025-04-30", "2025-05-01", "2025-11-20", "2025-11-21",
    "2025-12-31", "2026-01-01", "2026-03-02", "2026-06-30", "2026-07-01", "2/3/2026",
)  # fmt: skip
PROVIDERS = ("", "", "", "conventioned", "partially", "non-conventioned", "Non-Conventioned")
COLUMNS = (
    "code", "date", "niss", "regime", "dmg", "age", "chronic", "provider", "charged", "setting",
    "bim_automatic",
)  # fmt: skip
# Rows that a batch must reject (each alone on its line), and odd but valid ones.
ODD_ROWS = (
    "101076,2026-02-30,,ordinary,,,,,,,",
    "101076,2026-03-02,,gold,,,,,,,",
    "101076,2026-03-02,,ordinary,maybe,,,,,,",
    "101076,2026-03-02,,ordinary,,forty,,,,,",
    "101076,2026-03-02,,ordinary,,151,,,,,",
    "101076,2026-03-02,,ordinary,,,,dentist,,,",
    "101076,2026-03-02,,ordinary,,,,,12.345,,",
    "101076,2026-03-02,,ordinary,,,,,-5,,",
    "101076,2026-03-02,,ordinary,,,,,,garden,",
    "101076,2026-03-02,,ordinary,,,,,,,perhaps",
    "999996,2026-03-02,,ordinary,,,,,,,",
    "101076,2026-03-02,,,,,,,,,",
    "101076,2026-03-02,12345,,,,,,,,",
    f"101076,2026-03-02,{UNKNOWN},,,,,,,,",
    "101076,2026-03-02,,ordinary",
    "101076,2026-03-02,,ordinary,,,,,,,,extra",
    "",
    ",,,,,,,,,,",
    "101076,2026-03-02,,BIM,oui,40,nee,,,,",
    "101076,2026-03-02,,VT,Ja,24,Non,,,,",
    "101076, 2026-03-02 ,85.06.15-082.34,,,,,,,,",
    '101076,2026-03-02,,ordinary,,,,non-conventioned,"40,00",,',
    "101076,2026-03-02,,ordinary,,,,non-conventioned,€ 40.5,,",
    "101076,2026-03-02,,preferential,yes,40,,non-conventioned,40,ambulatory,yes",
    "101076,2026-03-02,,preferential,yes,40,,non-conventioned,40,hospitalised,no",
)


def _charged(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.6:
        return ""
    if draw < 0.7:
        return "0"
    return f"{rng.choice((5, 18, 25, 30, 33, 34, 40, 60, 120))}.{rng.choice(('00', '73', '5'))}"


def reimburse_rows(codes: list[str], rng: random.Random) -> list[str]:
    """The mixed reimbursement input (header, then rows)."""
    lines = [",".join(COLUMNS)]
    for _ in range(2400):
        code = rng.choice(codes)
        day = rng.choice(DATES)
        niss = regime = dmg = age = chronic = auto = ""
        if rng.random() < 0.45:
            niss = rng.choice((*DEMO_PERSONS, *DEMO_PERSONS, UNKNOWN))
            if rng.random() < 0.15:  # explicit values win over the register
                regime = rng.choice(("ordinary", "preferential"))
            if rng.random() < 0.15:
                dmg = rng.choice(("yes", "no"))
            if rng.random() < 0.1:
                age = str(rng.randint(0, 95))
        else:
            regime = rng.choice(("ordinary", "ordinary", "preferential", "bim"))
            dmg = rng.choice(("", "yes", "no"))
            age = rng.choice(("", str(rng.randint(0, 95)), str(rng.randint(15, 26))))
            chronic = rng.choice(("", "no", "no", "yes"))
            auto = rng.choice(("", "", "yes", "no"))
        provider = rng.choice(PROVIDERS)
        setting = rng.choice(("", "", "", "ambulatory", "hospitalised"))
        row = (code, day, niss, regime, dmg, age, chronic, provider, _charged(rng), setting, auto)
        lines.append(",".join(row))
        if rng.random() < 0.01:
            lines.append(rng.choice(ODD_ROWS))
    lines.extend(ODD_ROWS)
    return lines


def insured_lines(rng: random.Random) -> list[str]:
    """The mixed ``insured batch`` input (one NISS, or NISS,DATE, a line)."""
    lines = ["niss,date"]
    odd = (
        "", "# a comment", "123", "8506150823X", "85061508235", "85.06.15-082.34",
        f"{UNKNOWN},2026-03-02", "85061508234,2026-13-01", "85061508234,", " 85061508234 ",
        "85061508234,2/3/2026", "85061508234, 2025-01-01 ",
    )  # fmt: skip
    for _ in range(1500):
        niss = rng.choice((*DEMO_PERSONS, UNKNOWN))
        if rng.random() < 0.5:
            lines.append(f"{niss},{rng.choice(DATES)}")
        else:
            lines.append(niss)
        if rng.random() < 0.02:
            lines.append(rng.choice(odd))
    lines.extend(odd)
    return lines


# Demo persons of fixtures/indemnities: three with recorded spells, one without.
INDEMNITY_PERSONS = ("88041212236", "65090307106", "79112120429", "92063031679")
INDEMNITY_COLUMNS = (
    "on", "niss", "scheme", "incapacity_start", "incapacity_end", "gross_daily",
    "gross_monthly", "family_situation", "regular_worker", "work_schedule", "worker_category",
    "unemployment_daily", "assimilation", "kind", "resumption_hours", "fulltime_hours",
    "round_percent",
)  # fmt: skip
INDEMNITY_DATES = (
    "2014-06-01", "2017-05-01", "2019-06-30", "2019-07-01", "2021-07-01", "2022-01-01",
    "2022-12-31", "2023-01-01", "2023-05-08", "2024-01-01", "2024-03-04", "2024-06-30",
    "2024-07-01", "2025-01-01", "2025-03-01", "2025-09-01", "2025-12-01", "2026-01-12",
    "2026-02-09", "2026-03-02", "2026-06-01", "2026-07-01",
)  # fmt: skip
INDEMNITY_ODD_ROWS = (
    "2026-02-30,,employee,2025-01-01,,100,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2026-04-01,,100,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,2024-12-01,100,,isolated,,,,,,,,,",
    "2026-03-02,,miner,2025-01-01,,100,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,alone,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,maybe,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,,7,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,,,pilot,,,,,,",
    "2026-03-02,,employee,2025-01-01,,-3,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,1e400,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,12_5,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,2600,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,,,isolated,,,,,,,,,",
    "2026-03-02,,unemployed,2026-01-05,,100,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,,,,,,,20,,",
    "2026-03-02,85073003328,,,,,,,,,,,,,,,",
    "2026-03-02,12345,,,,,,,,,,,,,,,",
    "2026-03-02,,,,,100,,,,,,,,,,,",
    ",,employee,2025-01-01,,100,,isolated,,,,,,,,,",
    "2026-03-02,,employee,2025-01-01",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,,,,,,,,,,extra",
    "",
    ",,,,,,,,,,,,,,,,",
    "1900-01-01,,employee,1900-01-01,,100,,isolated,,,,,,,,,",
    " 2026-03-02 ,,Employee, 2025-01-01 ,, 100.5 ,,Isolated,Oui,,Blue-Collar,,,,,,",
    '2026-03-02,,employee,2025-01-01,,"100,50",,isolated,,,,,,,,,',
    "2026-03-02,,self-employed,2026-02-25,2026-03-03,,,family,,,,,,,,,",
    "2026-03-02,,self-employed,2025-01-01,,,,cohabitant,,,,,yes,,,,",
    "2026-03-02,,employee,2025-01-01,,100,,isolated,,,,,,invalidity,19,38,yes",
)


def _amount(rng: random.Random, low: int, high: int) -> str:
    cents = rng.randint(low, high)
    return f"{cents // 100}.{cents % 100:02d}" if rng.random() < 0.8 else str(cents // 100)


def indemnity_rows(rng: random.Random) -> list[str]:
    """The mixed ``indemnity batch`` input (header, then rows)."""
    lines = [",".join(INDEMNITY_COLUMNS)]
    choice, rand = rng.choice, rng.random
    recent = [d for d in INDEMNITY_DATES if d >= "2024-05-01"]  # the published parameters
    for _ in range(1800):
        on = choice(INDEMNITY_DATES) if rand() < 0.1 else choice(recent)
        cells = dict.fromkeys(INDEMNITY_COLUMNS, "")
        if rand() < 0.2:
            on = choice(("2025-12-15", "2026-01-12", "2026-02-09", "2026-03-02", "2026-07-01"))
            cells["niss"] = choice(INDEMNITY_PERSONS)
            if rand() < 0.3:
                cells["gross_daily"] = _amount(rng, 5_000, 30_000)
        else:
            scheme = choice(("employee", "employee", "employee", "unemployed", "self-employed"))
            cells["scheme"] = scheme
            start = choice([d for d in INDEMNITY_DATES if d <= on] or [on])
            if rand() < 0.3:  # days around the guaranteed wage and the first months
                day = int(start[-2:]) - 1 + rng.choice((0, 6, 7, 13, 14, 29, 30, 31, 60, 92))
                start = f"{start[:8]}01" if day > 27 else f"{start[:8]}{day + 1:02d}"
            cells["incapacity_start"] = start
            cells["family_situation"] = choice(("family", "isolated", "cohabitant"))
            cells["regular_worker"] = choice(("", "yes", "no"))
            cells["worker_category"] = choice(("", "white-collar", "blue-collar", "short-contract"))
            cells["kind"] = choice(("", "", "primary", "invalidity"))
            cells["work_schedule"] = choice(("", "", "6", "5"))
            if scheme != "self-employed":
                if rand() < 0.15:
                    cells["gross_monthly"] = _amount(rng, 150_000, 700_000)
                else:
                    cells["gross_daily"] = _amount(rng, 4_000, 30_000)
                if scheme == "unemployed":
                    cells["unemployment_daily"] = _amount(rng, 4_000, 8_000)
            else:
                cells["assimilation"] = choice(("", "", "yes", "no"))
                if rand() < 0.3:
                    cells["incapacity_end"] = on
        if rand() < 0.1:
            cells["resumption_hours"] = str(rng.randint(4, 30))
            cells["fulltime_hours"] = choice(("38", "40", "36.5"))
            cells["round_percent"] = choice(("", "yes", "no"))
        cells["on"] = on
        lines.append(",".join(cells.values()))
        if rand() < 0.01:
            lines.append(choice(INDEMNITY_ODD_ROWS))
    lines.extend(INDEMNITY_ODD_ROWS)
    return lines


def demo_codes() -> list[str]:
    """The codes of the demo nomenclature, plus an unknown one."""
    with (ROOT / "fixtures" / "nomenclature.csv").open(encoding="utf-8") as handle:
        codes = sorted({row["code"] for row in csv.DictReader(handle)})
    return [*codes, "999996"]


def write_inputs() -> None:
    """Write both inputs (deterministic: a fixed seed)."""
    rng = random.Random(20260302)
    REIMBURSE_INPUT.write_text("\n".join(reimburse_rows(demo_codes(), rng)) + "\n", "utf-8")
    INSURED_INPUT.write_text("\n".join(insured_lines(rng)) + "\n", "utf-8")
    # its own generator: the two inputs above stay as they were frozen
    INDEMNITY_INPUT.write_text("\n".join(indemnity_rows(random.Random(20260301))) + "\n", "utf-8")


@contextlib.contextmanager
def demo_database() -> Iterator[tuple[str, Path]]:
    """(URL, folder) of a fresh demo database (``inami init --demo``) in a temporary folder;
    the repository's root on ``sys.path`` for the test modules."""
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        from inami_cli.cli.app import run

        code = run(["--db", f"sqlite:///{db}", "init", "--demo"])
        assert code == 0, code
        yield f"sqlite:///{db}", Path(tmp)


def freeze(names: list[str]) -> None:
    """Run the batch commands on a demo database and keep what they write (only the
    variants in *names* when it is not empty)."""
    with demo_database() as (url, tmp):
        from tests.cli.test_batch_golden import VARIANTS, expected_path, run_variant

        for variant in VARIANTS:
            if names and variant.name not in names:
                continue
            stdout, stderr, code = run_variant(variant, url, tmp)
            buffer = io.StringIO()
            buffer.write(f"exit {code}\n--- stderr\n{stderr}--- stdout\n{stdout}")
            expected_path(variant).write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    write_inputs()
    if "--inputs-only" not in sys.argv:
        freeze([a for a in sys.argv[1:] if not a.startswith("--")])
