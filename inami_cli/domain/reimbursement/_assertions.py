"""Assertions of published amounts (``inami nomenclature check FILE``), like hledger's
balance assertions: each line names a code, a date of care, the beneficiary and provider,
and the amounts a source published (fee, reimbursement, personal share ...); the check
computes the case and reports every amount that differs (issue 15, "golden checks").

An empty expected cell asserts nothing; a line may assert only the fee. ``history`` lists
care recorded before (``CODE@YYYY-MM-DD`` separated by spaces), for the rules that read it
(scaling after dental care in the previous calendar year, frequency limits).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import parse_amount
from inami_cli.domain.reimbursement._model import PROVIDERS, SETTINGS, CaseResult, Patient

ASSERTION_REQUIRED = ("code", "date")
AMOUNT_COLUMNS = ("fee", "reimbursement", "personal_share", "supplement", "patient_total")
ASSERTION_OPTIONAL = (
    "regime",
    "dmg",
    "age",
    "chronic",
    "bim_automatic",
    "provider",
    "setting",
    "charged",
    "history",
    *AMOUNT_COLUMNS,
    "status",
    "refusal_code",
    "source",
    "note",
)
_CODE = re.compile(r"^\d{6}$")
_YES = {"yes", "y", "true", "1", "oui", "ja"}
_NO = {"no", "n", "false", "0", "non", "nee", ""}


@dataclass(frozen=True)
class Assertion:
    """One line of a check file: the case and what a source says it gives."""

    line: int
    code: str
    on: date
    patient: Patient
    provider: str = "conventioned"
    setting: str | None = None
    charged: Decimal | None = None
    history: tuple[tuple[str, date], ...] = ()
    expected: tuple[tuple[str, str], ...] = ()  # (column, expected text), in column order
    source: str = ""


def _flag(text: str, what: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(f"{what} {text!r}: expected yes or no")


def _history(text: str) -> tuple[tuple[str, date], ...]:
    records: list[tuple[str, date]] = []
    for item in text.split():
        code, sep, day = item.partition("@")
        if not sep or not _CODE.match(code):
            raise InvalidInput(f"history {item!r}: expected CODE@YYYY-MM-DD")
        records.append((code, parse_date(day, what="history date")))
    return tuple(records)


def parse_assertion(line: int, cells: Mapping[str, str]) -> Assertion:
    """One line of a check file (raises ``InvalidInput`` with the reason)."""
    get = {k: (v or "").strip() for k, v in cells.items()}.get
    code = get("code") or ""
    if not _CODE.match(code):
        raise InvalidInput(f"code {code!r}: a nomenclature code has exactly 6 digits")
    on = parse_date(get("date") or "", what="date")
    regime = (get("regime") or "ordinary").lower()
    if regime in ("bim", "vt"):
        regime = "preferential"
    age_text = get("age") or ""
    if age_text and not age_text.isdigit():
        raise InvalidInput(f"age {age_text!r}: expected a whole number")
    patient = Patient(
        regime=regime,
        dmg=_flag(get("dmg") or "", "dmg"),
        age=int(age_text) if age_text else None,
        chronic=_flag(get("chronic") or "", "chronic"),
        bim_automatic=_flag(get("bim_automatic") or "", "bim_automatic"),
    )
    provider = (get("provider") or "conventioned").lower()
    if provider not in PROVIDERS:
        raise InvalidInput(f"provider {provider!r}: expected one of {', '.join(PROVIDERS)}")
    setting = (get("setting") or "").lower() or None
    if setting is not None and setting not in SETTINGS:
        raise InvalidInput(f"setting {setting!r}: expected ambulatory or hospitalised")
    charged_text = get("charged") or ""
    charged = parse_amount(charged_text, what="charged") if charged_text else None
    expected: list[tuple[str, str]] = []
    for column in AMOUNT_COLUMNS:
        text = get(column) or ""
        if text:
            expected.append((column, f"{parse_amount(text, what=column):.2f}"))
    for column in ("status", "refusal_code"):
        text = get(column) or ""
        if text:
            expected.append((column, text))
    return Assertion(
        line=line,
        code=code,
        on=on,
        patient=patient,
        provider=provider,
        setting=setting,
        charged=charged,
        history=_history(get("history") or ""),
        expected=tuple(expected),
        source=get("source") or "",
    )


def _computed(result: CaseResult, column: str) -> str:
    value = getattr(result, column)
    if value is None:
        return "nothing"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def differences(assertion: Assertion, result: CaseResult) -> list[str]:
    """``expected X, computed Y`` for every asserted column that differs (empty: it holds).

    A refused case computes the fee but no reimbursement: an asserted reimbursement or
    share names the refusal instead of a bare 0.00.
    """
    found: list[str] = []
    for column, expected in assertion.expected:
        computed = _computed(result, column)
        if computed == expected:
            continue
        if not result.ok and column not in ("fee", "status", "refusal_code"):
            computed = f"refused {result.refusal_code} ({result.refusal_reason})"
        found.append(f"expected {column} {expected}, computed {computed}")
    return found
