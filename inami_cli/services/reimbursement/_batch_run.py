"""A batch of cases (``inami reimburse batch``): the rows of a chunk computed, rendered
and counted (in this process or on workers), and the whole file read, written and summed."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, TextIO

from sqlalchemy import insert
from sqlmodel import Session

from inami_cli import tabular
from inami_cli.db.models import CareRecord
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.errors import InamiError, InvalidInput
from inami_cli.domain.money import from_cents, parse_amount, to_cents
from inami_cli.domain.niss import compact_niss
from inami_cli.domain.reimbursement import Line, Patient
from inami_cli.domain.values import is_digits
from inami_cli.services.reimbursement._batch_context import CACHE_LIMIT, _BatchContext
from inami_cli.services.reimbursement._batch_input import (
    _FLAGS,
    _PROVIDERS,
    _REGIMES,
    BATCH_INPUT,
    _flag,
    parse_header,
)
from inami_cli.services.reimbursement._batch_plan import BatchPlans
from inami_cli.services.reimbursement._batch_render import _Cached, _Renderer
from inami_cli.services.reimbursement._case import _care_row, result_record
from inami_cli.services.reimbursement._provider import BatchProviders, ProviderSource

RECORD_CHUNK = 5_000
# Lines done in this process before the workers fork (``services.batching``): enough to
# warm the plans the workers inherit; its reference data is shared, so forking is cheap,
# and every line done here is a line the other core does not share (at 150 000, the
# default, a million-row batch ran its first 15 % on one core).
MIN_ROWS_HERE = 20_000


@dataclass(frozen=True)
class BatchSummary:
    """Counts and totals of a batch (totals over the rows that are ok)."""

    rows: int
    ok: int
    refused: int
    errors: int
    fee: Decimal
    reimbursement: Decimal
    personal_share: Decimal
    recorded: int

    def as_dict(self) -> dict[str, Any]:
        """The summary as the JSON object printed at the end of a batch."""
        return {
            "rows": self.rows,
            "ok": self.ok,
            "refused": self.refused,
            "errors": self.errors,
            "fee": self.fee,
            "reimbursement": self.reimbursement,
            "personal_share": self.personal_share,
            "recorded": self.recorded,
        }


class _Done(NamedTuple):
    """What one chunk of rows gave: output text, warnings in order, counts, cents."""

    text: str
    warnings: list[str]
    rows: int
    ok: int
    refused: int
    errors: int
    fee_c: int
    reimb_c: int
    share_c: int


class _BatchRun:
    """The per-row work of ``reimburse_batch`` over a chunk of the file's lines.

    One object does every chunk, in this process or in forked workers (which then share
    the reference data it holds); with ``--record`` it only runs here, in file order.
    """

    def __init__(
        self,
        ctx: _BatchContext,
        *,
        pick: Callable[[list[str]], tuple[str, ...]],
        width: int,
        renderer: _Renderer,
        filename: str,
        delimiter: str = ",",
        today: date,
        record: bool,
        stamp: Any,
        operator: str,
        providers: BatchProviders,
    ) -> None:
        self.ctx = ctx
        self.pick = pick
        self.width = width
        self.renderer = renderer
        self.filename = filename
        self.delimiter = delimiter
        self.today = today
        self.record = record
        self.stamp = stamp
        self.operator = operator
        self.amounts: dict[str, Decimal] = {}
        self.providers = providers
        self.plans = BatchPlans(renderer, ctx.language)
        # where a row's niss is (``width``: no niss column, the appended "" is picked)
        self.niss_at = int(pick([str(i) for i in range(width + 1)])[2])
        self.has_niss = self.niss_at != width
        self.pending: list[dict[str, Any]] = []
        self.recorded = 0

    def flush(self) -> None:
        """Store the pending care records (``--record``)."""
        if self.pending:
            self.ctx.session.execute(insert(CareRecord), self.pending)
            self.recorded += len(self.pending)
            self.pending = []

    def prefetch(self, rows: list[tuple[int, list[str]]]) -> None:
        """Read the register's records of the persons the chunk's *rows* name, in a few
        queries (a batch without NISS reads none: the register is never loaded whole)."""
        wanted: set[str] = set()
        at, width = self.niss_at, self.width
        for _line, row in rows:
            if len(row) == width:
                niss = row[at].strip()
                if niss:
                    wanted.add(compact_niss(niss))
        if wanted:
            self.ctx.prefetch(wanted)

    def chunk(self, lines: list[str], first: int) -> _Done:
        """Compute the rows of *lines*, whose first line is line *first* of the file."""
        ctx = self.ctx
        record = self.record
        language = ctx.language
        renderer = self.renderer
        render = renderer.row
        pick = self.pick
        width = self.width
        day0 = self.today
        amounts = self.amounts
        cache = ctx.cache
        providers = self.providers.get
        plans = self.plans
        shapes = plans.shapes
        out: list[str] = []
        warnings: list[str] = []
        rows = ok = refused = errors = 0
        fee_c = reimb_c = share_c = 0
        # the chunk is parsed once: the persons it names are read before its rows
        reader = csv.reader(lines, delimiter=self.delimiter)
        offset = first - 1
        parsed = [(offset + reader.line_num, row) for row in reader]
        if self.has_niss:
            self.prefetch(parsed)
        for line, row in parsed:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows += 1
            try:
                if len(row) != width:
                    raise InvalidInput(f"{len(row)} fields, the header has {width}")
                row.append("")
                (
                    code,
                    date_text,
                    niss,
                    regime_text,
                    dmg_text,
                    age_text,
                    chronic_text,
                    provider_text,
                    charged_text,
                    setting_text,
                    auto_text,
                    provider_id_text,
                    time_text,
                    special_text,
                    third_text,
                    referred_text,
                ) = pick(row)
                code = code.strip()
                on, epoch, day = ctx.day(date_text.strip(), day0)
                niss = compact_niss(niss.strip()) if niss else ""
                regime: str | None = None
                if regime_text:
                    regime = _REGIMES.get(regime_text.strip().lower())
                    if regime is None:
                        raise InvalidInput(
                            f"regime {regime_text!r}: expected ordinary or preferential"
                        )
                dmg = _FLAGS[dmg_text] if dmg_text in _FLAGS else _flag(dmg_text, "dmg")
                chronic = (
                    _FLAGS[chronic_text]
                    if chronic_text in _FLAGS
                    else _flag(chronic_text, "chronic")
                )
                auto = (
                    _FLAGS[auto_text] if auto_text in _FLAGS else _flag(auto_text, "bim_automatic")
                )
                asked_tp = (
                    _FLAGS[third_text] if third_text in _FLAGS else _flag(third_text, "third_party")
                )
                referred = bool(
                    _FLAGS[referred_text]
                    if referred_text in _FLAGS
                    else _flag(referred_text, "referred")
                )
                age: int | None = None
                if age_text:
                    age_text = age_text.strip()
                    if not is_digits(age_text):
                        raise InvalidInput(f"age {age_text!r} is not a whole number")
                    age = int(age_text)
                provider = (
                    _PROVIDERS.get(provider_text) or provider_text.strip().lower()
                    if provider_text
                    else "conventioned"
                )
                if provider not in rules.PROVIDERS:
                    raise InvalidInput(
                        f"provider {provider!r}: expected one of {', '.join(rules.PROVIDERS)}"
                    )
                provider_key, terms = providers(
                    provider,
                    bool(provider_text),
                    provider_id_text.strip() if provider_id_text else "",
                    time_text.strip() if time_text else "",
                    special_text.strip() if special_text else "",
                    on,
                )
                charged: Decimal | None = None
                if charged_text:
                    charged = amounts.get(charged_text)
                    if charged is None:
                        charged = parse_amount(charged_text, what="charged")
                        if len(amounts) < 10_000:
                            amounts[charged_text] = charged
                setting = setting_text.strip().lower() if setting_text else None
                if setting is not None and setting not in rules.SETTINGS:
                    raise InvalidInput(f"setting {setting!r}: expected ambulatory or hospitalised")
                if record and not niss:
                    raise InvalidInput("--record needs a niss on every row")
                act = ctx.act_on(code, on)
                tariff, cuts = ctx.tariff(act, on)
                # the beneficiary as the domain sees it: the register, explicit values winning
                if niss:
                    insured, reason, r_regime, r_auto, r_dmg, r_chronic, r_age, r_tp = ctx.person(
                        niss, on, day
                    )
                    p_regime = regime or r_regime
                    p_dmg = r_dmg if dmg is None else dmg
                    p_age = r_age if age is None else age
                    p_chronic = r_chronic if chronic is None else chronic
                    p_auto = r_auto if auto is None else auto
                    p_tp = r_tp if asked_tp is None else asked_tp
                    house, covered = ctx.medical_house(niss, on) if insured else ("", ())
                elif regime is None:
                    raise InvalidInput("give a niss or a regime")
                else:
                    p_regime = regime
                    p_dmg = bool(dmg)
                    p_age = age
                    p_chronic = bool(chronic)
                    p_auto = bool(auto)
                    p_tp = bool(asked_tp)
                    house, covered = "", ()
                    insured, reason = True, ""
                person_history = ctx.history.get(niss) if niss else None
                act_valid = (act.valid_from is None or act.valid_from <= on) and (
                    act.valid_to is None or on <= act.valid_to
                )
                key: tuple[Any, ...] | None = None
                cached: _Cached | None = None
                if not person_history:
                    # what the case's plan reads of the row
                    plan_key = (
                        code,
                        tariff.valid_from if tariff is not None else None,
                        tariff.fee if tariff is not None else None,
                        epoch,
                        act_valid,
                        p_regime,
                        bool(p_dmg),
                        rules.age_band(act, cuts, p_age),
                        bool(p_chronic),
                        bool(p_auto),
                        provider_key,
                        setting,
                        bool(p_tp),
                        getattr(act, "rule_period", None),
                    )
                    if insured and not house and not referred and not record:
                        shape = shapes.get(plan_key) or plans.compile(
                            plan_key, act, tariff, on=on, terms=terms, setting=setting,
                            asked_third_party=bool(p_tp),
                            patient=Patient(p_regime, bool(p_dmg), p_age, bool(p_chronic),
                                            bim_automatic=bool(p_auto)),
                        )  # fmt: skip
                        cached = plans.answer(shape, charged)  # by the plan (``_batch_plan``)
                    if cached is None:
                        key = (
                            *plan_key,
                            rules.age_key(act, tariff, p_age),
                            insured,
                            # the reason is read only to refuse a person who is not insured
                            # (refusal 901); an insured person's reason names their own
                            # affiliation and would make every person a key of their own
                            None if insured else reason,
                            charged,
                            referred,
                            house,
                            covered,
                        )
                        cached = cache.get(key)
                if cached is None:
                    patient = Patient(
                        regime=p_regime,
                        dmg=bool(p_dmg),
                        age=p_age,
                        chronic=bool(p_chronic),
                        insured=insured,
                        not_insured_reason=reason,
                        bim_automatic=bool(p_auto),
                        medical_house=house,
                        medical_house_disciplines=covered,
                    )
                    result = rules.compute_case(
                        Line(act, tariff, charged),
                        on=on,
                        patient=patient,
                        provider=terms.status,
                        setting=setting,
                        history=person_history or (),
                        terms=terms,
                        third_party=bool(p_tp),
                        referred=referred,
                    )
                    label = act.label_nl if language == "nl" and act.label_nl else act.label_fr
                    code_part, head, tail = renderer.pieces(
                        result_record(result, niss=None, label=label)
                    )
                    cents = (
                        (
                            to_cents(result.fee),
                            to_cents(result.reimbursement),
                            to_cents(result.personal_share),
                        )
                        if result.ok
                        and result.fee is not None
                        and result.reimbursement is not None
                        and result.personal_share is not None
                        else (0, 0, 0)
                    )
                    cached = _Cached(
                        code_part, head, tail, result.ok, cents, result if record else None
                    )
                    # a "no profile" refusal names the exact age, which the key may only
                    # band (``rules.age_key``): such an answer is the row's own
                    if key is not None and result.refusal_code != rules.R_NO_PROFILE:
                        if len(cache) >= CACHE_LIMIT:
                            cache.clear()
                        cache[key] = cached
            except InamiError as exc:
                errors += 1
                warnings.append(f"{self.filename}:{line}: {exc.message}")
                continue
            out.append(render(line, niss, day, p_age, cached.code, cached.head, cached.tail))
            if cached.ok:
                ok += 1
                cents_ = cached.cents
                fee_c += cents_[0]
                reimb_c += cents_[1]
                share_c += cents_[2]
                if record:
                    assert cached.result is not None
                    care = _care_row(niss, cached.result, terms.status, self.stamp, self.operator)
                    care["care_date"] = on
                    self.pending.append(care)
                    if (
                        ctx.history_relevant(act)
                        or cached.result.referral_reduced
                        or code in ctx.act_rules
                    ):
                        ctx.add_history(niss, code, on, cached.result.referral_reduced)
                    if len(self.pending) >= RECORD_CHUNK:
                        self.flush()
            else:
                refused += 1
        return _Done("".join(out), warnings, rows, ok, refused, errors, fee_c, reimb_c, share_c)


def reimburse_batch(
    *,
    session: Session,
    source: Iterable[str],
    out: TextIO,
    fmt: str = "csv",
    filename: str = "-",
    record: bool = False,
    today: date | None = None,
    language: str = "fr",
    on_error: Callable[[str], None] = lambda message: None,
) -> BatchSummary:
    """Compute one case per CSV row of *source* and write the results to *out*.

    Columns: ``code, date, niss, regime, dmg, age, chronic, provider, charged`` (and the
    optional ``setting, bim_automatic, provider_id, time, special_requirement,
    third_party, referred``); ``niss`` or ``regime`` on each row. ``provider_id`` takes the
    provider from the register on the row's date (and ``time``); a ``provider`` cell still
    wins over its status. A bad row is reported to *on_error* as ``FILE:LINE: reason`` and
    the batch goes on. With *record*, the reimbursed rows are stored (bulk inserts) and
    count for the rows after them, as if the cases had been computed and recorded one by
    one in the file's order.

    A big input without *record* is computed on worker processes (``services.batching``);
    the output, the warnings and the summary are the same, in the same order.
    """
    from inami_cli.services import batching
    from inami_cli.services.audit import current_actor, now, record_change

    first, header_line, lines = tabular.first_line(source)
    delimiter = "," if first is None else tabular.sniff_delimiter(first, BATCH_INPUT)
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader, None)
    pick, width = parse_header(header, filename)

    ctx = _BatchContext(session=session, record=record, language=language)
    # the provider of each row (issue 14): read before the rows, and before any fork
    provider_source = ProviderSource(session=session, in_memory=True, explain=False)
    provider_source.load(
        register="provider_id" in [h.strip().lower().lstrip("\ufeff") for h in header or ()]
    )
    renderer = _Renderer(fmt)
    stamp, operator = now(), current_actor().operator
    run = _BatchRun(
        ctx,
        pick=pick,
        width=width,
        renderer=renderer,
        filename=filename,
        delimiter=delimiter,
        today=today or date.today(),
        record=record,
        stamp=stamp,
        operator=operator,
        providers=BatchProviders(provider_source),
    )
    totals = [0] * 7
    write = out.write
    write(renderer.header())

    def emit(done: _Done) -> None:
        for message in done.warnings:
            on_error(message)
        write(done.text)
        for i, value in enumerate(done[2:]):
            totals[i] += value

    batching.run_chunks(
        batching.csv_chunks(lines, batching.chunk_size(), delimiter=delimiter),
        reader.line_num + header_line,
        run.chunk,
        emit,
        # --record: each row's history effect must be seen by the next rows, in order
        parallel=not record,
        before_fork=ctx.before_fork,
        min_rows=MIN_ROWS_HERE,
    )
    run.flush()
    recorded = run.recorded
    if recorded:
        record_change(
            session=session,
            entity="care_record",
            key=f"batch {filename}",
            action="insert",
            after={"rows": recorded, "file": filename},
        )
    rows, ok, refused, errors, fee_c, reimb_c, share_c = totals
    return BatchSummary(
        rows=rows,
        ok=ok,
        refused=refused,
        errors=errors,
        fee=from_cents(fee_c),
        reimbursement=from_cents(reimb_c),
        personal_share=from_cents(share_c),
        recorded=recorded,
    )
