"""The provider register: validate a number, add, show, list, update (names, profession,
dated qualification and accreditation periods, professional addresses). Every write is
audited; overlapping periods are refused with ``Conflict`` naming the period in the way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import (
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.domain import providers as rules
from inami_cli.domain.dates import format_period
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.services.audit import record_change
from inami_cli.services.providers._adherence import profession_change_conflict
from inami_cli.services.providers._common import (
    _ACC,
    _ADDR,
    _ADH,
    _PRO,
    _QUAL,
    _provider,
    label_of,
    profession_digit_warning,
    unknown_qualification_warning,
)
from inami_cli.services.providers._views import ProviderView, provider_view


@dataclass(frozen=True)
class NihiiCheck:
    """``inami provider validate``: the parts of a number and what is known about them."""

    number: str
    formatted: str
    root: str
    profession_digit: str
    profession_hint: str | None
    sequence: str
    check_digits: str
    expected_check_digits: str
    check_ok: bool
    qualification: str | None
    qualification_label_fr: str | None
    qualification_label_nl: str | None
    qualification_role: str | None
    qualification_reliability: str | None
    qualification_source: str | None
    warnings: tuple[str, ...]


def validate_nihii(*, nihii: str, profession: str | None = None) -> NihiiCheck:
    """Parse a number (exit 2 when malformed) and look its qualification up in the label
    table (for *profession*, else the one its first digit names). Needs no database."""
    parsed = rules.parse_nihii(nihii)
    assert parsed.qualification is not None
    who = rules.check_profession(profession) if profession else parsed.profession_hint
    warnings = parsed.warnings()
    label = label_of(who, parsed.qualification) if who else None
    if who is None:
        warnings.append(
            f"profession digit {parsed.profession_digit} is not in the sourced list "
            "(1 doctor, 4 nurse, 8/9 care assistant): pass --profession to look the "
            "qualification up"
        )
    elif label is None:
        warnings.append(unknown_qualification_warning(who, parsed.qualification) or "")
    elif profession:
        hint = profession_digit_warning(parsed, who)
        if hint:
            warnings.append(hint)
    return NihiiCheck(
        number=parsed.number,
        formatted=parsed.formatted,
        root=parsed.root,
        profession_digit=parsed.profession_digit,
        profession_hint=parsed.profession_hint,
        sequence=parsed.sequence,
        check_digits=parsed.check,
        expected_check_digits=parsed.expected_check,
        check_ok=parsed.check_ok,
        qualification=parsed.qualification,
        qualification_label_fr=label.label_fr if label else None,
        qualification_label_nl=label.label_nl if label else None,
        qualification_role=label.role if label else None,
        qualification_reliability=label.reliability if label else None,
        qualification_source=label.source if label else None,
        warnings=tuple(w for w in warnings if w),
    )


def _snapshot(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(row, n) for n in names}


_PRO_FIELDS = ("nihii", "profession", "last_name", "first_name", "source")
_PERIOD_FIELDS = ("valid_from", "valid_to", "source")
_ADDR_FIELDS = ("street", "postcode", "city", "region", "is_main")


def _periods(session: Session, model: Any, column: Any, root: str) -> list[Any]:
    return list(session.execute(select(model).where(column == root)).scalars())


def _overlapping(rows: list[Any], start: date, end: date | None) -> Any | None:
    for row in rows:
        if start <= (row.valid_to or date.max) and row.valid_from <= (end or date.max):
            return row
    return None


def add_qualification(
    session: Session,
    root: str,
    profession: str,
    code: str,
    start: date,
    end: date | None,
    *,
    source: str = "operator",
) -> list[str]:
    """A new qualification period; an open one that starts earlier ends the day before
    (a career moves on: in training -> recognised); any other overlap is a Conflict."""
    code = rules.check_qualification_code(code)
    if end is not None and end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    rows = _periods(session, ProviderQualification, _QUAL.nihii, root)
    for row in rows:
        if row.valid_to is None and row.valid_from < start:
            before = _snapshot(row, ("code", *_PERIOD_FIELDS))
            row.valid_to = start - timedelta(days=1)
            session.add(row)
            record_change(
                session=session, entity="provider_qualification", key=f"{root} {row.valid_from}",
                action="update", before=before, after=_snapshot(row, ("code", *_PERIOD_FIELDS)),
            )  # fmt: skip
    in_the_way = _overlapping(rows, start, end)
    if in_the_way is not None:
        raise Conflict(
            f"qualification {code} {format_period(start, end)} of {rules.format_nihii(root)} "
            f"overlaps qualification {in_the_way.code} "
            f"{format_period(in_the_way.valid_from, in_the_way.valid_to)}",
            hint="two qualification periods never overlap",
        )
    row = ProviderQualification(
        nihii=root, code=code, valid_from=start, valid_to=end, source=source
    )
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="provider_qualification", key=f"{root} {start}",
        action="insert", after=_snapshot(row, ("code", *_PERIOD_FIELDS)),
    )  # fmt: skip
    warning = unknown_qualification_warning(profession, code)
    return [warning] if warning else []


def add_accreditation(
    session: Session, root: str, start: date, end: date | None, *, source: str = "operator"
) -> None:
    """A new accreditation period (Conflict if it overlaps one)."""
    if end is not None and end < start:
        raise InvalidInput(f"--accredited-to {end} is before --accredited-from {start}")
    rows = _periods(session, ProviderAccreditation, _ACC.nihii, root)
    in_the_way = _overlapping(rows, start, end)
    if in_the_way is not None:
        raise Conflict(
            f"accreditation {format_period(start, end)} of {rules.format_nihii(root)} overlaps "
            f"{format_period(in_the_way.valid_from, in_the_way.valid_to)}",
            hint="end the open period first (--end-accreditation DATE)",
        )
    row = ProviderAccreditation(nihii=root, valid_from=start, valid_to=end, source=source)
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="provider_accreditation", key=f"{root} {start}",
        action="insert", after=_snapshot(row, _PERIOD_FIELDS),
    )  # fmt: skip


def end_accreditation(session: Session, root: str, last_day: date) -> None:
    """End the accreditation in force on *last_day* (that day is its last)."""
    rows = _periods(session, ProviderAccreditation, _ACC.nihii, root)
    for row in rows:
        if row.valid_from <= last_day and (row.valid_to is None or last_day <= row.valid_to):
            before = _snapshot(row, _PERIOD_FIELDS)
            row.valid_to = last_day
            session.add(row)
            record_change(
                session=session, entity="provider_accreditation",
                key=f"{root} {row.valid_from}", action="update", before=before,
                after=_snapshot(row, _PERIOD_FIELDS),
            )  # fmt: skip
            return
    from inami_cli.domain.errors import NotFound

    raise NotFound(f"no accreditation of {rules.format_nihii(root)} in force on {last_day}")


def add_address(
    session: Session,
    root: str,
    *,
    street: str,
    postcode: str,
    city: str,
    region: str,
    main: bool = False,
    source: str = "operator",
) -> None:
    """A professional address; the first one (or one added with *main*) is the main one."""
    region = rules.check_region(region)
    rows = _periods(session, ProviderAddress, _ADDR.nihii, root)
    if main or not rows:
        for other in rows:
            if other.is_main:
                other.is_main = False
                session.add(other)
        main = True
    row = ProviderAddress(
        nihii=root, street=street.strip(), postcode=postcode.strip(), city=city.strip(),
        region=region, is_main=main, source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="provider_address", key=f"{root} #{row.id}", action="insert",
        after=_snapshot(row, _ADDR_FIELDS),
    )  # fmt: skip


def provider_add(
    *,
    session: Session,
    nihii: str,
    profession: str,
    last_name: str,
    first_name: str = "",
    valid_from: date,
    accredited_from: date | None = None,
    accredited_to: date | None = None,
    street: str = "",
    postcode: str = "",
    city: str = "",
    region: str | None = None,
    source: str = "operator",
) -> ProviderView:
    """Register a provider: the number's qualification code starts a period on
    *valid_from*; optionally an accreditation period and a professional address.

    Conflict (exit 4) when the first 8 digits are already registered; warnings (check
    digits, unknown qualification, first digit of another profession) come back in the
    view."""
    parsed = rules.parse_nihii(nihii)
    assert parsed.qualification is not None
    job = rules.check_profession(profession)
    if not last_name.strip():
        raise InvalidInput("--last-name must not be empty")
    if session.get(Provider, parsed.root) is not None:
        raise Conflict(
            f"provider {parsed.formatted} already exists (the first 8 digits "
            f"{parsed.root} identify the person)",
            hint="use `inami provider update` to add a qualification period",
        )
    warnings = parsed.warnings()
    digit = profession_digit_warning(parsed, job)
    if digit:
        warnings.append(digit)
    row = Provider(
        nihii=parsed.root, profession=job, last_name=last_name.strip(),
        first_name=first_name.strip(), source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="provider", key=parsed.root, action="insert",
        after=_snapshot(row, _PRO_FIELDS),
    )  # fmt: skip
    warnings += add_qualification(
        session, parsed.root, job, parsed.qualification, valid_from, None, source=source
    )
    if accredited_from is not None:
        add_accreditation(session, parsed.root, accredited_from, accredited_to, source=source)
    elif accredited_to is not None:
        raise InvalidInput("--accredited-to needs --accredited-from")
    if region is not None:
        add_address(
            session, parsed.root, street=street, postcode=postcode, city=city, region=region,
            source=source,
        )  # fmt: skip
    elif street or postcode or city:
        raise InvalidInput("an address needs --region (brussels, flanders, wallonia, ...)")
    return provider_view(session, row, on=valid_from, warnings=tuple(warnings))


def provider_show(*, session: Session, nihii: str, on: date | None = None) -> ProviderView:
    """A provider with every period (NotFound when unknown); current values as of *on*
    (default today)."""
    provider, parsed = _provider(session, nihii)
    warnings = tuple(parsed.warnings())
    return provider_view(session, provider, on=on or date.today(), warnings=warnings)


def provider_update(
    *,
    session: Session,
    nihii: str,
    last_name: str | None = None,
    first_name: str | None = None,
    profession: str | None = None,
    qualification: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    accredited_from: date | None = None,
    accredited_to: date | None = None,
    end_accreditation_on: date | None = None,
    street: str = "",
    postcode: str = "",
    city: str = "",
    region: str | None = None,
    main_address: bool = False,
) -> ProviderView:
    """Change names or profession; add a qualification period (the code given, or the
    number's own last 3 digits, from *valid_from*), an accreditation period, an address;
    end the accreditation in force. Audited; nothing written when nothing changes."""
    provider, parsed = _provider(session, nihii)
    root = provider.nihii
    warnings: list[str] = []
    before = _snapshot(provider, _PRO_FIELDS)
    if last_name is not None:
        if not last_name.strip():
            raise InvalidInput("--last-name must not be empty")
        provider.last_name = last_name.strip()
    if first_name is not None:
        provider.first_name = first_name.strip()
    if profession is not None:
        job = rules.check_profession(profession)
        conflict = profession_change_conflict(session, root, provider.profession, job)
        if conflict is not None:
            raise Conflict(conflict)
        provider.profession = job
    after = _snapshot(provider, _PRO_FIELDS)
    if after != before:
        session.add(provider)
        record_change(
            session=session, entity="provider", key=root, action="update", before=before,
            after=after,
        )  # fmt: skip
    code = qualification or parsed.qualification
    if valid_from is not None:
        if code is None:
            raise InvalidInput("--from needs a qualification: --qualification CODE or 11 digits")
        warnings += add_qualification(
            session, root, provider.profession, code, valid_from, valid_to
        )
    elif qualification is not None or valid_to is not None:
        raise InvalidInput("a qualification period needs --from DATE")
    if end_accreditation_on is not None:
        end_accreditation(session, root, end_accreditation_on)
    if accredited_from is not None:
        add_accreditation(session, root, accredited_from, accredited_to)
    elif accredited_to is not None:
        raise InvalidInput("--accredited-to needs --accredited-from")
    if region is not None:
        add_address(
            session, root, street=street, postcode=postcode, city=city, region=region,
            main=main_address,
        )  # fmt: skip
    elif street or postcode or city:
        raise InvalidInput("an address needs --region (brussels, flanders, wallonia, ...)")
    session.flush()
    return provider_view(
        session, provider, on=valid_from or date.today(),
        warnings=tuple(parsed.warnings()) + tuple(warnings),
    )  # fmt: skip


def provider_list(
    *,
    session: Session,
    profession: str | None = None,
    qualification: str | None = None,
    region: str | None = None,
    agreement: str | None = None,
    status: str | None = None,
    name: str | None = None,
    on: date | None = None,
    limit: int = 1000,
) -> list[ProviderView]:
    """Providers filtered by profession, qualification in force on *on*, main region,
    adherence to an agreement (``status`` full|partial|refused; full includes those who
    recorded nothing), or a name fragment; sorted by name."""
    day = on or date.today()
    query = select(Provider)
    if profession is not None:
        query = query.where(_PRO.profession == rules.check_profession(profession))
    if name:
        pattern = f"%{name.strip().lower()}%"
        query = query.where(_PRO.last_name.ilike(pattern) | _PRO.first_name.ilike(pattern))
    query = query.order_by(_PRO.last_name, _PRO.first_name, _PRO.nihii)
    wanted_status = None
    if status is not None:
        wanted_status = status.strip().lower()
        if wanted_status not in rules.ADHERENCE_STATUSES:
            raise InvalidInput(
                f"--status {status!r}: use one of {', '.join(rules.ADHERENCE_STATUSES)}"
            )
        if agreement is None:
            raise InvalidInput("--status needs --agreement KEY")
    code = rules.check_qualification_code(qualification) if qualification else None
    where_region = rules.check_region(region) if region else None
    answered: dict[str, str] = {}
    if agreement is not None:
        from inami_cli.db.models import Agreement
        from inami_cli.domain.errors import NotFound

        agr = session.get(Agreement, agreement.strip())
        if agr is None:
            raise NotFound(f"no agreement {agreement.strip()!r}", hint="see `inami agreement list`")
        query = query.where(_PRO.profession == agr.profession)
        answered = {
            a: b
            for a, b in session.execute(
                select(_ADH.nihii, _ADH.status).where(_ADH.agreement_key == agreement)
            )
        }
    views: list[ProviderView] = []
    for provider in session.execute(query).scalars():
        if wanted_status is not None and answered.get(provider.nihii, "full") != wanted_status:
            continue
        view = provider_view(session, provider, on=day)
        if code is not None and view.qualification != code:
            continue
        if where_region is not None and view.region != where_region:
            continue
        views.append(view)
        if len(views) >= limit:
            break
    return views
