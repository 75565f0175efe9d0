"""``inami provider``: the provider register (INAMI number, dated qualifications,
accreditation, professional addresses) and what it says about a provider on a date."""

from __future__ import annotations

import sys
from datetime import date, time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, ImportFileArg, import_summary, problems_listed
from inami_cli.cli.options import ask_text, optional_day

if TYPE_CHECKING:
    from inami_cli.services.providers import ProviderView

app = typer.Typer(
    help="Care providers: INAMI number, dated qualifications, accreditation, addresses.",
    no_args_is_help=True,
)

NihiiArg = Annotated[
    str, typer.Argument(metavar="NIHII", help="INAMI number, 11 digits (1-23456-78-004).")
]
_QUAL_COLUMNS = ["code", "label_fr", "valid_from", "valid_to", "source"]
_ACC_COLUMNS = ["valid_from", "valid_to", "source"]
_ADDR_COLUMNS = ["street", "postcode", "city", "region", "is_main"]
_ADH_COLUMNS = ["agreement", "status", "effective_from", "blocks"]
_LIST_COLUMNS = [
    "formatted", "last_name", "first_name", "profession", "qualification", "accredited",
    "region",
]  # fmt: skip


def _time(text: str | None) -> time | None:
    if text is None:
        return None
    from inami_cli.domain.errors import InvalidInput

    value = text.strip().lower().replace("h", ":")
    if value.endswith(":"):
        value += "00"
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")
    except ValueError:
        raise InvalidInput(f"--time {text!r}: not a time of day (HH:MM)") from None


def _warn_all(warnings: tuple[str, ...]) -> None:
    st = state()
    for warning in warnings:
        st.warn(warning)


def _record(view: ProviderView) -> dict[str, Any]:
    return {
        "nihii": view.nihii,
        "formatted": view.formatted,
        "root": view.root,
        "profession": view.profession,
        "last_name": view.last_name,
        "first_name": view.first_name,
        "on": view.on,
        "qualification": view.qualification,
        "qualification_label": view.qualification_label,
        "accredited": view.accredited,
        "region": view.region,
        "source": view.source,
    }


def _emit_provider(view: ProviderView) -> None:
    from dataclasses import asdict

    st = state()
    _warn_all(view.warnings)
    record = _record(view)
    nested = {
        "qualifications": [asdict(q) for q in view.qualifications],
        "accreditations": [asdict(a) for a in view.accreditations],
        "addresses": [asdict(a) for a in view.addresses],
        "adherences": [asdict(a) for a in view.adherences],
    }
    if st.output_format in ("json", "ndjson"):
        st.emit({**record, **nested})
        return
    st.emit(record)
    for name, columns in (
        ("qualifications", _QUAL_COLUMNS),
        ("accreditations", _ACC_COLUMNS),
        ("addresses", _ADDR_COLUMNS),
        ("adherences", _ADH_COLUMNS),
    ):
        if nested[name]:
            st.heading(name.capitalize())
            st.emit(nested[name], columns=columns)


def run_import(file: str, dry_run: bool, encoding: str, kind: str) -> None:
    """Shared by ``provider import`` and ``agreement adherence import``."""
    from inami_cli.services import providers as svc
    from inami_cli.tabular import open_binary

    st = state()
    run = svc.import_providers if kind == "providers" else svc.import_adherence
    name = "<stdin>" if file == "-" else file
    with (
        problems_listed(),
        st.progress(f"{kind} import", path=file) as bar,
        open_binary(file) as handle,
        st.session(write=not dry_run) as session,
    ):
        report = run(
            session=session, binary=bar.wrap(handle), filename=name, encoding=encoding,
            dry_run=dry_run,
        )  # fmt: skip
    _warn_all(report.warnings)
    import_summary(st, report)


@app.command("validate")
def provider_validate(
    nihii: NihiiArg,
    profession: Annotated[
        str | None,
        typer.Option("--profession", help="Look the qualification up for this profession."),
    ] = None,
) -> None:
    """Check an INAMI number: parts, check digits (a warning only), qualification label.

    Examples:
        inami provider validate 1-90017-06-004
        inami provider validate 19002595100 --format json
    """
    from dataclasses import asdict

    from inami_cli.services import providers as svc

    check = svc.validate_nihii(nihii=nihii, profession=profession)
    _warn_all(check.warnings)
    record = asdict(check)
    record["warnings"] = list(check.warnings)
    if state().output_format not in ("json", "ndjson"):
        record.pop("warnings")
        record.pop("qualification_source")  # long: in JSON only
    state().emit(record)


