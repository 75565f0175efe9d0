"""The funeral allowance (indemnité pour frais funéraires): as it was, and why nothing now.

148.74 EUR (RGL 16/4/1997 art. 21, = 6 000 BEF / 40.3399) for deaths until 31/12/2012 of a
person entitled to incapacity benefits (employee or unemployed), an employee retirement
pensioner, or a miner's retirement or invalidity pensioner; paid to whoever paid for the
burial or cremation. Abolished for deaths from 1/1/2013 by the programme law of 27 December
2012, arts. 54-59 (deplalaw.be). The self-employed had none (their bereavement allowance is
INASTI's, not INAMI's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain.indemnities._case import check_choice
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore

DECEASED_STATUSES = (
    "employee-entitled",
    "employee-pensioner",
    "miner-pensioner",
    "self-employed",
    "other",
)
COVERED = ("employee-entitled", "employee-pensioner", "miner-pensioner")
ABOLISHED = "abolished for deaths from 2013-01-01: programme law of 27/12/2012, arts. 54-59"
RULE = "RGL 16/4/1997 art. 21 (deaths until 2012-12-31)"


@dataclass(frozen=True)
class FuneralAnswer:
    """Was a funeral allowance due, how much, to whom, and why."""

    death_date: date
    deceased_status: str
    eligible: bool
    amount: Decimal
    rule: str
    reason: str
    recipient: str | None
    reliability: str
    steps: tuple[dict[str, Any], ...]

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``funeral check``."""
        return {
            "death_date": self.death_date,
            "deceased_status": self.deceased_status,
            "eligible": self.eligible,
            "amount": self.amount,
            "rule": self.rule,
            "reason": self.reason,
            "recipient": self.recipient,
            "reliability": self.reliability,
        }


def funeral_check(
    store: ParamStore, *, death_date: date, deceased_status: str, paid_costs: bool = True
) -> FuneralAnswer:
    """The allowance for a death on *death_date* (NotFound before the 1997 regulation)."""
    status = check_choice(deceased_status, DECEASED_STATUSES, "--deceased-status")
    trace = Trace(store)
    amount = trace.number("funeral.allowance", death_date, "funeral allowance", "by death date")
    if amount == 0:
        return FuneralAnswer(
            death_date,
            status,
            False,
            Decimal("0.00"),
            ABOLISHED,
            "no INAMI allowance for deaths from 2013-01-01 (a fund's complementary "
            "premium is not INAMI money)",
            None,
            trace.reliability,
            tuple(trace.records()),
        )
    if status not in COVERED:
        reason = (
            "the self-employed scheme had no funeral allowance"
            if status == "self-employed"
            else "the deceased was not entitled to employee incapacity benefits nor an "
            "employee or miner's pensioner"
        )
        return FuneralAnswer(
            death_date,
            status,
            False,
            Decimal("0.00"),
            RULE,
            reason,
            None,
            trace.reliability,
            tuple(trace.records()),
        )
    if not paid_costs:
        return FuneralAnswer(
            death_date,
            status,
            False,
            Decimal("0.00"),
            RULE,
            "paid to the person who paid for the burial or cremation: nobody claimed to have paid",
            None,
            trace.reliability,
            tuple(trace.records()),
        )
    return FuneralAnswer(
        death_date,
        status,
        True,
        amount.quantize(Decimal("0.01")),
        RULE,
        "the deceased was covered; paid on application to the deceased's sickness fund",
        "the person who paid for the burial or cremation",
        trace.reliability,
        tuple(trace.records()),
    )
