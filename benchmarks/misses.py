"""What a missed batch target needs, printed by ``make bench`` under the tables (issue 19,
"Done when": the measured miss, with the profile that explains it and what would close it).

For a batch below its rows per second, from the run's own figures: the time the target
allows against the time taken; the CPU a row (every process: this one and its workers)
against what the machine's CPUs allow, busy all the time; how long they were not all
busy (the serial start-up, the process that reads, deals and writes the chunks); then
where one process doing every row spends its time (``benchmarks.sampler``, the same file
and database, ``INAMI_BATCH_WORKERS=1``), each function's share in µs a row, and how many
of the first functions it takes to hold the gap. For memory that grows, the two peaks.

Only figures measured in the run: no explanation is written here by hand (the README's
Performance section says which design changes would shrink which functions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.databases import SQLITE
from benchmarks.report import Result

TOP = 8  # functions shown
# a function on the stack this much of the time is the batch's own driver (main, the
# command, the chunk loop): the stages it calls explain more
DRIVER = 0.80
PASS = 0.90  # a stage that hands this much of its time to one callee stands for both
FLAT = 1.10  # peak RSS at full size over the one at a tenth, at most, for "flat"


@dataclass(frozen=True)
class Profile:
    """A sampled run of one process over *rows* rows (``benchmarks.sampler``'s output):
    seconds of wall time per function, most first."""

    rows: int
    wall_s: float
    cpu_s: float
    functions: list[tuple[str, float]]  # by the innermost function of inami_cli
    inclusive: list[tuple[str, float]] = field(default_factory=list)  # with their callees
    edges: dict[tuple[str, str], float] = field(default_factory=dict)  # (caller, callee)

    @classmethod
    def read(cls, path: Path, rows: int) -> Profile:
        """The sampler's JSON at *path*, for a run of *rows* rows."""
        data = json.loads(path.read_text(encoding="utf-8"))
        functions, inclusive = (
            [(str(name), float(seconds)) for name, seconds in data.get(part, ())]
            for part in ("functions", "inclusive")
        )
        edges = {(str(a), str(b)): float(v) for a, b, v in data.get("edges", ())}
        return cls(rows, float(data["wall_s"]), float(data["cpu_s"]), functions, inclusive, edges)

    def stages(self) -> list[tuple[str, float]]:
        """The functions by their time with all they call, most first, without the batch's
        driver (on the stack ``DRIVER`` of the time or more) nor a function that a stage
        above hands ``PASS`` of its time or more to (``read`` → ``_fetch`` → ``fetch``:
        ``read`` stands for them; the innermost functions show the last one)."""
        total = self.sampled_s
        shown: list[tuple[str, float]] = []
        seen: dict[str, float] = {}  # every stage met, shown or passed through
        for name, seconds in self.inclusive:
            if seconds >= total * DRIVER:
                continue
            passed = any(self.edges.get((up, name), 0.0) >= PASS * t for up, t in seen.items())
            seen[name] = seconds
            if not passed:
                shown.append((name, seconds))
        return shown

    @property
    def sampled_s(self) -> float:
        """The time the samples stand for."""
        return sum(seconds for _, seconds in self.functions)

    def per_row_us(self, seconds: float) -> float:
        """*seconds* of this run as µs a row."""
        return seconds / self.rows * 1e6 if self.rows else 0.0


def _us(value: float) -> str:
    return f"{value:.1f} µs"


def _n(value: float) -> str:
    """A count with spaces between thousands (as the tables print them)."""
    return f"{value:,.0f}".replace(",", " ")


def speed_lines(result: Result, *, per_second: float, cores: int) -> list[str]:
    """The time and CPU the target allows against what *result* took."""
    rows, wall, cpu = result.size or 0, result.median_s, result.cpu_s
    lines = [
        f"{_n(per_second)} rows/s allows {rows / per_second:.1f} s for {_n(rows)} rows; "
        f"the batch took {wall:.1f} s"
    ]
    if cpu is None or not rows:
        return lines
    per_row, allowed = cpu / rows * 1e6, cores * 1e6 / per_second
    if per_row > allowed:
        lines.append(
            f"CPU {_us(per_row)} a row (all its processes); {cores} CPUs always busy allow "
            f"{_us(allowed)}: {_us(per_row - allowed)} a row must go even if the rows were "
            "shared perfectly"
        )
    else:
        lines.append(
            f"CPU {_us(per_row)} a row (all its processes) is within the {_us(allowed)} "
            f"that {cores} CPUs always busy allow: the time lost is in the sharing"
        )
    idle = wall - cpu / cores
    if idle > 0:
        server = "; the server's work, which the CPU leaves out" if result.backend != SQLITE else ""
        lines.append(
            f"the {cores} CPUs were not all busy for {idle:.1f} s of the {wall:.1f} s "
            f"(the serial start-up; the process that reads, deals and writes the chunks{server})"
        )
    return lines


def profile_lines(profile: Profile, *, gap_us: float, batch: bool = True) -> list[str]:
    """The first functions of *profile* in µs a row, and how many of them hold *gap_us*."""
    total = profile.sampled_s
    if total <= 0:
        return []
    lines = [
        f"one process, every row{' (INAMI_BATCH_WORKERS=1)' if batch else ''}: "
        f"{profile.wall_s:.1f} s, "
        f"{_us(profile.per_row_us(profile.wall_s))} a row; where the time goes, by stage "
        "(a function of inami_cli with all it calls, under the command's own driver):"
    ]
    for name, seconds in profile.stages()[:TOP]:
        lines.append(f"  {seconds / total:5.1%}  {_us(profile.per_row_us(seconds)):>9}  {name}")
    lines.append(
        "and by the innermost function of inami_cli (what it calls outside the package "
        "included; these add up to the whole):"
    )
    for name, seconds in profile.functions[:TOP]:
        lines.append(f"  {seconds / total:5.1%}  {_us(profile.per_row_us(seconds)):>9}  {name}")
    if gap_us > 0:
        held, count = 0.0, 0
        for _, seconds in profile.functions:
            if held >= gap_us:
                break
            held += profile.per_row_us(seconds)
            count += 1
        lines.append(
            f"the gap ({_us(gap_us)} a row) is as much as the profile's first {count} "
            f"function{'s' if count > 1 else ''} take{'' if count > 1 else 's'} "
            f"({_us(held)}): closing it means removing that much of them, or as much "
            "spread over more"
        )
    return lines


def memory_line(small_mb: float, full_mb: float, small_rows: int, rows: int) -> str | None:
    """The peaks when memory is not flat (None when it is)."""
    if small_mb <= 0 or full_mb <= small_mb * FLAT:
        return None
    return (
        f"memory grows: peak RSS {small_mb:.0f} MB at {_n(small_rows)} rows, {full_mb:.0f} MB "
        f"at {_n(rows)} rows ({full_mb / small_mb:.2f}×; flat is ≤ {FLAT:.2f}×)"
    )


def gap_us(result: Result, *, per_second: float, profile: Profile) -> float:
    """µs a row of one process to remove for *result* to reach *per_second*: the share of
    its wall time over the target's, of the sampled process's time a row (the batch taken
    to shrink in proportion, start-up included)."""
    if not result.size or result.median_s <= 0:
        return 0.0
    need = result.size / per_second
    if result.median_s <= need:
        return 0.0
    share = 1 - need / result.median_s
    return profile.per_row_us(profile.wall_s) * share


def explain(
    result: Result,
    *,
    per_second: float,
    cores: int,
    profile: Profile | None,
    memory: str | None,
) -> list[str]:
    """The lines printed under the tables for a missed batch target."""
    lines: list[str] = []
    throughput = result.throughput or 0.0
    if throughput < per_second:
        lines += speed_lines(result, per_second=per_second, cores=cores)
        if profile is not None:
            gap = gap_us(result, per_second=per_second, profile=profile)
            lines += profile_lines(profile, gap_us=gap)
    if memory:
        lines.append(memory)
    return lines


def relative_miss(share: float, wanted: float, base: str, profile: Profile) -> list[str]:
    """The lines of a batch below *wanted* of *base*'s throughput (it ran at *share* of
    it, on alternated runs): the gap, and where one process doing its rows spends its time."""
    lines = [
        f"{share:.1%} of {base}'s throughput on alternated runs, {wanted:.0%} wanted: it "
        f"must take {1 - share / wanted:.1%} less time"
    ]
    gap = profile.per_row_us(profile.wall_s) * max(1 - share / wanted, 0.0)
    return lines + profile_lines(profile, gap_us=gap)


def time_miss(result: Result, allowed_s: float, profile: Profile) -> list[str]:
    """The lines of a job slower than the *allowed_s* its target gives (an import), and
    where one run of it spends its time."""
    share = max(1 - allowed_s / result.median_s, 0.0) if result.median_s > 0 else 0.0
    count = f"{_n(result.size)} {result.unit}" if result.size else "the job"
    lines = [
        f"the target allows {allowed_s:.2f} s for {count}; it took {result.median_s:.2f} s: "
        f"{share:.1%} of its time must go"
    ]
    gap = profile.per_row_us(profile.wall_s) * share
    return lines + profile_lines(profile, gap_us=gap, batch=False)