@app.command("add")
def provider_add(
    nihii: NihiiArg,
    profession: Annotated[
        str | None,
        typer.Option("--profession", help="doctor, dentist, physiotherapist, nurse, ..."),
    ] = None,
    last_name: Annotated[str | None, typer.Option("--last-name", help="Family name.")] = None,
    first_name: Annotated[str, typer.Option("--first-name", help="Given name(s).")] = "",
    valid_from: Annotated[
        str | None, typer.Option("--from", help="First day of the number's qualification.")
    ] = None,
    accredited_from: Annotated[
        str | None, typer.Option("--accredited-from", help="Accreditation: first day.")
    ] = None,
    accredited_to: Annotated[
        str | None, typer.Option("--accredited-to", help="Accreditation: last day.")
    ] = None,
    street: Annotated[str, typer.Option("--street", help="Professional address.")] = "",
    postcode: Annotated[str, typer.Option("--postcode", help="Postcode.")] = "",
    city: Annotated[str, typer.Option("--city", help="City.")] = "",
    region: Annotated[
        str | None,
        typer.Option("--region", help="brussels, flanders, wallonia or german-speaking."),
    ] = None,
) -> None:
    """Register a provider; the number's last 3 digits start a qualification period.

    Examples:
        inami provider add 19006654004 --profession doctor --last-name Maes --from 2020-01-01
        inami provider show 1-90066-54-004
    """
    from inami_cli.domain.providers import parse_nihii
    from inami_cli.services import providers as svc

    st = state()
    st.one_table("a provider's record")  # csv: refused up front (issue 17)
    parse_nihii(nihii)  # a malformed number fails before any prompt
    job = st.require(profession, "--profession", ask=ask_text("Profession (doctor, dentist, ...):"))
    last = st.require(last_name, "--last-name", ask=ask_text("Last name:"))
    start_text = st.require(valid_from, "--from", ask=ask_text("Qualified since (YYYY-MM-DD):"))
    start = optional_day(start_text, "--from")
    assert start is not None
    with st.session(write=True) as session:
        view = svc.provider_add(
            session=session, nihii=nihii, profession=job, last_name=last, first_name=first_name,
            valid_from=start, accredited_from=optional_day(accredited_from, "--accredited-from"),
            accredited_to=optional_day(accredited_to, "--accredited-to"), street=street,
            postcode=postcode, city=city, region=region,
        )  # fmt: skip
    _emit_provider(view)


@app.command("show")
def provider_show(
    nihii: NihiiArg,
    on: Annotated[str | None, typer.Option("--date", help="Current values as of (today).")] = None,
) -> None:
    """Show a provider with every qualification, accreditation, address and adherence.

    Examples:
        inami provider show 1-90025-95-100 --format json
        inami provider show 1-90017-06-004
    """
    from inami_cli.services import providers as svc

    state().one_table("a provider's record")  # csv: refused up front (issue 17)
    with state().session() as session:
        view = svc.provider_show(session=session, nihii=nihii, on=optional_day(on, "--date"))
    _emit_provider(view)


@app.command("status")
def provider_status(
    nihii: NihiiArg,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today).")] = None,
    at: Annotated[
        str | None, typer.Option("--time", help="Time of day (HH:MM): inside a block?")
    ] = None,
) -> None:
    """What the register says on a date: qualification, accreditation, convention status.

    Examples:
        inami provider status 1-90025-95-100 --date 2026-03-05 --time 15:00
        inami provider status 1-90025-95-100 --date 2026-03-05 --time 09:00 --format json
    """
    from dataclasses import asdict

    from inami_cli.services import providers as svc

    st = state()
    day = optional_day(on, "--date") or date.today()
    with st.session() as session:
        facts = svc.provider_facts(session=session, nihii=nihii, on=day, at=_time(at))
    record = asdict(facts)
    record["at"] = facts.at.strftime("%H:%M") if facts.at is not None else None
    record["deviates_at_time"] = facts.deviates_at_time
    st.emit(record)


