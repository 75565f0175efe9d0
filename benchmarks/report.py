"""The benchmark results: one row each, and the tables printed from them.

A run on both backends gives one table per backend, SQLite first: the same columns, and on
PostgreSQL one more, ``vs SQLite`` (the median over the SQLite median of the same scenario).
A run on SQLite only prints the one table it always printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.databases import BACKEND_LABELS, KEY_SUFFIXES, SQLITE


@dataclass
class Result:
    """One row of the table (and of ``results.json``)."""

    key: str  # unique across backends: "tariff-import", "tariff-import@pg"
    scenario: str
    size: int | None
    unit: str
    median_s: float
    runs_s: list[float]
    cpu_s: float | None  # median CPU time: less disturbed than wall time on a busy machine
    throughput: float | None  # units per second
    peak_rss_mb: float | None
    floor: str
    floor_s: float | None
    ratio: float | None
    target: str
    met: bool | None  # None: no target, or a size-bound target in --quick mode
    note: str = ""
    command: str = ""
    backend: str = SQLITE  # absent from results written before PostgreSQL was measured
    # a missed batch target: what it needs, and the profile of one process (``misses``)
    miss: list[str] = field(default_factory=list)
    profile: list[list[Any]] | None = None  # [function, seconds] of the sampled run

    @property
    def base_key(self) -> str:
        """The scenario's key without the backend's suffix."""
        return self.key.removesuffix(KEY_SUFFIXES[self.backend])


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


COLUMNS = (
    "scenario", "size", "median", "CPU", "throughput", "peak RSS", "floor", "floor time",
    "ratio", "target", "met",
)  # fmt: skip
VS_SQLITE = "vs SQLite"
_RIGHT = {"size", "median", "CPU", "throughput", "peak RSS", "floor time", "ratio", VS_SQLITE}


def cells(r: Result) -> tuple[str, ...]:
    """One result as the texts of ``COLUMNS``."""
    return (
        r.scenario,
        _number(r.size) if r.size else "—",
        _seconds(r.median_s),
        _seconds(r.cpu_s),
        f"{_number(r.throughput)} {r.unit}/s" if r.throughput else "—",
        f"{r.peak_rss_mb:.0f} MB" if r.peak_rss_mb is not None else "—",
        r.floor,
        _seconds(r.floor_s),
        f"{r.ratio:.2f}×" if r.ratio is not None else "—",
        r.target,
        "—" if r.met is None else ("yes" if r.met else "NO"),
    )


def by_backend(results: Sequence[Result]) -> list[tuple[str, list[Result]]]:
    """The results per backend, SQLite first, each in the order it ran."""
    backends = sorted({r.backend for r in results}, key=lambda b: (b != SQLITE, b))
    return [(b, [r for r in results if r.backend == b]) for b in backends]


def _grid(
    results: Sequence[Result], sqlite: dict[str, Result]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The columns and rows of one backend's table; ``vs SQLite`` when not SQLite's and
    SQLite ran too."""
    if not sqlite or all(r.backend == SQLITE for r in results):
        return COLUMNS, [cells(r) for r in results]
    rows = []
    for r in results:
        base = sqlite.get(r.base_key)
        ratio = f"{r.median_s / base.median_s:.2f}×" if base and base.median_s > 0 else "—"
        rows.append((*cells(r), ratio))
    return (*COLUMNS, VS_SQLITE), rows


def _tables(results: Sequence[Result]) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
    """(title, columns, rows) per backend; no title for a run on SQLite alone."""
    groups = by_backend(results)
    sqlite = {r.key: r for r in results if r.backend == SQLITE}
    titled = len(groups) > 1 or any(backend != SQLITE for backend, _ in groups)
    return [
        (BACKEND_LABELS[backend] if titled else "", *_grid(rows, sqlite))
        for backend, rows in groups
    ]


def table(results: Sequence[Result]) -> str:
    """The results as fixed-width text tables, one per backend."""
    out: list[str] = []
    for title, columns, rows in _tables(results):
        if out:
            out.append("")
        if title:
            out.append(f"{title}:")
        lines = [columns, *rows]
        widths = [max(len(row[i]) for row in lines) for i in range(len(columns))]
        for n, row in enumerate(lines):
            texts = [
                text.rjust(width) if name in _RIGHT else text.ljust(width)
                for name, text, width in zip(columns, row, widths, strict=True)
            ]
            out.append("  ".join(texts).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(results: Sequence[Result]) -> str:
    """The results as Markdown tables, one per backend (for the README's Performance
    section)."""
    out: list[str] = []
    for title, columns, rows in _tables(results):
        if out:
            out.append("")
        if title:
            out.extend([f"**{title}**", ""])
        out.append("| " + " | ".join(columns) + " |")
        out.append("|" + "|".join("---:" if c in _RIGHT else "---" for c in columns) + "|")
        out.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(out)


def render_misses(results: Sequence[Result], *, markdown: bool = False) -> str:
    """What each missed batch target needs (``benchmarks.misses``), per result; "" when
    no result carries one. In Markdown, one list item per result."""
    out: list[str] = []
    for r in results:
        if not r.miss:
            continue
        where = "" if r.backend == SQLITE else f" ({BACKEND_LABELS[r.backend]})"
        title = f"{r.scenario}{where}: missed ({r.target})"
        if markdown:
            out.append(f"- **{title}**")
            out.extend(
                f"  - `{line.strip()}`" if line.startswith("  ") else f"  - {line}"
                for line in r.miss
            )
        else:
            out.append(title)
            out.extend(f"  {line}" for line in r.miss)
    return "\n".join(out)
