"""``inami agreement``: agreements and conventions per profession (dated), each
provider's adherence to them, and adherence rates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, ImportFileArg
from inami_cli.cli.options import optional_day

if TYPE_CHECKING:
    from inami_cli.services.providers import AdherenceView, AgreementView

app = typer.Typer(
    help="Agreements and conventions per profession, adherence, adherence rates.",
    no_args_is_help=True,
)
adherence_app = typer.Typer(
    help="Providers' adherence: full (default), partial with blocks, or refused.",
    no_args_is_help=True,
)
app.add_typer(adherence_app, name="adherence")

KeyArg = Annotated[str, typer.Argument(metavar="AGREEMENT", help="Key, e.g. doctors-2026-2027.")]
_COLUMNS = ["key", "profession", "valid_from", "valid_to", "indexation", "decision"]
_ADH_COLUMNS = [
    "agreement", "formatted", "status", "convention_status", "effective_from", "registered_on",
    "blocks",
]  # fmt: skip
_STATS_COLUMNS = [
    "qualification", "region", "providers", "full_pct", "partial_pct", "refused_pct",
    "adhered_pct",
]  # fmt: skip


def _record(view: AgreementView) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(view)


def _adh_record(view: AdherenceView) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(view)


ProfessionOpt = Annotated[
    str | None, typer.Option("--profession", help="doctor, dentist, physiotherapist, ...")
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day in force.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day in force (default open).")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="accord or convention.")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Its name.")]
ConcludedOnOpt = Annotated[str | None, typer.Option("--concluded-on", help="Date concluded.")]
ConcludedByOpt = Annotated[str | None, typer.Option("--concluded-by", help="Body (CNMM...).")]
DecisionOpt = Annotated[
    str | None, typer.Option("--decision", help='Committee decision, e.g. "CNMM 2026/001".')
]
PublishedOpt = Annotated[str | None, typer.Option("--published-on", help="Moniteur belge date.")]
IndexOpt = Annotated[str | None, typer.Option("--indexation", help="Percent, e.g. 2.72.")]
ReliabilityOpt = Annotated[
    str | None, typer.Option("--reliability", help="[OFF] [MUT] [SEC] [DERIVED] ...")
]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where the facts come from.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Anything worth knowing.")]


@app.command("add")
def agreement_add(
    key: KeyArg,
    profession: ProfessionOpt = None,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    kind: KindOpt = None,
    title: TitleOpt = None,
    concluded_on: ConcludedOnOpt = None,
    concluded_by: ConcludedByOpt = None,
    decision: DecisionOpt = None,
    published_on: PublishedOpt = None,
    indexation: IndexOpt = None,
    reliability: ReliabilityOpt = None,
    source: SourceOpt = None,
    note: NoteOpt = None,
) -> None:
    """Record an agreement of a profession (exit 4 if it overlaps another).

    Examples:
        inami agreement add doctors-2028 --profession doctor --from 2028-01-01 --to 2028-12-31
        inami agreement show doctors-2028
    """
    from inami_cli.services import providers as svc

    st = state()
    job = st.require(profession, "--profession")
    start = optional_day(st.require(valid_from, "--from"), "--from")
    assert start is not None
    with st.session(write=True) as session:
        view = svc.agreement_add(
            session=session, key=key, profession=job, valid_from=start,
            valid_to=optional_day(valid_to, "--to"), kind=kind or "accord", title=title or "",
            concluded_on=optional_day(concluded_on, "--concluded-on"),
            concluded_by=concluded_by or "", decision=decision,
            published_on=optional_day(published_on, "--published-on"),
            indexation=indexation, reliability=reliability or "", source=source or "operator",
            note=note or "",
        )  # fmt: skip
    st.emit(_record(view))


@app.command("update")
def agreement_update(
    key: KeyArg,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    open_end: Annotated[bool, typer.Option("--open", help="No last day.")] = False,
    kind: KindOpt = None,
    title: TitleOpt = None,
    concluded_on: ConcludedOnOpt = None,
    concluded_by: ConcludedByOpt = None,
    decision: DecisionOpt = None,
    published_on: PublishedOpt = None,
    indexation: IndexOpt = None,
    reliability: ReliabilityOpt = None,
    source: SourceOpt = None,
    note: NoteOpt = None,
) -> None:
    """Correct an agreement or link it to its committee decision (audited).

    Examples:
        inami agreement update physio-m25 --to 2025-12-31
        inami agreement show physio-m25
    """
    from inami_cli.domain.errors import InvalidInput
    from inami_cli.services import providers as svc

    st = state()
    if open_end and valid_to is not None:
        raise InvalidInput("--to and --open exclude each other")
    changes: dict[str, Any] = {}
    for name, value in (
        ("valid_from", optional_day(valid_from, "--from")),
        ("valid_to", optional_day(valid_to, "--to")),
        ("kind", kind),
        ("title", title),
        ("concluded_on", optional_day(concluded_on, "--concluded-on")),
        ("concluded_by", concluded_by),
        ("decision", decision),
        ("published_on", optional_day(published_on, "--published-on")),
        ("indexation", indexation),
        ("reliability", reliability),
        ("source", source),
        ("note", note),
    ):
        if value is not None:
            changes[name] = value
    if open_end:
        changes["valid_to"] = None
    with st.session(write=True) as session:
        view = svc.agreement_update(session=session, key=key, changes=changes)
    st.emit(_record(view))


@app.command("show")
def agreement_show(key: KeyArg) -> None:
    """Show an agreement: period, who concluded it, decision, indexation, source.

    Examples:
        inami agreement show doctors-2026-2027
        inami agreement show doctors-2024-2025 --format json
    """
    from inami_cli.services import providers as svc

    st = state()
    with st.session() as session:
        view = svc.agreement_show(session=session, key=key)
    record = _record(view)
    if st.output_format == "table":  # long sources and notes wrapped for a terminal
        import textwrap

        for name in ("title", "source", "note"):
            record[name] = "\n".join(
                textwrap.wrap(record[name], 62, break_long_words=False, break_on_hyphens=False)
            )
    st.emit(record)


@app.command("list")
def agreement_list(
    profession: ProfessionOpt = None,
    on: Annotated[str | None, typer.Option("--date", help="Only those in force that day.")] = None,
) -> None:
    """List agreements by profession (gaps are periods without one).

    Examples:
        inami agreement list --profession physiotherapist
        inami agreement list
        inami agreement list --format json
    """
    from inami_cli.services import providers as svc

    st = state()
    with st.session() as session:
        views = svc.agreement_list(
            session=session, profession=profession, on=optional_day(on, "--date")
        )
    st.emit([_record(v) for v in views], columns=_COLUMNS)


@app.command("stats")
def agreement_stats(
    key: KeyArg,
    by: Annotated[
        str, typer.Option("--by", help="qualification, region, both (a,b) or none.")
    ] = "qualification,region",
) -> None:
    """Adherence rates: shares fully, partly conventioned and refused, by group.

    Examples:
        inami agreement stats doctors-2024-2025 --by region
        inami agreement stats doctors-2026-2027 --by qualification
    """
    from dataclasses import asdict

    from inami_cli.services import providers as svc

    st = state()
    groups = () if by.strip() == "none" else tuple(p.strip() for p in by.split(",") if p.strip())
    with st.session() as session:
        rows = svc.agreement_stats(session=session, agreement=key, by=groups)
    records = [asdict(r) for r in rows]
    if st.output_format == "table":
        for rec in records:
            if rec["qualification"] is None and rec["region"] is None:
                rec["qualification"] = "all"
    st.emit(records, columns=None if st.output_format != "table" else _STATS_COLUMNS)


@adherence_app.command("set")
def adherence_set(
    key: KeyArg,
    nihii: Annotated[str, typer.Argument(metavar="NIHII", help="The provider's INAMI number.")],
    status: Annotated[
        str | None, typer.Option("--status", help="full, partial or refused.")
    ] = None,
    blocks: Annotated[
        str | None,
        typer.Option("--blocks", help='Partial: weekly blocks, "Mon 14-18, Wed 09-13".'),
    ] = None,
    effective_from: Annotated[
        str | None, typer.Option("--from", help="From (default: the agreement's start).")
    ] = None,
    registered_on: Annotated[
        str | None, typer.Option("--registered-on", help="When registered (default today).")
    ] = None,
) -> None:
    """Record a provider's adherence (partial blocks checked: exit 4 naming the rule).

    Examples:
        inami agreement adherence set doctors-2026-2027 1-90033-87-003 --status refused
        inami agreement adherence list doctors-2026-2027
    """
    from inami_cli.services import providers as svc

    st = state()
    value = st.require(status, "--status")
    with st.session(write=True) as session:
        view = svc.adherence_set(
            session=session, agreement=key, nihii=nihii, status=value, blocks=blocks,
            effective_from=optional_day(effective_from, "--from"),
            registered_on=optional_day(registered_on, "--registered-on"),
        )  # fmt: skip
    st.emit(_adh_record(view))


@adherence_app.command("list")
def adherence_list(
    key: Annotated[str | None, typer.Argument(metavar="[AGREEMENT]", help="One agreement.")] = None,
    nihii: Annotated[str | None, typer.Option("--nihii", help="One provider.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="full, partial, refused.")] = None,
) -> None:
    """List recorded answers (providers who recorded nothing are fully conventioned).

    Examples:
        inami agreement adherence list doctors-2026-2027 --status partial
        inami agreement adherence list doctors-2024-2025 --format json
    """
    from inami_cli.services import providers as svc

    st = state()
    with st.session() as session:
        views = svc.adherence_list(session=session, agreement=key, nihii=nihii, status=status)
    st.emit([_adh_record(v) for v in views], columns=_ADH_COLUMNS)


@adherence_app.command("import")
def adherence_import(
    file: ImportFileArg,
    dry_run: DryRunOpt = False,
    encoding: Annotated[
        str, typer.Option("--encoding", help="utf-8 (default), latin-1, cp1252.")
    ] = "utf-8",
) -> None:
    """Import an adherence list, all or nothing (re-importing changes nothing).

    Columns: agreement, nihii, status (optional effective_from, registered_on, blocks).

    Examples:
        inami agreement adherence import fixtures/adherence.csv --dry-run
        inami agreement adherence import fixtures/adherence.csv
    """
    from inami_cli.cli.provider import run_import

    run_import(file, dry_run, encoding, "adherence")
