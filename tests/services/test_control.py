"""Control services on the demo database (SQLite, and PostgreSQL when configured): the
billing audit of the demo file with its planted errors."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from inami_cli.domain.errors import FileErrors
from inami_cli.services import control

D = date.fromisoformat
E = Decimal
DEMO_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "billing_demo.csv"
HEADER = "provider_id,niss,code,date,time,charged,reimbursement_claimed,prescriber_id,billed_on\n"

# line -> the finding planted on it (fixtures/billing_demo.csv)
PLANTED = {
    7: "906",  # supplement to an automatic-BIM patient at a non-conventioned GP
    8: "103",  # 101076 by a GP who is not accredited
    9: "103",  # a GP code by a specialist
    10: "901",  # not insured on the date
    11: "009",  # code without a tariff on the date
    12: "905",  # a conventioned GP charging above the fee
    13: "108",  # the whole fee claimed
    14: "104",  # physiotherapy without a prescriber
    16: "106",  # prescriber's check digits
    18: "002",  # 301593 a second time in the calendar year (the first is line 17)
    19: "902",  # a code for under 18s
    20: "108",  # no dental care in the previous year: the rules halve it (R20), the claim does not
    21: "101",  # billed after the 2-year limit
    22: "107",  # provider not in the register
}


@pytest.fixture
def demo(demo_db_url: str) -> Iterator[Any]:
    from sqlmodel import Session

    from inami_cli.db.engine import make_engine

    engine = make_engine(demo_db_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def _audit(session: Any, text: str | bytes, **kw: Any) -> tuple[list[Any], Any, list[str]]:
    data = text.encode() if isinstance(text, str) else text
    errors: list[str] = []
    summary = control.AuditSummary()
    audits = list(
        control.audit_stream(
            session=session, source=io.BytesIO(data), filename="bill.csv",
            billed_on=kw.pop("billed_on", D("2025-04-01")), on_error=errors.append,
            summary=summary, **kw,
        )
    )  # fmt: skip
    return audits, summary, errors


def test_demo_file_findings(demo: Any) -> None:
    audits, summary, errors = _audit(demo, DEMO_FILE.read_bytes())
    assert errors == []
    found = {a.line: [f.code for f in a.findings] for a in audits if a.findings}
    assert found == {line: [code] for line, code in PLANTED.items()}
    assert summary.lines == 21 and summary.lines_with_findings == len(PLANTED)
    assert summary.claimed == E("678.50") and summary.undue == E("354.24")
    by_line = {a.line: a for a in audits}
    # the engine's figures: 101076 in 2025 for an ordinary patient without DMG
    assert by_line[2].computed == E("26.84") and by_line[13].undue == E("6.00")
    assert by_line[12].undue == E("7.16")  # 40.00 charged, fee 32.84
    assert by_line[7].undue == E("8.49")  # 35.00 charged, fee 26.51
    assert by_line[8].undue == E("26.84")  # the whole claim


def test_file_history_counts_for_later_lines(demo: Any) -> None:
    text = HEADER + (
        "39005876001,72110313704,301593,2022-09-05,,,68.00,,2023-01-15\n"
        "39005876001,72110313704,301593,2022-10-05,,,68.00,,2023-01-15\n"
        "39005876001,72110313704,301593,2023-01-05,,,68.00,,2023-01-15\n"
    )
    audits, _summary, _errors = _audit(demo, text)
    assert [[f.code for f in a.findings] for a in audits][:2] == [[], ["002"]]


def test_malformed_lines_are_reported_and_skipped(demo: Any) -> None:
    text = HEADER + (
        "19001706004,72110313704,101076,2025-02-30,,,26.84,,\n"
        "19001706004,72110313704,101076,2025-03-03,,,26.84,,,extra\n"
        "19001706004,72110313705,101076,2025-03-03,,,26.84,,\n"
        "1900170600,72110313704,101076,2025-03-03,,,26.84,,\n"
        "19001706004,72110313704,101076,2025-03-03,,,26.845,,\n"
        "\n"
        "19001706004,72110313704,101076,2025-03-03,,,26.84,,\n"
    )
    audits, summary, errors = _audit(demo, text)
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4", "5", "6"]
    assert all(e.startswith("bill.csv:") for e in errors)
    assert "10 fields, the header has 9" in errors[1]
    assert summary.errors == 5 and [a.line for a in audits] == [8]
    assert audits[0].findings == ()


def test_header_problems(demo: Any) -> None:
    with pytest.raises(FileErrors, match=r"bill.csv:1: missing column\(s\) reimbursement_claimed"):
        _audit(demo, "provider_id,niss,code,date\n")
    with pytest.raises(FileErrors, match="unknown column"):
        _audit(demo, HEADER.strip() + ",colour\n")
    # ; as delimiter and header aliases (the shared reader)
    text = "NIHII;INSZ;code;date;claimed\n19001706004;72110313704;101076;2025-03-03;26,84\n"
    audits, _summary, errors = _audit(demo, text)
    assert errors == [] and audits[0].findings == () and audits[0].claimed == E("26.84")


def test_partial_provider_outside_block_is_bound_by_the_fee(demo: Any) -> None:
    # Vermeersch (specialist, partial 2024-2025: Mon 14-18, Wed 14-18, Fri 08:30-12:30)
    inside = "19002595100,72110313704,105755,2025-03-03,15:00,200.00,0,,\n"  # a Monday
    outside = "19002595100,72110313704,105755,2025-03-04,15:00,200.00,0,,\n"  # a Tuesday
    audits, _s, _e = _audit(demo, HEADER + inside + outside)
    codes = [[f.code for f in a.findings] for a in audits]
    assert "905" not in codes[0] and "905" in codes[1]


# ------------------------------------------------------------------ control fund


def _record(session: Any, code: str, day: str, niss: str) -> None:
    from inami_cli.services.audit import set_actor
    from inami_cli.services.reimbursement import CaseRequest, reimburse

    set_actor("tests", "pytest")
    answer = reimburse(
        session=session, request=CaseRequest(codes=(code,), on=D(day), niss=niss), record=True
    )
    assert answer.recorded == 1


def test_fund_sample_recomputes_and_finds_differences(demo: Any) -> None:
    from sqlalchemy import select, update

    from inami_cli.db.models import CareRecord

    marc, sophie = "72110313704", "85061508234"  # insurers 100 and 300
    _record(demo, "101076", "2025-03-03", marc)
    _record(demo, "101032", "2025-03-04", marc)
    _record(demo, "301593", "2022-09-05", marc)
    _record(demo, "101076", "2025-03-05", sophie)
    # a fund that paid a second 301593 in the same calendar year, and 1.00 too much once
    first = demo.execute(select(CareRecord).where(CareRecord.code == "301593")).scalar_one()
    demo.add(CareRecord(**{**first.model_dump(exclude={"id"}), "care_date": D("2022-11-07")}))
    demo.execute(
        update(CareRecord).where(CareRecord.code == "101032").values(reimbursement_cents=2151)
    )
    demo.flush()
    result = control.fund_sample(session=demo, insurer="100", sample=10, seed=7)
    assert result.population == 4  # Sophie is at insurer 300
    by_code = {(c.code, c.care_date): c for c in result.checks}
    assert by_code[("101076", D("2025-03-03"))].status == "match"
    assert by_code[("301593", D("2022-09-05"))].status == "match"  # not counted against itself
    second = by_code[("301593", D("2022-11-07"))]
    assert second.status == "refused" and second.refusal_code == "002"
    assert second.difference == E("68.00")
    assert by_code[("101032", D("2025-03-04"))].difference == E("1.00")
    totals = result.totals()
    assert totals["differing"] == 2 and totals["difference"] == E("69.00")


def test_fund_sample_is_reproducible(demo: Any) -> None:
    for day in ("2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31"):
        _record(demo, "101076", day, "72110313704")
    demo.flush()
    one = control.fund_sample(session=demo, insurer="100", sample=2, seed=42)
    two = control.fund_sample(session=demo, insurer="100", sample=2, seed=42)
    other = [control.fund_sample(session=demo, insurer="100", sample=2, seed=s) for s in range(8)]
    ids = [c.record_id for c in one.checks]
    assert ids == [c.record_id for c in two.checks] and len(ids) == 2
    assert len({tuple(c.record_id for c in o.checks) for o in other}) > 1
    assert one.population == 5


def test_fund_sample_bad_input(demo: Any) -> None:
    from inami_cli.domain.errors import InvalidInput, NotFound

    with pytest.raises(NotFound, match="no insurer with code 999"):
        control.fund_sample(session=demo, insurer="999", sample=1, seed=1)
    with pytest.raises(InvalidInput, match="--sample 0"):
        control.fund_sample(session=demo, insurer="100", sample=0, seed=1)
    empty = control.fund_sample(session=demo, insurer="600", sample=5, seed=1)
    assert empty.population == 0 and empty.checks == ()


# ------------------------------------------------------------------ control report


def test_report_per_provider_and_peers(demo: Any) -> None:
    lambotte = "".join(
        f"19001706004,72110313704,101076,2025-03-{day:02d},,,26.84,,\n" for day in range(3, 9)
    )
    dubois = "19003387003,72110313704,101032,2025-03-05,,,20.51,,\n"
    report = control.provider_report(
        session=demo, source=io.BytesIO((HEADER + lambotte + dubois).encode()),
        filename="bill.csv", billed_on=D("2025-04-01"), outlier=E("1.5"),
    )  # fmt: skip
    rows = {p.provider_id: p for p in report.providers}
    gp = rows["19001706004"]
    # 003 and 004 are one peer group (the recognised GP role): median of 6.00 and 1.00
    assert gp.peers.group == "doctor gp" and gp.peers.peer_median == E("3.50")
    assert (gp.lines, gp.patients, gp.peers.ratio, gp.peers.outlier) == (6, 1, E("1.71"), True)
    assert not rows["19003387003"].peers.outlier
    assert gp.billed == E("161.04") and gp.undue == 0 and gp.by_rule == {}


def test_report_of_the_demo_file(demo: Any) -> None:
    report = control.provider_report(
        session=demo, source=io.BytesIO(DEMO_FILE.read_bytes()), filename="demo.csv",
        billed_on=D("2025-04-01"), outlier=E("1.5"),
    )  # fmt: skip
    assert report.providers[0].provider_id == "39005876001"  # largest undue
    total = sum((p.undue for p in report.providers), E("0"))
    assert total == report.summary.undue == E("354.24")
    dentist = report.providers[0]
    assert dentist.by_rule == {"002": 1, "101": 1, "108": 1, "902": 1}
    assert dentist.lines_with_findings == 4 and dentist.billed == E("270.50")
    unknown = next(p for p in report.providers if p.provider_id == "19099999055")
    assert unknown.profession is None and unknown.peers.group == "unknown"


# ------------------------------------------------------------------ workers


def _texts(session: Any, data: bytes | Path) -> tuple[str, Any, list[str]]:
    """The audit's texts of *data* (a file in memory, or a file's path), its summary and
    its errors."""
    errors: list[str] = []
    summary = control.AuditSummary()
    with data.open("rb") if isinstance(data, Path) else io.BytesIO(data) as source:
        text = "".join(
            control.audit_texts(
                session=session, source=source, filename="bill.csv",
                billed_on=D("2025-04-01"), render=lambda a: f"{a.line}:{a.findings}\n",
                on_error=errors.append, summary=summary,
            )
        )  # fmt: skip
    return text, summary, errors


def _alone_and_shared(demo: Any, monkeypatch: pytest.MonkeyPatch, data: bytes | Path) -> Any:
    """``_texts`` of *data* in one process, then on two workers (small chunks, from the
    fifth line)."""
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "1")
    alone = _texts(demo, data)
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "2")
    monkeypatch.setenv("INAMI_BATCH_MIN_ROWS", "5")
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "4")
    return alone, _texts(demo, data)


def test_workers_give_the_same_output_in_the_same_order(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = (
        "19001706004,72110313704,101076,2025-02-30,,,26.84,,\n"
        "19001706004,72110313704,101076,2025-03-03,,,26.84,,,extra\n"
    )
    data = DEMO_FILE.read_bytes() + bad.encode() + b"".join(DEMO_FILE.read_bytes().splitlines(
        keepends=True)[1:])  # fmt: skip
    alone, shared = _alone_and_shared(demo, monkeypatch, data)
    assert shared[0] == alone[0] and shared[2] == alone[2]
    assert shared[1].as_dict() == alone[1].as_dict()
    assert alone[1].errors == 2 and alone[2][0].startswith("bill.csv:23: ")
    # the second copy of the file: 301593 is now refused for the first line too (history)
    assert "40:(Finding(code='002'" in alone[0]


def test_workers_reading_the_file_give_the_output_of_one_process(
    demo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workers that read a regular file themselves (``_read_work``) skip the chunks the
    parent audited and give the output, errors and counts of one process, a quoted field
    holding a line break included; an undecodable byte fails as in one process."""
    from inami_cli.domain.errors import FileErrors
    from inami_cli.services.control._parallel import _reopenable

    quoted = '19001706004,72110313704,101076,"2025-03-03\n",,,26.84,,\n'
    bad = "19001706004,72110313704,101076,2025-03-03,,,26.84,,,extra\n"
    lines = DEMO_FILE.read_bytes().splitlines(keepends=True)
    path = tmp_path / "bill.csv"
    path.write_bytes(b"".join([*lines, quoted.encode(), *lines[1:], bad.encode(), *lines[1:]]))
    with path.open("rb") as source:
        assert _reopenable(source) == str(path) and _reopenable(io.BytesIO(b"")) is None
    alone, shared = _alone_and_shared(demo, monkeypatch, path)
    assert shared[0] == alone[0] and shared[2] == alone[2]
    assert alone[2] == ["bill.csv:46: 10 fields, the header has 9"]  # the quote: 2 lines
    assert shared[1].as_dict() == alone[1].as_dict() and alone[1].lines > 50
    path.write_bytes(b"".join([*lines, *lines[1:], b"19001706004,7211\xe9\n", *lines[1:]]))
    failures = []
    for workers in ("1", "2"):
        monkeypatch.setenv("INAMI_BATCH_WORKERS", workers)
        with pytest.raises(FileErrors) as failed:
            _texts(demo, path)
        failures.append(failed.value.problems)
    assert failures[0] == failures[1] and "not utf-8 text" in failures[0][0]


