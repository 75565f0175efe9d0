"""Tariff periods from import rows: rows grouped by code and start, open periods closed."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from inami_cli.domain.nomenclature._acts import ActFields
from inami_cli.domain.nomenclature._rows import TariffRow
from inami_cli.domain.tariffs import Profile, check_profiles


class TariffSpec(NamedTuple):
    """A tariff period to write: all the profiles of one code and period in the input.

    A named tuple (immutable like the frozen dataclass it was, built for a fraction of the
    cost): an import makes one per period, 100 000 of them for 200 000 rows.
    """

    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    profiles: tuple[Profile, ...]
    source: str
    lines: tuple[int, ...]

    def same_content(self, other: TariffSpec) -> bool:
        """True when both give the same period end, fee and profiles (source ignored)."""
        return (
            self.valid_to == other.valid_to
            and self.fee == other.fee
            and profile_key(self.profiles) == profile_key(other.profiles)
        )


def profile_key(profiles: Iterable[Profile]) -> frozenset[tuple[object, ...]]:
    """A comparable form of a set of profiles (dimensions and amount)."""
    return frozenset((*p.dimensions(), p.reimbursement) for p in profiles)


@dataclass
class GroupedImport:
    """Rows grouped into tariff periods and act changes, with the problems found."""

    tariffs: list[TariffSpec] = field(default_factory=list)
    acts: dict[str, ActFields] = field(default_factory=dict)
    act_lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


_Dimensions = tuple[object, ...]


def group_rows(rows: Iterable[TariffRow]) -> GroupedImport:
    """Group rows by code and period; collect every inconsistency as ``(line, reason)``.

    Refused: a duplicate row (same code, period and profile), rows of one period that
    disagree on fee, end or source, profiles that are ambiguous, periods of one code that
    overlap, act columns that disagree between rows of one code.
    """
    result = GroupedImport()
    periods: dict[tuple[str, date], list[TariffRow]] = {}
    merged_acts: dict[str, set[ActFields]] = {}  # per code, the act columns merged so far
    last_act: dict[str, ActFields] = {}
    for row in rows:
        members = periods.get((row.code, row.valid_from))
        if members is None:
            periods[(row.code, row.valid_from)] = [row]
        else:
            members.append(row)
        # The rows of a code usually repeat its act columns, parsed once into one shared
        # ActFields (TariffRowParser): only an act not seen just before needs a look.
        if row.act.given and row.act is not last_act.get(row.code):
            last_act[row.code] = row.act
            merged = merged_acts.setdefault(row.code, set())
            if row.act not in merged:
                merged.add(row.act)
                _merge_act(result, row)
    by_code: dict[str, list[TariffSpec]] = {}
    # A few combinations of profile dimensions recur across thousands of periods: each is
    # checked once (check_profiles without a fee depends on the dimensions only).
    profile_checks: dict[tuple[_Dimensions, ...], list[str]] = {}
    for (code, valid_from), members in periods.items():
        spec = _period_of(code, valid_from, members, result.problems, profile_checks)
        if spec is not None:
            by_code.setdefault(code, []).append(spec)
    for code, specs in by_code.items():
        specs.sort(key=lambda s: s.valid_from)
        for before, after in itertools.pairwise(specs):
            if before.valid_to is not None and before.valid_to >= after.valid_from:
                result.problems.append(
                    (
                        after.lines[0],
                        f"period of {code} from {after.valid_from} overlaps the "
                        f"period from {before.valid_from} (line {before.lines[0]})",
                    )
                )
        result.tariffs.extend(specs)
    return result


def _period_of(
    code: str,
    valid_from: date,
    members: list[TariffRow],
    problems: list[tuple[int, str]],
    profile_checks: dict[tuple[_Dimensions, ...], list[str]],
) -> TariffSpec | None:
    """The tariff period of the rows of one code and start, or None with the problems."""
    first = members[0]
    common = (first.valid_to, first.fee, first.source)
    lines_of: dict[_Dimensions, int] = {}  # each profile's line, in the order of the rows
    ok = True
    for row in members:
        if row.profile is None:  # a fee-only row: alone in its period
            if len(members) > 1:
                problems.append(
                    (
                        row.line,
                        f"{code} from {valid_from}: a row without reimbursement (fee only) "
                        "cannot be mixed with profile rows",
                    )
                )
                ok = False
            continue
        dimensions = row.profile.dimensions()
        if dimensions in lines_of:  # (rare: a duplicate row)
            problems.append(
                (
                    row.line,
                    f"duplicate row: {code} from {valid_from} profile "
                    f"{row.profile.label()} already on line {lines_of[dimensions]}",
                )
            )
            ok = False
            continue
        lines_of[dimensions] = row.line
        if (row.valid_to, row.fee, row.source) == common:
            continue  # the usual case; the loop below names the column that differs
        for name in ("valid_to", "fee", "source"):
            if getattr(row, name) != getattr(first, name):
                problems.append(
                    (
                        row.line,
                        f"{name} differs from line {first.line} for {code} from {valid_from}",
                    )
                )
                ok = False
    if not ok:
        return None
    profiles = tuple([row.profile for row in members if row.profile is not None])
    # reimbursement <= fee was checked per row; the rest depends on dimensions only
    shape = tuple(lines_of)
    shape_problems = profile_checks.get(shape)
    if shape_problems is None:
        shape_problems = profile_checks[shape] = check_profiles(profiles, None)
    if shape_problems:
        problems.extend(
            (members[-1].line, f"{code} from {valid_from}: {p}") for p in shape_problems
        )
        return None
    lines = tuple([row.line for row in members])
    return TariffSpec(code, valid_from, first.valid_to, first.fee, profiles, first.source, lines)


def _merge_act(result: GroupedImport, row: TariffRow) -> None:
    """Add the act columns of a row to those of its code; a disagreement is a problem."""
    known = result.acts.get(row.code)
    if known is None:
        result.acts[row.code] = row.act
        result.act_lines[row.code] = row.line
        return
    merged = dict(known.as_dict())
    for name, value in row.act.as_dict().items():
        if name in merged and merged[name] != value:
            result.problems.append(
                (row.line, f"{name} of {row.code} differs from line {result.act_lines[row.code]}")
            )
            return
        merged[name] = value
    result.acts[row.code] = ActFields(**merged, given=frozenset(merged))


def close_open_periods(
    specs: Sequence[TariffSpec], later_starts: Mapping[str, Sequence[date]]
) -> list[TariffSpec]:
    """Give each open period the end implied by the next period of its code.

    An empty ``valid_to`` means "until the next period" (the file's own, or an existing
    one in ``later_starts``, sorted start dates per code), so re-importing a file whose
    periods were closed on the first import changes nothing.
    """
    starts: dict[str, list[date]] = {}
    for spec in specs:
        starts.setdefault(spec.code, []).append(spec.valid_from)
    for code, extra in later_starts.items():
        starts.setdefault(code, []).extend(extra)
    for values in starts.values():
        values.sort()
    out: list[TariffSpec] = []
    for spec in specs:
        if spec.valid_to is None:
            days = starts[spec.code]
            i = bisect.bisect_right(days, spec.valid_from)
            if i < len(days):
                spec = spec._replace(valid_to=days[i] - timedelta(days=1))
        out.append(spec)
    return out
