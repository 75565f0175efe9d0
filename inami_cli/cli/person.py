"""``inami person``, ``inami affiliation``, ``inami entitlement``: the insurability register."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, EncodingOpt, import_summary, problems_listed
from inami_cli.cli.options import ask_text, optional_day
from inami_cli.domain.errors import InvalidInput

if TYPE_CHECKING:
    from inami_cli.services.insurability import (
        AffiliationView,
        EntitlementView,
        PersonView,
    )

app = typer.Typer(help="Persons (NISS or BIS number, names, date of death).", no_args_is_help=True)
affiliation_app = typer.Typer(
    help="Affiliations to an insurer over a period (one at a time).", no_args_is_help=True
)
entitlement_app = typer.Typer(
    help="Dated rights: bim, dmg, chronic, third-party.", no_args_is_help=True
)

_AFF_COLUMNS = [
    "id", "niss", "insurer_code", "insurer_name", "member_number", "quality", "titular_niss",
    "ct1", "ct2", "valid_from", "valid_to", "mutuality",
]  # fmt: skip
_ENT_COLUMNS = ["id", "niss", "kind", "valid_from", "valid_to", "detail"]

NissArg = Annotated[str, typer.Argument(metavar="NISS", help="NISS or BIS number (11 digits).")]


def _aff_record(view: AffiliationView) -> dict[str, Any]:
    return {c: getattr(view, c) for c in _AFF_COLUMNS}


def _ent_record(view: EntitlementView) -> dict[str, Any]:
    return {c: getattr(view, c) for c in _ENT_COLUMNS}


def _emit_person(view: PersonView) -> None:
    st = state()
    record: dict[str, Any] = {
        "niss": view.niss,
        "formatted": view.formatted,
        "last_name": view.last_name,
        "first_name": view.first_name,
        "birth_date": view.birth_date,
        "sex": view.sex,
        "is_bis": view.is_bis,
        "death_date": view.death_date,
        "source": view.source,
        "affiliations": [_aff_record(a) for a in view.affiliations],
        "entitlements": [_ent_record(e) for e in view.entitlements],
    }
    if st.output_format in ("json", "ndjson"):
        st.emit(record)
        return
    st.emit({k: v for k, v in record.items() if not isinstance(v, list)})
    if view.affiliations:
        st.heading("Affiliations")
        st.emit(record["affiliations"], columns=_AFF_COLUMNS)
    if view.entitlements:
        st.heading("Entitlements")
        st.emit(record["entitlements"], columns=_ENT_COLUMNS)


@contextmanager
def _input(
    file: str,
    encoding: str = "utf-8",
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Iterator[str], str]]:
    """A member file streamed line by line ('-' = stdin), decoded by the shared reader
    (BOM dropped, a byte of another encoding is ``FILE:LINE`` naming ``--encoding``);
    a missing file is exit 3."""
    from inami_cli.tabular import check_encoding, text_lines

    check_encoding(encoding)
    if file == "-":
        stdin = sys.stdin.buffer
        yield text_lines(stdin, filename="<stdin>", encoding=encoding, progress=progress), "<stdin>"
        return
    if not Path(file).is_file():
        raise InvalidInput(f"{file}: no such file")  # exit 2, as every command (issue 17)
    with open(file, "rb") as handle:
        yield text_lines(handle, filename=file, encoding=encoding, progress=progress), file


def _run_import(file: str, dry_run: bool, kind: str, encoding: str = "utf-8") -> None:
    from inami_cli.services import insurability as svc

    st = state()
    run = svc.import_persons if kind == "persons" else svc.import_entitlements
    with (
        problems_listed(),
        st.progress(f"{kind} import", path=file) as bar,
        _input(file, encoding, bar.read) as (handle, name),
        st.session(write=not dry_run) as session,
    ):
        report = run(session=session, lines=handle, filename=name, dry_run=dry_run)
    import_summary(st, report)


# ------------------------------------------------------------------ person


@app.command("add")
def person_add(
    niss: NissArg,
    last_name: Annotated[str | None, typer.Option("--last-name", help="Family name.")] = None,
    first_name: Annotated[str, typer.Option("--first-name", help="Given name(s).")] = "",
    death_date: Annotated[
        str | None, typer.Option("--death-date", help="Date of death, if any.")
    ] = None,
) -> None:
    """Register a person; birth date and sex are read from the number.

    Examples:
        inami person add 85073003328 --last-name Dupont --first-name Jean
        inami person show 85073003328
    """
    from inami_cli.domain.niss import parse_niss
    from inami_cli.services import insurability as svc

    st = state()
    valid = parse_niss(niss).niss
    last = st.require(last_name, "--last-name", ask=ask_text("Last name:"))
    died = optional_day(death_date, "--death-date")
    with st.session(write=True) as session:
        view = svc.person_add(
            session=session, niss=valid, last_name=last, first_name=first_name, death_date=died
        )
    _emit_person(view)


@app.command("show")
def person_show(niss: NissArg) -> None:
    """Show a person with their affiliations and entitlements.

    Examples:
        inami person show 85061508234 --format json
        inami person show 90090906467
    """
    from inami_cli.services import insurability as svc

    st = state()
    st.one_table("a person's record")  # csv: refused up front (issue 17)
    with st.session(write=st.logs_consultations) as session:
        view = svc.person_show(session=session, niss=niss)
        st.log_read(session, view.niss, {"niss": view.niss, "shown": "person"})
    _emit_person(view)


@app.command("update")
def person_update(
    niss: NissArg,
    last_name: Annotated[str | None, typer.Option("--last-name", help="New family name.")] = None,
    first_name: Annotated[
        str | None, typer.Option("--first-name", help="New given name(s).")
    ] = None,
    death_date: Annotated[
        str | None, typer.Option("--death-date", help="Record the date of death.")
    ] = None,
    clear_death: Annotated[
        bool, typer.Option("--clear-death", help="Remove a date of death recorded in error.")
    ] = False,
) -> None:
    """Change a person's names or date of death (audited).

    Examples:
        inami person update 38070101229 --death-date 2025-11-20
        inami person show 38070101229 --format json
    """
    from inami_cli.services import insurability as svc

    st = state()
    st.one_table("a person's record")  # csv: refused up front (issue 17)
    died = optional_day(death_date, "--death-date")
    with st.session(write=True) as session:
        view = svc.person_update(
            session=session, niss=niss, last_name=last_name, first_name=first_name,
            death_date=died, clear_death=clear_death,
        )  # fmt: skip
    _emit_person(view)


@app.command("import")
def person_import(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Member file (CSV); - = stdin.")],
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Import a sickness fund's member file, all or nothing (re-importing changes nothing).

    Columns: niss, last_name, first_name, insurer_code, member_number, quality,
    titular_niss, ct1, ct2, valid_from, valid_to (optional death_date); one row per
    affiliation period. `,` `;` or tab; other columns are ignored.

    Examples:
        inami person import fixtures/persons.csv --dry-run
        inami person import fixtures/persons.csv
    """
    _run_import(file, dry_run, "persons", encoding)


