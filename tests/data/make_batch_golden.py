"""Make the golden files of the batch commands (``tests/cli/test_batch_golden.py``).

The inputs are mixed batches over the demo data (``inami init --demo``): every demo code on
dates around each tariff and rule boundary, persons by NISS (insured, ended, deceased,
unknown, malformed) and profiles given explicitly, every provider, amounts charged below,
at and above the fee, settings, automatic BIM, and rows that are rejected (bad date, bad
flag, unknown code, wrong number of fields ...). The expected files are what the commands
wrote for them when they were frozen; the test holds every later version of the batch
commands (their caches, their worker processes) to the same bytes.

Usage: python tests/data/make_batch_golden.py [--inputs-only]
(``--inputs-only`` rewrites the inputs without freezing new expected outputs.)
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


def freeze() -> None:
    """Run the batch commands on a demo database and keep what they write."""
    with demo_database() as (url, tmp):
        from tests.cli.test_batch_golden import VARIANTS, expected_path, run_variant

        for variant in VARIANTS:
            stdout, stderr, code = run_variant(variant, url, tmp)
            buffer = io.StringIO()
            buffer.write(f"exit {code}\n--- stderr\n{stderr}--- stdout\n{stdout}")
            expected_path(variant).write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    write_inputs()
    if "--inputs-only" not in sys.argv:
        freeze()
