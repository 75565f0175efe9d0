"""``inami nomenclature check FILE``: assertions of published amounts computed against the
database (issue 15, "golden checks"; the format is in ``domain.reimbursement``).

The file is read whole first: a bad line is ``FILE:LINE: reason`` (exit 2) and nothing is
computed. Then every line is computed as a single case would be (same act, tariff in force
and rules) and each difference is one ``FILE:LINE: expected X, computed Y (...)``.
Lines starting with ``#`` are comments (the published-tariffs file keeps its sources there).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session

from inami_cli.domain import reimbursement as rules
from inami_cli.domain.errors import FileErrors, InamiError, InvalidInput, NotFound
from inami_cli.domain.reimbursement import Assertion, Line, PastCare
from inami_cli.tabular import Columns, CsvTable, text_lines

CHECK_COLUMNS = Columns(
    required=rules.ASSERTION_REQUIRED,
    optional=rules.ASSERTION_OPTIONAL,
    aliases={"valid_from": "date", "honoraire": "fee", "honorarium": "fee", "src": "source"},
)


@dataclass(frozen=True)
class Difference:
    """One assertion that does not hold."""

    filename: str
    line: int
    code: str
    date: str
    message: str
    source: str

    def text(self) -> str:
        """``FILE:LINE: expected X, computed Y (code on date; source S)``."""
        where = f"{self.code} on {self.date}" + (f"; source {self.source}" if self.source else "")
        return f"{self.filename}:{self.line}: {self.message} ({where})"


@dataclass(frozen=True)
class CheckSummary:
    """What a check found: how many lines and assertions, and the differences."""

    lines: int
    assertions: int
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        """True when every assertion holds."""
        return not self.differences


def _without_comments(lines: Iterator[str]) -> Iterator[str]:
    for text in lines:  # a comment becomes a blank line: line numbers stay right
        yield "\n" if text.lstrip().startswith("#") else text


def read_assertions(data: bytes, filename: str) -> list[Assertion]:
    """Every assertion of a check file, or ``FileErrors`` naming each bad line."""
    lines = _without_comments(text_lines(io.BytesIO(data), filename=filename))
    table = CsvTable(lines, filename=filename, spec=CHECK_COLUMNS)
    assertions: list[Assertion] = []
    problems: list[str] = []
    for line, record in table.records():
        try:
            assertions.append(rules.parse_assertion(line, record))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc}")
    if problems:
        raise FileErrors(problems)
    if not assertions:
        raise FileErrors([f"{filename}:1: no assertions (expected a header and lines)"])
    return assertions


def check_assertions(*, session: Session, data: bytes, filename: str) -> CheckSummary:
    """Compute every assertion of a check file and collect the differences."""
    from inami_cli.services import nomenclature

    assertions = read_assertions(data, filename)
    differences: list[Difference] = []
    count = 0
    for item in assertions:
        count += len(item.expected)

        def differ(message: str, item: Assertion = item) -> None:
            differences.append(
                Difference(
                    filename, item.line, item.code, item.on.isoformat(), message, item.source
                )
            )

        try:
            act = nomenclature.get_act(session=session, code=item.code)
            tariff = nomenclature.tariff_in_force(session=session, code=item.code, on=item.on)
            history = []
            for code, day in item.history:
                past = nomenclature.get_act(session=session, code=code)
                history.append(PastCare(code, day, past.category, tuple(past.not_combinable_with)))
        except NotFound as exc:
            differ(f"expected the code in the nomenclature, computed: {exc}")
            continue
        try:
            [result] = rules.compute_visit(
                [Line(act, tariff, item.charged)],
                on=item.on,
                patient=item.patient,
                provider=item.provider,
                setting=item.setting,
                history=history,
            )
        except InamiError as exc:
            differ(f"expected a computed case, computed an error: {exc}")
            continue
        for message in rules.differences(item, result):
            differ(message)
    return CheckSummary(len(assertions), count, tuple(differences))