# ------------------------------------------------------------------ affiliation


@affiliation_app.command("add")
def affiliation_add(
    niss: NissArg,
    insurer: Annotated[
        str | None, typer.Option("--insurer", help="Insurer code (100 ... 900).")
    ] = None,
    member: Annotated[str | None, typer.Option("--member", help="Member number.")] = None,
    ct1: Annotated[str | None, typer.Option("--ct1", help="Holder code 1 (110, 131, ...).")] = None,
    ct2: Annotated[
        str | None, typer.Option("--ct2", help="Holder code 2 (default: as --ct1).")
    ] = None,
    valid_from: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
    quality: Annotated[str, typer.Option("--quality", help="titular or dependent.")] = "titular",
    titular: Annotated[
        str | None, typer.Option("--titular", help="The titular's NISS (for a dependent).")
    ] = None,
    mutuality: Annotated[
        str | None,
        typer.Option("--mutuality", help="The member's own mutuality (3 digits, e.g. 319)."),
    ] = None,
) -> None:
    """Affiliate a person to an insurer over a period (exit 4 if it overlaps another).

    Examples:
        inami person add 85073003328 --last-name Dupont --first-name Jean
        inami affiliation add 85073003328 --insurer 300 --member 12 --ct1 110 --from 2026-01-01
        inami affiliation list 85073003328
    """
    from inami_cli.services import insurability as svc

    st = state()
    code = st.require(insurer, "--insurer", ask=ask_text("Insurer code (100 ... 900):"))
    number = st.require(member, "--member", ask=ask_text("Member number:"))
    c1 = st.require(ct1, "--ct1", ask=ask_text("CT1:"))
    c2 = ct2 or c1
    start = optional_day(
        st.require(valid_from, "--from", ask=ask_text("First day (YYYY-MM-DD):")), "--from"
    )
    assert start is not None
    with st.session(write=True) as session:
        view = svc.affiliation_add(
            session=session, niss=niss, insurer_code=code, member_number=number, ct1=c1, ct2=c2,
            valid_from=start, valid_to=optional_day(valid_to, "--to"), quality=quality,
            titular_niss=titular, mutuality=mutuality,
        )  # fmt: skip
    st.emit(_aff_record(view))


@affiliation_app.command("end")
def affiliation_end(
    niss: NissArg,
    on: Annotated[str, typer.Option("--date", help="The last day of the affiliation.")],
) -> None:
    """End the affiliation in force on a date (that date is its last day).

    Examples:
        inami affiliation end 68031230508 --date 2023-06-30
        inami affiliation list 68031230508
    """
    from inami_cli.services import insurability as svc

    st = state()
    day = optional_day(on, "--date")
    assert day is not None
    with st.session(write=True) as session:
        view = svc.affiliation_end(session=session, niss=niss, on=day)
    st.emit(_aff_record(view))