def test_a_big_file_starts_its_workers_at_the_first_line(
    demo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without ``INAMI_BATCH_MIN_ROWS``, a regular file of more than twice the default's
    lines (by the size of its first chunk's lines) goes to the workers from its first
    line, with the output of one process; a smaller file, and the same bytes from a
    stream, wait for the default's lines first."""
    from inami_cli.services.control import _parallel

    started: list[int] = []
    real = _parallel._parallel

    def spy(head: Any, chunks: Any, line: int, *rest: Any) -> Any:
        started.append(line)
        return real(head, chunks, line, *rest)

    monkeypatch.setattr(_parallel, "_parallel", spy)
    monkeypatch.setattr(_parallel, "DEFAULT_MIN_ROWS", 30)
    monkeypatch.delenv("INAMI_BATCH_MIN_ROWS", raising=False)
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "10")
    header, *lines = DEMO_FILE.read_bytes().splitlines(keepends=True)
    path = tmp_path / "bill.csv"
    path.write_bytes(header + b"".join(lines) * 3)  # 63 lines: more than 2 x 30
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "1")
    alone = _texts(demo, path)
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "2")
    assert _texts(demo, path) == alone and started == [2]
    started.clear()
    assert _texts(demo, path.read_bytes())[0] == alone[0] and started == [32]  # a stream
    started.clear()
    path.write_bytes(header + b"".join(lines) * 2)  # 42 lines
    _texts(demo, path)
    assert started == [32]


