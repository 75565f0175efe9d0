"""Tariffs as in force: a stored version read on a day, the patient's share, the index of
everything needed to price cases in memory."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.errors import NotFound
from inami_cli.domain.money import ZERO
from inami_cli.domain.nomenclature._acts import ActView
from inami_cli.domain.nomenclature._key_letters import (
    KeyTermSpec,
    KeyValue,
    fee_from_terms,
    value_on,
)
from inami_cli.domain.tariffs import Profile, TariffView


def personal_share(fee: Decimal, reimbursement: Decimal) -> Decimal:
    """What the patient pays: fee - reimbursement, never negative."""
    return max(fee - reimbursement, ZERO)


@dataclass(frozen=True)
class TariffRecord:
    """A stored tariff version as held in memory (fee None = derived from key terms)."""

    id: int
    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    decision_number: str | None = None


def view_of(
    record: TariffRecord,
    on: date,
    terms: Sequence[KeyTermSpec],
    key_values: Mapping[str, Sequence[KeyValue]],
) -> TariffView:
    """The tariff as in force on *on*: the stored fee, or the fee derived from key terms."""
    fee = record.fee
    derived = False
    if fee is None:
        values: dict[str, Decimal] = {}
        for term in terms:
            found = value_on(key_values.get(term.index_code, ()), on)
            if found is None:
                raise NotFound(
                    f"no value of key-letter index {term.index_code} on {on} "
                    f"(needed for the fee of {record.code})",
                    hint=f"inami nomenclature key-letter set {term.index_code} --from D --value X",
                )
            values[term.index_code] = found
        fee = fee_from_terms(terms, values, code=record.code)
        derived = True
    return TariffView(
        code=record.code,
        valid_from=record.valid_from,
        valid_to=record.valid_to,
        fee=fee,
        profiles=record.profiles,
        source=record.source,
        source_kind=record.source_kind,
        fee_derived=derived,
        decision_number=record.decision_number,
    )


class NomenclatureIndex:
    """Acts, current tariffs and key-letter values held in memory for batch pricing."""

    def __init__(
        self,
        acts: Mapping[str, ActView],
        tariffs: Iterable[TariffRecord],
        key_terms: Mapping[str, tuple[KeyTermSpec, ...]],
        key_values: Iterable[KeyValue],
    ) -> None:
        self._acts = dict(acts)
        self._terms = dict(key_terms)
        self._tariffs: dict[str, list[TariffRecord]] = {}
        for record in tariffs:
            self._tariffs.setdefault(record.code, []).append(record)
        self._starts: dict[str, list[date]] = {}
        for code, records in self._tariffs.items():
            records.sort(key=lambda r: r.valid_from)
            self._starts[code] = [r.valid_from for r in records]
        self._values: dict[str, list[KeyValue]] = {}
        for value in key_values:
            self._values.setdefault(value.index_code, []).append(value)
        for series in self._values.values():
            series.sort(key=lambda v: v.valid_from)

    def act(self, code: str) -> ActView | None:
        """The act, or None when the code is unknown."""
        return self._acts.get(code)

    def codes(self) -> list[str]:
        """Every known code, sorted."""
        return sorted(self._acts)

    def record_on(self, code: str, on: date) -> TariffRecord | None:
        """The stored tariff period containing *on*, or None."""
        starts = self._starts.get(code)
        if not starts:
            return None
        i = bisect.bisect_right(starts, on) - 1
        if i < 0:
            return None
        record = self._tariffs[code][i]
        if record.valid_to is not None and on > record.valid_to:
            return None
        return record

    def tariff_on(self, code: str, on: date) -> TariffView | None:
        """The tariff in force on *on* (fee derived from key letters when not stored)."""
        record = self.record_on(code, on)
        if record is None:
            return None
        return view_of(record, on, self._terms.get(code, ()), self._values)

    def key_value_on(self, index_code: str, on: date) -> Decimal | None:
        """The value of a key-letter index on a date."""
        return value_on(self._values.get(index_code, ()), on)

    def periods(self, code: str) -> list[TariffRecord]:
        """Every current tariff period of a code, oldest first."""
        return list(self._tariffs.get(code, ()))
