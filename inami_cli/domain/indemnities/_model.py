"""The trace of a computation: each step with the rule it applied and the parameter row it
read (name, period, source, reliability), as ``--explain`` shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain.indemnities._params import Param, ParamStore, weakest


@dataclass(frozen=True)
class Step:
    """One step: what was decided or computed, by which rule, from which parameter row."""

    what: str
    value: Any
    rule: str
    param: Param | None = None

    def as_record(self) -> dict[str, Any]:
        """The step as a JSON-friendly record (the ``--explain`` contract)."""
        p = self.param
        return {
            "step": self.what,
            "value": self.value,
            "rule": self.rule,
            "parameter": p.name if p else None,
            "valid_from": p.valid_from if p else None,
            "valid_to": p.valid_to if p else None,
            "source": p.source if p else None,
            "reliability": p.reliability if p else None,
        }


@dataclass
class Trace:
    """Collects the steps of one computation and the parameters it read."""

    store: ParamStore
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def param(self, name: str, on: date) -> Param:
        """A parameter row (NotFound naming it when missing on *on*)."""
        return self.store.get(name, on)

    def number(self, name: str, on: date, what: str, rule: str) -> Decimal:
        """Read a parameter and record the step that used it."""
        row = self.store.get(name, on)
        self.steps.append(Step(what, row.number, rule, row))
        return row.number

    def integer(self, name: str, on: date, what: str, rule: str) -> int:
        """Read a whole-number parameter (days, weeks, months) and record it."""
        row = self.store.get(name, on)
        self.steps.append(Step(what, row.integer, rule, row))
        return row.integer

    def add(self, what: str, value: Any, rule: str, param: Param | None = None) -> None:
        """Record a step."""
        self.steps.append(Step(what, value, rule, param))

    def warn(self, message: str) -> None:
        """A warning for stderr (one line)."""
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def params(self) -> list[Param]:
        """The parameter rows read, in order, without repeats."""
        seen: dict[tuple[str, date], Param] = {}
        for step in self.steps:
            if step.param is not None:
                seen.setdefault((step.param.name, step.param.valid_from), step.param)
        return list(seen.values())

    @property
    def reliability(self) -> str:
        """The weakest reliability of the rows read."""
        return weakest(p.reliability for p in self.params)

    @property
    def derived(self) -> list[Param]:
        """The derived rows read (not published figures)."""
        return [p for p in self.params if p.derived]

    def records(self) -> list[dict[str, Any]]:
        """Every step as a record."""
        return [s.as_record() for s in self.steps]


def derived_warning(rows: list[Param]) -> str | None:
    """One warning line naming the derived parameters used, or None."""
    if not rows:
        return None
    names = ", ".join(f"{p.name} {p.period} = {p.value}" for p in rows[:3])
    more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
    return (
        f"uses derived parameter(s), not published figures: {names}{more}; "
        "check them or pass --strict"
    )
