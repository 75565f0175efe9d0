"""Make the golden files of ``inami control audit`` (``tests/cli/test_audit_golden.py``).

Two inputs over the demo data (``inami init --demo``): the demo billing file
(``fixtures/billing_demo.csv``) and a generated file of 5 000 lines: demo providers (and an
unknown and a malformed number), demo persons (and an unknown and a malformed NISS), every
demo code (and an unknown one), dates from 2024 (the demo tariffs) to 2026 so that tariff
periods, rule epochs, the 2-year limit and the patients' histories all come into play,
times, amounts charged and claimed, prescribers, settings, billing dates, and a few
malformed lines. The expected files are what the command wrote for them when they were
frozen (before the audit's speed-up); every later version must write the same bytes.

Usage: python tests/data/make_audit_golden.py [--inputs-only]
"""

from __future__ import annotations

import gzip
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from make_batch_golden import demo_codes, demo_database  # beside this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GENERATED_INPUT = HERE / "audit_generated.csv"
LINES = 5_000

PROVIDERS = (
    "19001706004", "19001706004", "19002595100", "19003387003", "59004110001", "39005876001",
    "19001706005", "19099999055",
)  # fmt: skip
PERSONS = (
    "85061508234", "72110313704", "16042205863", "03022817561", "60013021159", "90090906467",
    "68031230508", "38070101229", "79522409148", "50051702367", "45000044614", "85073003328",
)  # fmt: skip
PRESCRIBERS = ("19001706004", "19001799004", "19002595100", "1900170600", "abc")
AMOUNTS = ("26.84", "20.51", "31.84", "17.81", "68.00", "30.00", "40.00", "15.00", "22.51",
           "43.32", "64.50", "0.00", "12.34")  # fmt: skip
HEADER = ("provider_id", "niss", "code", "date", "time", "charged", "reimbursement_claimed",
          "prescriber_id", "setting", "billed_on")  # fmt: skip
ODD = (
    "19001706004,72110313704,101076,03/13/2025,10:00,,26.84,,,",
    "19001706004,72110313704,101076,2025-03-03,25:00,,26.84,,,",
    "19001706004,72110313704,101076,2025-03-03,10:00,,abc,,,",
    "19001706004,72110313704,101076,2025-03-03,10:00,,26.84,,garden,",
    "19001706004,7211031370X,101076,2025-03-03,10:00,,26.84,,,",
    "123,72110313704,101076,2025-03-03,10:00,,26.84,,,",
    "19001706004,72110313704,,2025-03-03,10:00,,26.84,,,",
    "19001706004,72110313704,101076,2025-03-03",
    ",,,,,,,,,",
)


def generated_lines(codes: list[str], rng: random.Random) -> list[str]:
    """The generated billing file (header, then lines): runs of a provider's day, patients
    coming back, so that histories build up."""
    lines = [",".join(HEADER)]
    start = date(2024, 1, 1)  # the demo tariffs start in 2024
    while len(lines) <= LINES:
        provider = rng.choice(PROVIDERS)
        day = start + timedelta(days=rng.randrange(2 * 365 + 90))
        repertoire = rng.sample(codes, 6)
        for _ in range(rng.randint(3, 15)):
            niss = rng.choice(PERSONS)
            code = rng.choice(repertoire)
            clock = rng.choice(("", "08:00", "10:30", "14:00", "19:30", "9"))
            charged = rng.choice(("", "", "", "", "25.00", "40.00", "60.5"))
            claimed = rng.choice(AMOUNTS)
            prescriber = rng.choice(("", "", "", *PRESCRIBERS))
            setting = rng.choice(("", "", "", "", "ambulatory", "hospitalised"))
            billed = rng.choice(("", "", "", "", "", "", "", "", "2024-06-30", "2026-12-31"))
            lines.append(",".join((provider, niss, code, day.isoformat(), clock, charged,
                                   claimed, prescriber, setting, billed)))  # fmt: skip
            if rng.random() < 0.004:
                lines.append(rng.choice(ODD))
            day += timedelta(days=rng.choice((0, 0, 1, 7)))
    return lines


def write_inputs() -> None:
    """Write the generated input (deterministic: a fixed seed)."""
    rng = random.Random(20261128)
    GENERATED_INPUT.write_text("\n".join(generated_lines(demo_codes(), rng)) + "\n", "utf-8")


def freeze() -> None:
    """Run the audit on a demo database and keep what it writes."""
    with demo_database() as (url, tmp):
        from tests.cli.test_audit_golden import VARIANTS, expected_path, run_variant

        for variant in VARIANTS:
            text = run_variant(variant, url, tmp)
            expected_path(variant).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


if __name__ == "__main__":
    write_inputs()
    if "--inputs-only" not in sys.argv:
        freeze()