@affiliation_app.command("transfer")
def affiliation_transfer(
    niss: NissArg,
    to_insurer: Annotated[
        str, typer.Option("--to", help="The new insurer's code.", metavar="CODE")
    ],
    member: Annotated[str, typer.Option("--member", help="Member number at the new insurer.")],
    on: Annotated[str, typer.Option("--date", help="First day at the new insurer.")],
    ct1: Annotated[str | None, typer.Option("--ct1", help="New CT1 (default: kept).")] = None,
    ct2: Annotated[str | None, typer.Option("--ct2", help="New CT2 (default: kept).")] = None,
) -> None:
    """Move a person to another insurer: the old period ends the day before (no gap).

    Examples:
        inami affiliation transfer 85061508234 --to 500 --member 5012345 --date 2026-07-01
        inami affiliation list 85061508234 --format json
    """
    from inami_cli.services import insurability as svc

    st = state()
    day = optional_day(on, "--date")
    assert day is not None
    with st.session(write=True) as session:
        old, new = svc.affiliation_transfer(
            session=session, niss=niss, to_insurer=to_insurer, member_number=member, on=day,
            ct1=ct1, ct2=ct2,
        )  # fmt: skip
    st.emit([_aff_record(old), _aff_record(new)], columns=_AFF_COLUMNS)


@affiliation_app.command("list")
def affiliation_list(
    niss: Annotated[str | None, typer.Argument(metavar="[NISS]", help="One person.")] = None,
    insurer: Annotated[str | None, typer.Option("--insurer", help="Insurer code.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Member number.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Only those in force that day.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 1000,
) -> None:
    """List affiliations by person, insurer, member number or date.

    Examples:
        inami affiliation list --insurer 300 --date 2026-03-02
        inami affiliation list 90090906467
        inami affiliation list --insurer 500 --date 2025-06-30 --format csv
    """
    from inami_cli.services import insurability as svc

    st = state()
    with st.session(write=st.logs_consultations) as session:
        views = svc.affiliation_list(
            session=session, niss=niss, insurer_code=insurer, member_number=member,
            on=optional_day(on, "--date"), limit=limit,
        )  # fmt: skip
        records = [_aff_record(v) for v in views]
        subject = niss or (f"{insurer}/{member}" if member else f"insurer {insurer or 'any'}")
        st.log_read(session, subject, records)
    st.emit(records, columns=_AFF_COLUMNS)


# ------------------------------------------------------------------ entitlement

KindArg = Annotated[str, typer.Argument(metavar="KIND", help="bim, dmg, chronic or third-party.")]


@entitlement_app.command("set")
def entitlement_set(
    niss: NissArg,
    kind: KindArg,
    valid_from: Annotated[str, typer.Option("--from", help="First day.")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
    detail: Annotated[
        str, typer.Option("--detail", help="dmg: the GP's INAMI number; bim: automatic|income.")
    ] = "",
) -> None:
    """Grant a dated right (exit 4 if it overlaps one of the same kind).

    Examples:
        inami entitlement set 72110313704 dmg --from 2026-01-01 --detail 19012345004
        inami entitlement list 72110313704 --date 2026-03-02
    """
    from inami_cli.services import insurability as svc

    st = state()
    start = optional_day(valid_from, "--from")
    assert start is not None
    with st.session(write=True) as session:
        view = svc.entitlement_set(
            session=session, niss=niss, kind=kind, valid_from=start,
            valid_to=optional_day(valid_to, "--to"), detail=detail,
        )  # fmt: skip
    st.emit(_ent_record(view))


@entitlement_app.command("end")
def entitlement_end(
    niss: NissArg,
    kind: KindArg,
    on: Annotated[str, typer.Option("--date", help="The last day of the right.")],
) -> None:
    """End the right of that kind in force on a date (that date is its last day).

    Examples:
        inami entitlement end 85061508234 dmg --date 2026-12-31
        inami entitlement list 85061508234 --format json
    """
    from inami_cli.services import insurability as svc

    st = state()
    day = optional_day(on, "--date")
    assert day is not None
    with st.session(write=True) as session:
        view = svc.entitlement_end(session=session, niss=niss, kind=kind, on=day)
    st.emit(_ent_record(view))


@entitlement_app.command("list")
def entitlement_list(
    niss: NissArg,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Only those in force that day.")] = None,
) -> None:
    """List a person's rights.

    Examples:
        inami entitlement list 85061508234 --date 2026-03-02
        inami entitlement list 72110313704
    """
    from inami_cli.services import insurability as svc

    st = state()
    with st.session(write=st.logs_consultations) as session:
        views = svc.entitlement_list(
            session=session, niss=niss, kind=kind, on=optional_day(on, "--date")
        )
        records = [_ent_record(v) for v in views]
        st.log_read(session, niss, records)
    st.emit(records, columns=_ENT_COLUMNS)


@entitlement_app.command("import")
def entitlement_import(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV file; - = stdin.")],
    dry_run: DryRunOpt = False,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Import rights (niss, kind, valid_from, valid_to, detail), all or nothing, idempotent.

    Examples:
        inami entitlement import fixtures/entitlements.csv --dry-run
        inami entitlement import fixtures/entitlements.csv
    """
    _run_import(file, dry_run, "entitlements", encoding)