def test_cumulation_within_the_file(demo: Any) -> None:
    # pairs that cannot be combined are nomenclature data (maf-control-funding.md §8.2: e.g.
    # colposcopy 431955-431966 not with 114030-114041, AR 14/1/2013); the demo has none,
    # so one is set here
    from sqlalchemy import update

    from inami_cli.db.models import Act

    demo.execute(update(Act).where(Act.code == "101076").values(not_combinable_with="101032"))
    demo.flush()
    text = HEADER + (
        "19001706004,72110313704,101032,2025-03-05,16:00,,20.51,,\n"
        "19001706004,72110313704,101076,2025-03-05,16:30,,26.84,,\n"
        "19001706004,72110313704,101076,2025-03-06,10:00,,26.84,,\n"
    )
    audits, summary, _errors = _audit(demo, text)
    codes = [[f.code for f in a.findings] for a in audits]
    assert "010" not in codes[0] and codes[1] == ["010"] and "010" not in codes[2]  # next day
    assert audits[1].undue == E("26.84") and summary.by_rule["010"] == 1


def test_answer_cache_keeps_what_is_used_within_its_bound() -> None:
    from inami_cli.services.memo import Generations

    cache = Generations(3)
    for i in range(3):
        cache.put(i, f"answer {i}")
    cache.put(3, "answer 3")  # the young generation was full: it is now the old one
    assert len(cache) == 4 and cache.get(0) == "answer 0"  # found old, moved back
    for i in range(4, 7):
        cache.put(i, f"answer {i}")
    assert cache.get(1) is None and cache.get(0) == "answer 0"  # 1 dropped, 0 kept
    assert len(cache) <= 2 * cache.limit


