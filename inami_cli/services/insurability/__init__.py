"""Insurability use cases: persons, affiliations, entitlements, ``insured`` answers, imports.

Every function takes the caller's ``session`` and never commits. Reads return frozen
dataclasses; writes are validated (``domain.niss``, ``domain.insurability``), refuse
overlapping periods with ``Conflict`` naming the period in the way, and are audited.

Bulk paths (``load_register``, ``import_persons``, ``import_entitlements``) read each table
with one query into plain dicts and write with executemany inserts: a register of a
million persons is checked without a query per person.

This module is the feature's public face: the command line, the desk and the other
services import from here only. The private modules, by sub-topic, each importing only
modules listed before it:

- ``_lookups``: the person and insurer look-ups through the generated Core tables;
- ``_common``: the models' columns, the person to change, shared cell checks;
- ``_status``: ``insured`` for one person (on a date, by member number, over a range);
- ``_register``: the register as the batches read it: whole in memory (``load_register``)
  or the persons of one chunk of lines (``RegisterLookup``, both batches);
- ``_batch_rows``: the register's rows a chunk of ``insured batch`` reads, and the answer
  taken straight from them;
- ``_batch_people``: the same for the persons of ``reimburse batch`` (``BatchPeople``);
- ``_batch``: ``insured batch``, one NISS per line against the register;
- ``_views``: what the person, affiliation and entitlement use cases return;
- ``_persons``, ``_affiliations``, ``_entitlements``: show, add, update, end, transfer, list;
- ``_imports``: what both imports share (report, CSV reader, bulk insert, import batch);
- ``_person_import``, ``_entitlement_import``: the two file imports;
- ``_reference``: the seven insurers and the demo data;
- ``_medical_houses``: medical-house enrolments (add, end, list, import, in force on a date);
- ``_checks``: this feature's part of ``inami db check``.

Only ``_status`` (and what it reads) is imported with the package: the other modules load
on first use of one of their names (``services.lazy``), so that a one-shot ``insured NISS``
imports no SQLModel (issue 19).

Inside the package a name with a leading underscore is still shared between these private
modules; outside it, only what ``__all__`` lists is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inami_cli.services.insurability._status import (
    BeneficiaryStatus,
    RangeStatus,
    SubPeriod,
    beneficiary_by_member,
    beneficiary_on,
    beneficiary_over,
)
from inami_cli.services.lazy import lazy_names

# The modules that write or load the whole register (and import the SQLModel tables) load
# on first use: a one-shot ``insured NISS`` imports ``_status`` only (issue 19).
_LAZY = {
    "_affiliations": ("affiliation_add", "affiliation_end", "affiliation_list",
                      "affiliation_transfer"),
    "_batch": ("BATCH_COLUMNS", "BatchSummary", "insured_batch"),
    "_batch_people": ("BatchPeople",),
    "_checks": ("CHECKS",),
    "_entitlement_import": ("ENTITLEMENT_COLUMNS", "import_entitlements"),
    "_entitlements": ("entitlement_end", "entitlement_list", "entitlement_set"),
    "inami_cli.services.imports": ("Change", "ImportReport"),
    "_medical_houses": ("MEDICAL_HOUSE_COLUMNS", "MedicalHouseView", "import_medical_houses",
                        "load_medical_houses", "medical_house_add", "medical_house_end",
                        "medical_house_list", "medical_house_on"),
    "_person_import": ("PERSON_COLUMNS", "import_persons"),
    "_persons": ("person_add", "person_show", "person_update"),
    "_reference": ("load_fixtures", "seed_insurers"),
    "_register": ("Register", "RegisterLookup", "load_register"),
    "_views": ("AffiliationView", "EntitlementView", "PersonView"),
}  # fmt: skip
__getattr__ = lazy_names(__name__, _LAZY)

if TYPE_CHECKING:
    from inami_cli.services.imports import Change, ImportReport
    from inami_cli.services.insurability._affiliations import (
        affiliation_add,
        affiliation_end,
        affiliation_list,
        affiliation_transfer,
    )
    from inami_cli.services.insurability._batch import (
        BATCH_COLUMNS,
        BatchSummary,
        insured_batch,
    )
    from inami_cli.services.insurability._batch_people import BatchPeople
    from inami_cli.services.insurability._checks import CHECKS
    from inami_cli.services.insurability._entitlement_import import (
        ENTITLEMENT_COLUMNS,
        import_entitlements,
    )
    from inami_cli.services.insurability._entitlements import (
        entitlement_end,
        entitlement_list,
        entitlement_set,
    )
    from inami_cli.services.insurability._medical_houses import (
        MEDICAL_HOUSE_COLUMNS,
        MedicalHouseView,
        import_medical_houses,
        load_medical_houses,
        medical_house_add,
        medical_house_end,
        medical_house_list,
        medical_house_on,
    )
    from inami_cli.services.insurability._person_import import PERSON_COLUMNS, import_persons
    from inami_cli.services.insurability._persons import (
        person_add,
        person_show,
        person_update,
    )
    from inami_cli.services.insurability._reference import load_fixtures, seed_insurers
    from inami_cli.services.insurability._register import (
        Register,
        RegisterLookup,
        load_register,
    )
    from inami_cli.services.insurability._views import (
        AffiliationView,
        EntitlementView,
        PersonView,
    )

__all__ = [
    "BATCH_COLUMNS",
    "CHECKS",
    "ENTITLEMENT_COLUMNS",
    "MEDICAL_HOUSE_COLUMNS",
    "PERSON_COLUMNS",
    "AffiliationView",
    "BatchPeople",
    "BatchSummary",
    "BeneficiaryStatus",
    "Change",
    "EntitlementView",
    "ImportReport",
    "MedicalHouseView",
    "PersonView",
    "RangeStatus",
    "Register",
    "RegisterLookup",
    "SubPeriod",
    "affiliation_add",
    "affiliation_end",
    "affiliation_list",
    "affiliation_transfer",
    "beneficiary_by_member",
    "beneficiary_on",
    "beneficiary_over",
    "entitlement_end",
    "entitlement_list",
    "entitlement_set",
    "import_entitlements",
    "import_medical_houses",
    "import_persons",
    "insured_batch",
    "load_fixtures",
    "load_medical_houses",
    "load_register",
    "medical_house_add",
    "medical_house_end",
    "medical_house_list",
    "medical_house_on",
    "person_add",
    "person_show",
    "person_update",
    "seed_insurers",
]
