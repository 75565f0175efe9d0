"""The service API the reimbursement engine will use: what the register says about a
provider on a date (``provider_facts``), whether a physiotherapists' convention is in
force (``physio_convention_in_force``), may a provider attest a code (``may_attest``),
and the whole register in memory for batches (``load_provider_register``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.domain import providers as rules
from inami_cli.domain.errors import NotFound
from inami_cli.domain.providers import (
    AdherenceTerm,
    AgreementTerm,
    Attester,
    DatedCode,
    ProviderFacts,
    ProviderRecord,
)
from inami_cli.services.providers._common import (
    _ACC,
    _ADDR,
    _ADH,
    _PRO,
    _QUAL,
    _provider,
    attest_rules,
    qualification_labels,
)
from inami_cli.services.providers._views import agreement_terms, provider_record


def provider_facts(
    *, session: Session, nihii: str, on: date, at: time | None = None
) -> ProviderFacts:
    """Profession, qualification (and label), accreditation, the agreement of the
    profession in force and the convention status under it (partial: whether *at* falls
    in a declared block), and whether a physiotherapists' convention is in force, on *on*.

    *nihii* is 11 digits (or the 8-digit root); a malformed number is InvalidInput (exit
    2), an unknown provider NotFound (exit 3).
    """
    provider, _parsed = _provider(session, nihii)
    return rules.resolve_facts(
        provider_record(session, provider),
        agreements=agreement_terms(session),
        on=on,
        at=at,
        labels=qualification_labels(),
    )


def physio_convention_in_force(*, session: Session, on: date) -> bool:
    """Whether a physiotherapists' convention is in force on *on* (the agreements table
    is the source of truth: none from 2025-01-01 to 2025-04-30, nor in early 2022)."""
    return rules.physio_convention_in_force(on, agreement_terms(session))


def may_attest(code: str, who: Attester, on: date, *, article: str | None = None) -> bool | None:
    """May *who* attest *code* on *on*, by the shipped codes-by-qualification table
    (``inami_cli/data/attest_rules.csv``)? None when no rule speaks about the code."""
    return rules.may_attest(code, who, on, rules=attest_rules(), article=article)


def attester_of(facts: ProviderFacts) -> Attester:
    """The ``Attester`` of a provider's facts (for ``may_attest``)."""
    return Attester(facts.profession, facts.qualification, facts.accredited)


class ProviderRegister:
    """Every provider and agreement in memory, for batches: ``facts`` answers as
    ``provider_facts`` without a query per row."""

    __slots__ = ("_agreements", "_records")

    def __init__(
        self, records: dict[str, ProviderRecord], agreements: Sequence[AgreementTerm]
    ) -> None:
        self._records = records
        self._agreements = tuple(agreements)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, nihii: object) -> bool:
        return isinstance(nihii, str) and nihii[:8] in self._records

    def facts(self, nihii: str, on: date, at: time | None = None) -> ProviderFacts:
        """As ``provider_facts`` (InvalidInput for a malformed number, NotFound for an
        unknown provider)."""
        parsed = rules.parse_nihii(nihii, allow_root=True)
        record = self._records.get(parsed.root)
        if record is None:
            raise NotFound(f"no provider with INAMI number {parsed.formatted} in the register")
        return rules.resolve_facts(
            record, agreements=self._agreements, on=on, at=at, labels=qualification_labels()
        )

    def change_dates(self, nihii: str) -> tuple[date, ...]:
        """Every date on which ``facts(nihii, ...)`` may change, sorted: the starts of the
        provider's periods and adherences, the day after their ends, and the same for the
        agreements. Between two of them the answer is the same for the same weekday and
        time (a batch remembers it per stretch). Errors as ``facts``."""
        parsed = rules.parse_nihii(nihii, allow_root=True)
        record = self._records.get(parsed.root)
        if record is None:
            raise NotFound(f"no provider with INAMI number {parsed.formatted} in the register")
        cuts: set[date] = {a.effective_from for a in record.adherences}
        spans = [(q.valid_from, q.valid_to) for q in record.qualifications]
        spans += list(record.accreditations)
        spans += [(a.valid_from, a.valid_to) for a in self._agreements]
        for start, end in spans:
            cuts.add(start)
            if end is not None:
                cuts.add(end + timedelta(days=1))
        return tuple(sorted(cuts))

    def physio_convention_in_force(self, on: date) -> bool:
        """As the function of that name."""
        return rules.physio_convention_in_force(on, self._agreements)


def load_provider_register(*, session: Session) -> ProviderRegister:
    """Read the register (one query per table) into a ``ProviderRegister``."""
    professions = {a: b for a, b in session.execute(select(_PRO.nihii, _PRO.profession))}
    quals: dict[str, list[DatedCode]] = {}
    for root, code, start, end in session.execute(
        select(_QUAL.nihii, _QUAL.code, _QUAL.valid_from, _QUAL.valid_to)
    ):
        quals.setdefault(root, []).append(DatedCode(code, start, end))
    accs: dict[str, list[tuple[date, date | None]]] = {}
    for root, start, end in session.execute(select(_ACC.nihii, _ACC.valid_from, _ACC.valid_to)):
        accs.setdefault(root, []).append((start, end))
    adhs: dict[str, list[AdherenceTerm]] = {}
    for root, key, status, start, blocks, registered in session.execute(
        select(
            _ADH.nihii, _ADH.agreement_key, _ADH.status, _ADH.effective_from, _ADH.blocks,
            _ADH.registered_on,
        )
    ):  # fmt: skip
        parsed = rules.parse_blocks(blocks) if blocks else ()
        adhs.setdefault(root, []).append(AdherenceTerm(key, status, start, parsed, registered))
    regions: dict[str, str] = {}
    for root, region, main in session.execute(
        select(_ADDR.nihii, _ADDR.region, _ADDR.is_main).order_by(_ADDR.id)
    ):
        if main or root not in regions:
            regions[root] = region
    records = {
        root: ProviderRecord(
            root=root,
            profession=profession,
            qualifications=tuple(quals.get(root, ())),
            accreditations=tuple(accs.get(root, ())),
            adherences=tuple(adhs.get(root, ())),
            region=regions.get(root),
        )
        for root, profession in professions.items()
    }
    return ProviderRegister(records, agreement_terms(session))