def test_file_history_shares_one_care_per_code_and_date(demo: Any) -> None:
    """Two patients' care of one code on one day is one object in the history (the part
    of an audit that grows with the lines); the frequency rule still reads each history."""
    from datetime import date as Day

    from inami_cli.services.control._context import AuditContext

    ctx = AuditContext(session=demo)
    act = ctx.act("301593")
    assert act is not None and ctx.history_relevant(act)
    ctx.add_history("72110313704", act, Day(2022, 9, 5))
    ctx.add_history("60013021159", act, Day(2022, 9, 5))
    assert ctx.history["72110313704"][0] is ctx.history["60013021159"][0]
    text = HEADER + (
        "39005876001,72110313704,301593,2022-09-05,,,68.00,,2023-01-15\n"
        "39005876001,60013021159,301593,2022-09-05,,,68.00,,2023-01-15\n"
        "39005876001,72110313704,301593,2022-10-05,,,68.00,,2023-01-15\n"
        "39005876001,60013021159,301593,2022-10-05,,,68.00,,2023-01-15\n"
    )
    audits, _summary, _errors = _audit(demo, text)
    frequency = [any(f.code == "002" for f in a.findings) for a in audits]
    assert frequency == [False, False, True, True]


def test_worker_share_by_patient_only_where_history_is_read(demo: Any) -> None:
    """Lines of an act whose history a rule reads go by NISS (a patient's history stays on
    one worker); the others by code (each worker computes the answers of its own codes)."""
    from inami_cli.services.control._audit import BILLING_COLUMNS, _Auditor
    from inami_cli.services.control._context import AuditContext
    from inami_cli.services.control._parallel import _Share

    auditor = _Auditor(AuditContext(session=demo), billed_on=D("2025-04-01"))
    names: tuple[str | None, ...] = tuple(HEADER.strip().split(","))
    assert set(BILLING_COLUMNS.required) <= set(names)
    shares = [_Share(names, i, 2, auditor) for i in range(2)]
    patients = [f"{n:011d}" for n in range(72110313700, 72110313740)]

    def owner(code: str, niss: str) -> int:
        cells = ["19001706004", niss, code, "2025-03-03", "", "", "1.00", "", ""]
        owners = [i for i, share in enumerate(shares) if share(5, cells)]
        assert len(owners) == 1  # every line is audited exactly once
        return owners[0]

    assert len({owner("101076", niss) for niss in patients}) == 1  # by code
    assert len({owner("301593", niss) for niss in patients}) == 2  # by patient
    assert {owner("301593", "72110313704"), owner("301593", "72.11.03-137.04")} == {
        owner("301593", "72110313704")
    }