@app.command("list")
def provider_list(
    profession: Annotated[str | None, typer.Option("--profession", help="Only these.")] = None,
    qualification: Annotated[
        str | None, typer.Option("--qualification", help="Qualification code in force.")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="Main address's region.")] = None,
    agreement: Annotated[
        str | None, typer.Option("--agreement", help="Providers of this agreement.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="With --agreement: full, partial, refused.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Part of a name.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Values as of (today).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 1000,
) -> None:
    """List providers by profession, qualification, region or adherence.

    Examples:
        inami provider list --agreement doctors-2026-2027 --status partial
        inami provider list --profession doctor
        inami provider list --format csv
    """
    from inami_cli.services import providers as svc

    st = state()
    with st.session() as session:
        views = svc.provider_list(
            session=session, profession=profession, qualification=qualification, region=region,
            agreement=agreement, status=status, name=name, on=optional_day(on, "--date"),
            limit=limit,
        )  # fmt: skip
    st.emit([_record(v) for v in views], columns=_LIST_COLUMNS)


@app.command("update")
def provider_update(
    nihii: NihiiArg,
    last_name: Annotated[str | None, typer.Option("--last-name", help="New family name.")] = None,
    first_name: Annotated[str | None, typer.Option("--first-name", help="New given name.")] = None,
    profession: Annotated[str | None, typer.Option("--profession", help="Correct it.")] = None,
    qualification: Annotated[
        str | None,
        typer.Option("--qualification", help="New qualification code (default: NIHII's)."),
    ] = None,
    valid_from: Annotated[
        str | None, typer.Option("--from", help="First day of the new qualification.")
    ] = None,
    valid_to: Annotated[
        str | None, typer.Option("--to", help="Last day of the new qualification.")
    ] = None,
    accredited_from: Annotated[
        str | None, typer.Option("--accredited-from", help="New accreditation: first day.")
    ] = None,
    accredited_to: Annotated[
        str | None, typer.Option("--accredited-to", help="New accreditation: last day.")
    ] = None,
    end_accreditation: Annotated[
        str | None,
        typer.Option("--end-accreditation", help="Last day of the accreditation in force."),
    ] = None,
    street: Annotated[str, typer.Option("--street", help="Add an address.")] = "",
    postcode: Annotated[str, typer.Option("--postcode", help="Its postcode.")] = "",
    city: Annotated[str, typer.Option("--city", help="Its city.")] = "",
    region: Annotated[str | None, typer.Option("--region", help="Its region.")] = None,
    main: Annotated[bool, typer.Option("--main", help="The new address is the main one.")] = False,
) -> None:
    """Change names; add a qualification period, an accreditation or an address.

    Examples:
        inami provider update 1-90017-06-004 --end-accreditation 2026-12-31
        inami provider show 1-90017-06-004 --format json
    """
    from inami_cli.services import providers as svc

    st = state()
    st.one_table("a provider's record")  # csv: refused up front (issue 17)
    with st.session(write=True) as session:
        view = svc.provider_update(
            session=session, nihii=nihii, last_name=last_name, first_name=first_name,
            profession=profession, qualification=qualification,
            valid_from=optional_day(valid_from, "--from"), valid_to=optional_day(valid_to, "--to"),
            accredited_from=optional_day(accredited_from, "--accredited-from"),
            accredited_to=optional_day(accredited_to, "--accredited-to"),
            end_accreditation_on=optional_day(end_accreditation, "--end-accreditation"),
            street=street, postcode=postcode, city=city, region=region, main_address=main,
        )  # fmt: skip
    _emit_provider(view)


@app.command("import")
def provider_import(
    file: ImportFileArg,
    dry_run: DryRunOpt = False,
    encoding: Annotated[
        str, typer.Option("--encoding", help="utf-8 (default), latin-1, cp1252.")
    ] = "utf-8",
) -> None:
    """Import providers and their periods, all or nothing (re-importing changes nothing).

    Columns: nihii, profession, last_name (optional first_name, valid_from, valid_to,
    accredited_from, accredited_to, street, postcode, city, region); one row per period.

    Examples:
        inami provider import fixtures/providers.csv --dry-run
        inami provider import fixtures/providers.csv --format json
    """
    run_import(file, dry_run, encoding, "providers")


@app.command("export")
def provider_export(
    profession: Annotated[str | None, typer.Option("--profession", help="Only these.")] = None,
) -> None:
    """Export the register in the import columns (CSV; JSON with --format json).

    Examples:
        inami provider export > providers.csv
        inami provider export --format json
    """
    from inami_cli.render import StreamWriter
    from inami_cli.services import providers as svc

    st = state()
    with st.session() as session:
        rows = svc.export_providers(session=session, profession=profession)
        writer = StreamWriter(st.output_format, svc.EXPORT_COLUMNS, sys.stdout, st.fields)
        writer.write_many(rows)
        writer.close()
