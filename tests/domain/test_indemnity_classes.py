"""`StartClasses`: the class of an (on, start) pair by which ``indemnity batch`` keys its
plans. Equal classes must give equal `plan_key` (hence equal plans: the plan_key test in
test_indemnities), and a parameter change between two starts must split them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from inami_cli.domain import indemnities as ind
from inami_cli.domain.errors import NotFound

from .test_indemnities import ROWS, STORE


def _case(store: ind.ParamStore, on: date, start: date, profile: dict[str, object]) -> object:
    case = ind.IncapacityCase(on=on, start=start, **profile)  # type: ignore[arg-type]
    try:
        return ind.plan_key(store, case)
    except NotFound as exc:
        return exc.message.replace(start.isoformat(), "START")


def test_equal_classes_give_equal_plan_keys() -> None:
    rng = random.Random(26)
    classes = ind.StartClasses(STORE)
    profiles = [
        {
            "scheme": scheme, "family_situation": family, "regular_worker": regular,
            "worker_category": category, "gross_daily": Decimal(0), "kind": kind,
            "work_schedule": schedule,
            "unemployment_daily": Decimal(60) if scheme == "unemployed" else None,
        }
        for scheme in ind.SCHEMES for family in ind.FAMILY_SITUATIONS
        for regular in (True, False) for category in ("white-collar", "blue-collar")
        for kind in ("primary", "invalidity") for schedule in (5, 6)
    ]  # fmt: skip
    seen: dict[tuple[object, ...], list[object]] = {}
    pairs = 0
    for on in (date(2024, 6, 3), date(2025, 6, 2), date(2026, 3, 2)):
        for back in range(0, 1500, 3):
            start = on - timedelta(days=back)
            key = classes.key(on, start)
            pairs += 1
            first = seen.setdefault(key, [None] * len(profiles))
            for profile in rng.sample(range(len(profiles)), 8):
                got = _case(STORE, on, start, profiles[profile])
                if first[profile] is None:
                    first[profile] = got
                assert got == first[profile], (on, start, profiles[profile])
    # few classes for many pairs: what makes the batch's plans few
    assert pairs == 1500 and len(seen) < pairs / 4


def test_a_parameter_change_splits_the_class() -> None:
    """A parameter row from 15/1/2025 (a new period): starts either side of it are in
    different classes; without it 5/1 and 25/1 (same month and day classes) share one."""
    on, before, after = date(2026, 3, 2), date(2025, 1, 5), date(2025, 1, 25)
    extra = ind.check_param(
        name="test.change", valid_from=date(2025, 1, 15), valid_to=None, value="1",
        unit="EUR/day", reliability="derived", source="test",
    )  # fmt: skip
    plain, changed = ind.StartClasses(STORE), ind.StartClasses(ind.ParamStore([*ROWS, extra]))
    mid = date(2025, 1, 10)
    assert plain.key(on, before) == plain.key(on, mid) == plain.key(on, after)
    assert changed.key(on, before) == changed.key(on, mid) != changed.key(on, after)


def test_day_and_month_limits_split_the_class() -> None:
    """Day 30 and 31 of a white-collar incapacity (guaranteed wage: 30 days) and months 12
    and 13 (primary incapacity: 12 months) are in different classes."""
    classes = ind.StartClasses(STORE)
    start = date(2025, 3, 3)
    assert (
        classes.key(start + timedelta(days=29), start)[3]
        != classes.key(start + timedelta(days=30), start)[3]
    )
    on = date(2026, 3, 2)
    assert classes.key(on, date(2025, 3, 3))[2] != classes.key(on, date(2025, 3, 2))[2]