def test_plans_of_each_day_are_the_plans_of_the_stretches(demo: Any) -> None:
    """A code's plan kept for a stretch of days (``CodePlans.span``) is the plan of each
    day of it: the one shared object of what decides the engine's answer on the day (the
    head of the answers' cache key: a plan of another rule epoch would read answers of
    another epoch). Every code of the demo nomenclature, days across the rule and tariff
    changes, in shuffled order."""
    import random
    from datetime import timedelta

    from inami_cli.services.control._context import AuditContext
    from inami_cli.services.control._plans import CodePlans

    ctx = AuditContext(session=demo, history=False)
    plans = CodePlans(ctx)
    days = [D("2019-01-01") + timedelta(days=n) for n in range(0, 8 * 365, 11)]
    pairs = [(code, day) for code in ctx.index.codes() for day in days]
    random.Random(18).shuffle(pairs)
    for code, day in pairs:
        assert plans.plan(code, day) is plans._plan(code, day), (code, day)
    assert plans.spans and sum(len(s.starts) for s in plans.spans.values()) < len(pairs) / 4


def _general_person(ctx: Any, niss: str, on: date) -> tuple[Any, int | None] | None:
    """``AuditContext.person`` without its stretches: the register's answer on the day."""
    from inami_cli.domain.dates import age_on

    found = ctx.register.coverage(niss, on)
    if found is None:
        return None
    birth, _death, cov = found
    return cov, (age_on(birth, on) if birth is not None and birth <= on else None)


