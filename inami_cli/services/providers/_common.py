"""What every part of the package uses: the tables' columns, the shipped data tables
(qualification labels, codes by qualification, the real agreements), the provider look-up
and small cell checks."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel

from inami_cli.db.models import (
    Adherence,
    Agreement,
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.domain import providers as rules
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import FileErrors, InvalidInput, NotFound
from inami_cli.domain.providers import AttestRule, Nihii, QualificationLabel
from inami_cli.tabular import Columns, open_binary, read_table

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _columns(model: type[SQLModel]) -> Any:
    """A table's columns (``.c``) for Core queries."""
    return model.__table__.c  # type: ignore[attr-defined]


_PRO = _columns(Provider)
_QUAL = _columns(ProviderQualification)
_ACC = _columns(ProviderAccreditation)
_ADDR = _columns(ProviderAddress)
_AGR = _columns(Agreement)
_ADH = _columns(Adherence)


def _shipped_rows(name: str, spec: Columns) -> Iterator[tuple[int, dict[str, str]]]:
    """The records of a CSV shipped in ``inami_cli/data/`` (read by ``inami_cli.tabular``)."""
    path = DATA_DIR / name
    with open_binary(path) as handle:
        table = read_table(handle, filename=f"inami_cli/data/{name}", spec=spec)
        yield from table.records()


_LABEL_COLUMNS = Columns(
    required=(
        "profession", "code_from", "code_to", "role", "label_fr", "label_nl", "reliability",
        "source",
    )
)  # fmt: skip


@functools.cache
def qualification_labels() -> tuple[QualificationLabel, ...]:
    """The shipped qualification labels (``inami_cli/data/qualifications.csv``)."""
    return tuple(
        QualificationLabel(
            profession=rules.check_profession(rec["profession"]),
            code_from=rules.check_qualification_code(rec["code_from"]),
            code_to=rules.check_qualification_code(rec["code_to"]),
            role=rec["role"].strip(),
            label_fr=rec["label_fr"].strip(),
            label_nl=rec["label_nl"].strip(),
            reliability=rec["reliability"].strip(),
            source=rec["source"].strip(),
        )
        for _line, rec in _shipped_rows("qualifications.csv", _LABEL_COLUMNS)
    )


_ATTEST_COLUMNS = Columns(
    required=(
        "selector", "code_from", "code_to", "article", "allowed", "accreditation_required",
        "valid_from", "valid_to", "reliability", "source",
    ),
    optional=("note",),
)  # fmt: skip


def _yes(text: str, what: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "1", "y", "oui", "ja"):
        return True
    if value in ("no", "false", "0", "n", "non", "nee", ""):
        return False
    raise InvalidInput(f"{what}: {text!r} is not yes or no")


def _optional_date(text: str, what: str) -> date | None:
    value = text.strip()
    return parse_date(value, what=what) if value else None


@functools.cache
def attest_rules() -> tuple[AttestRule, ...]:
    """The shipped codes-by-qualification table (``inami_cli/data/attest_rules.csv``)."""
    found: list[AttestRule] = []
    problems: list[str] = []
    for line, rec in _shipped_rows("attest_rules.csv", _ATTEST_COLUMNS):
        try:
            start = parse_date(rec["valid_from"], what="valid_from")
            found.append(
                AttestRule(
                    selector=rec["selector"].strip(),
                    code_from=rec["code_from"].strip(),
                    code_to=rec["code_to"].strip() or rec["code_from"].strip(),
                    article=rec["article"].strip(),
                    allowed=rules.parse_allowed(rec["allowed"]),
                    accreditation_required=_yes(rec["accreditation_required"], "accreditation"),
                    valid_from=start,
                    valid_to=_optional_date(rec["valid_to"], "valid_to"),
                    reliability=rec["reliability"].strip(),
                    source=rec["source"].strip(),
                    note=rec.get("note", "").strip(),
                )
            )
        except InvalidInput as exc:
            problems.append(f"inami_cli/data/attest_rules.csv:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)
    return tuple(found)


def label_of(profession: str, code: str | None) -> QualificationLabel | None:
    """The label row for a qualification code, or None (unknown code)."""
    if code is None:
        return None
    return rules.find_label(qualification_labels(), profession, code)


def unknown_qualification_warning(profession: str, code: str) -> str | None:
    """The warning for a code the label table does not know (accepted all the same)."""
    if label_of(profession, code) is not None:
        return None
    return (
        f"qualification code {code} of a {profession} is not in the label table "
        "(inami_cli/data/qualifications.csv); accepted"
    )


def profession_digit_warning(nihii: Nihii, profession: str) -> str | None:
    """A warning when the number's first digit names another profession (sourced digits
    only: 1 doctor, 4 nurse, 8/9 care assistant)."""
    hint = nihii.profession_hint
    if hint is None or hint == profession:
        return None
    return (
        f"INAMI number {nihii.formatted} starts with {nihii.profession_digit} "
        f"({hint}) but the profession given is {profession}"
    )


def _provider(session: Session, nihii: str) -> tuple[Provider, Nihii]:
    """The stored provider of a number (11 digits or the 8-digit root): InvalidInput for a
    malformed number, NotFound for an unknown one."""
    parsed = rules.parse_nihii(nihii, allow_root=True)
    provider = session.get(Provider, parsed.root)
    if provider is None:
        raise NotFound(f"no provider with INAMI number {parsed.formatted} in the register")
    return provider, parsed
