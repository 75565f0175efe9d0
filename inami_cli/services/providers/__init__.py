"""Care providers and the agreements (use cases).

The provider register keeps, for each provider identified for life by the first 8 digits
of the INAMI number, dated qualification periods (the last 3 digits), accreditation
periods and professional addresses with their region. Agreements (accords for doctors,
conventions for the other professions) are dated objects per profession, seeded with the
real ones; each provider's adherence is full (the default), partial with validated time
blocks, or refused.

``provider_facts`` (and ``ProviderRegister.facts`` for batches) is the API the
reimbursement engine will use: on a date and time, profession, qualification and label,
accreditation, convention status under the agreement in force, declared blocks, and
whether a physiotherapists' convention is in force. ``may_attest`` answers from the
shipped codes-by-qualification table.

Every function takes the caller's ``session`` and never commits. This module is the
feature's public face; the private modules, by sub-topic, each importing only modules
listed before it:

- ``_common``: columns, the shipped data tables, the provider look-up;
- ``_views``: what the use cases return, and the provider as the rules need it;
- ``_register``: validate, add, show, list, update (periods, addresses);
- ``_imports``: what the imports share (report, batch, FILE:LINE conflicts);
- ``_agreements``: agreements add, show, list, update, and the seeded real ones;
- ``_adherence``: adherence set, list, import;
- ``_provider_io``: provider import and export;
- ``_stats``: adherence rates by qualification and region;
- ``_facts``: ``provider_facts``, ``physio_convention_in_force``, ``may_attest``,
  ``ProviderRegister``;
- ``_reference``: the real agreements and the demo providers;
- ``_checks``: this feature's part of ``inami db check``.
"""

from __future__ import annotations

from inami_cli.domain.errors import FileConflicts
from inami_cli.services.providers._adherence import (
    ADHERENCE_COLUMNS,
    adherence_list,
    adherence_set,
    import_adherence,
)
from inami_cli.services.providers._agreements import (
    KINDS,
    agreement_add,
    agreement_list,
    agreement_show,
    agreement_update,
    seed_agreements,
)
from inami_cli.services.providers._checks import CHECKS
from inami_cli.services.providers._common import attest_rules, qualification_labels
from inami_cli.services.providers._facts import (
    ProviderRegister,
    attester_of,
    load_provider_register,
    may_attest,
    physio_convention_in_force,
    provider_facts,
)
from inami_cli.services.providers._imports import Change, ImportReport
from inami_cli.services.providers._provider_io import (
    EXPORT_COLUMNS,
    PROVIDER_COLUMNS,
    export_providers,
    import_providers,
)
from inami_cli.services.providers._reference import load_fixtures, load_reference
from inami_cli.services.providers._register import (
    NihiiCheck,
    provider_add,
    provider_list,
    provider_show,
    provider_update,
    validate_nihii,
)
from inami_cli.services.providers._stats import GROUPINGS, StatsRow, agreement_stats
from inami_cli.services.providers._views import (
    AccreditationView,
    AddressView,
    AdherenceView,
    AgreementView,
    ProviderView,
    QualificationView,
)

__all__ = [
    "ADHERENCE_COLUMNS",
    "CHECKS",
    "EXPORT_COLUMNS",
    "GROUPINGS",
    "KINDS",
    "PROVIDER_COLUMNS",
    "AccreditationView",
    "AddressView",
    "AdherenceView",
    "AgreementView",
    "Change",
    "FileConflicts",
    "ImportReport",
    "NihiiCheck",
    "ProviderRegister",
    "ProviderView",
    "QualificationView",
    "StatsRow",
    "adherence_list",
    "adherence_set",
    "agreement_add",
    "agreement_list",
    "agreement_show",
    "agreement_stats",
    "agreement_update",
    "attest_rules",
    "attester_of",
    "export_providers",
    "import_adherence",
    "import_providers",
    "load_fixtures",
    "load_provider_register",
    "load_reference",
    "may_attest",
    "physio_convention_in_force",
    "provider_add",
    "provider_facts",
    "provider_list",
    "provider_show",
    "provider_update",
    "qualification_labels",
    "seed_agreements",
    "validate_nihii",
]