def test_person_answers_kept_for_stretches_are_each_days_answers(demo: Any) -> None:
    """The coverage kept per person for a stretch of days (``AuditContext.person``) is the
    register's answer on each day: the demo file's persons and an unknown one, days across
    their affiliations and entitlements, in shuffled order."""
    import random
    from datetime import timedelta

    from inami_cli.services.control._context import AuditContext

    ctx = AuditContext(session=demo, history=False)
    persons = {line.split(",")[1] for line in DEMO_FILE.read_text().splitlines()[1:]}
    days = [D("2018-01-01") + timedelta(days=n) for n in range(0, 9 * 365, 5)]
    pairs = [(niss, day) for niss in [*persons, "00000000097"] for day in days]
    random.Random(18).shuffle(pairs)
    for niss, day in pairs:
        general = _general_person(ctx, niss, day)
        if general is not None:  # an insured person's answer is kept as the shared profile
            general = (ctx._shared(general[0]), general[1])
        assert ctx.person(niss, day) == general, (niss, day)
    assert len(ctx.persons) == len(persons) + 1
    # one kept answer per distinct profile of an insured person, the same object each time
    shared = [ctx._shared(c) for c, _ in filter(None, (ctx.person(n, d) for n, d in pairs))]
    insured = {id(c) for c in shared if c.insured}
    assert len(insured) == len({c for c in shared if c.insured})
    assert all(c.reason == "" and c.affiliation is None for c in shared if c.insured)


def test_audit_equals_the_audit_without_stretches(demo: Any, monkeypatch: Any) -> None:
    """The demo file audited with the plans and persons kept for stretches of days gives
    the audit made with each line's own plan and person."""
    from inami_cli.services.control._context import AuditContext
    from inami_cli.services.control._plans import CodePlans

    fast = _audit(demo, DEMO_FILE.read_bytes())
    monkeypatch.setattr(CodePlans, "span", lambda self, code, on: None)
    monkeypatch.setattr(AuditContext, "person", _general_person)
    general = _audit(demo, DEMO_FILE.read_bytes())
    assert fast[0] and fast[0] == general[0]
    assert fast[1].as_dict() == general[1].as_dict() and fast[2] == general[2]
