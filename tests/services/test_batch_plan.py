"""The batch's plans (issue 19): a row answered by its plan's arithmetic is the row the
engine (``compute_case`` + ``settle``, rendered) writes, byte for byte."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from inami_cli.domain import reimbursement as r
from inami_cli.domain.reimbursement import Line, Patient, ProviderTerms
from inami_cli.services.reimbursement._batch_plan import BatchPlans
from inami_cli.services.reimbursement._batch_render import _csv_piece, _Renderer
from inami_cli.services.reimbursement._case import result_record
from tests.domain.test_reimbursement import GP, GP_TARIFFS, PHYSIO, PHYSIO_2024, SPEC, SPEC_2017

D = Decimal
CASES = [
    (GP, GP_TARIFFS[0], date(2024, 5, 2)),
    (GP, GP_TARIFFS[2], date(2026, 2, 2)),
    (SPEC, SPEC_2017, date(2017, 3, 1)),
    (PHYSIO, PHYSIO_2024, date(2024, 3, 1)),
]


def _engine_row(renderer: _Renderer, act, tariff, on, patient, terms, charged, asked) -> str:  # type: ignore[no-untyped-def]
    result = r.compute_case(
        Line(act, tariff, charged), on=on, patient=patient, terms=terms, third_party=asked
    )
    code, head, tail = renderer.pieces(result_record(result, niss=None, label=act.label_fr))
    return renderer.row(7, "", on.isoformat(), patient.age, code, head, tail)


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(CASES),
    fmt=st.sampled_from(("csv", "ndjson")),
    status=st.sampled_from(r.PROVIDERS),
    regime=st.sampled_from(("ordinary", "preferential")),
    dmg=st.booleans(),
    age=st.one_of(st.none(), st.integers(0, 100)),
    chronic=st.booleans(),
    cents=st.one_of(st.none(), st.integers(0, 20_000)),
    asked=st.booleans(),
)
def test_a_row_by_its_plan_is_the_engine_row(
    case: tuple[r.Act, r.ActRules, date],
    fmt: str,
    status: str,
    regime: str,
    dmg: bool,
    age: int | None,
    chronic: bool,
    cents: int | None,
    asked: bool,
) -> None:
    act, tariff, on = case
    if status == "partially" and act.category in r.PHYSIO_CATEGORIES:
        status = "conventioned"  # no partially conventioned physiotherapist (issue 14)
    renderer = _Renderer(fmt)
    plans = BatchPlans(renderer, "fr")
    patient = Patient(regime, dmg, age, chronic)
    terms = ProviderTerms(status=status)
    charged = None if cents is None else D(cents) / 100
    shape = plans.compile(
        ("k",), act, tariff, on=on, patient=patient, terms=terms, setting=None,
        asked_third_party=asked,
    )  # fmt: skip
    answer = plans.answer(shape, charged)
    expected = _engine_row(renderer, act, tariff, on, patient, terms, charged, asked)
    if answer is None:  # refused above the fee, or banned: the engine answers
        assert charged is not None and tariff is not None and charged > tariff.fee
        assert ",refused," in expected or '"status": "refused"' in expected
        return
    mine = renderer.row(7, "", on.isoformat(), patient.age, answer.code, answer.head, answer.tail)
    assert mine == expected


def test_a_plan_that_reads_the_row_is_left_to_the_engine() -> None:
    """A refusal decided by the plan (no tariff on the date) has no plain rows."""
    plans = BatchPlans(_Renderer("csv"), "fr")
    shape = plans.compile(
        ("k",), GP, None, on=date(2024, 5, 2), patient=Patient("ordinary", age=40),
        terms=ProviderTerms(), setting=None, asked_third_party=False,
    )  # fmt: skip
    assert shape.plain is None and plans.answer(shape, None) is None


@given(st.lists(st.one_of(st.text(max_size=6), st.none(), st.booleans()), min_size=1, max_size=5))
def test_csv_piece_is_what_the_csv_writer_writes(values: list[object]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(
        ["" if v is None else ("yes" if v else "no") if isinstance(v, bool) else v for v in values]
    )
    if all(v is None or isinstance(v, bool) or str(v).isprintable() for v in values):
        assert _csv_piece(values) == buffer.getvalue()
