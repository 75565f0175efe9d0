"""Nomenclature use cases: acts, dated tariffs, key letters, import/export, indexation.

Tariff versions are never updated in place: a change supersedes the current version
(``superseded_at``) and records a new one, so ``as_recorded_on`` can answer as the database
did on a past day. Bulk paths (import, indexation, ``load_reference``) read each table once
into dictionaries and write with executemany inserts, inside the caller's transaction.

The private modules, bottom up: ``_store`` (the stored rows read into records),
``_versions`` (tariff versions written), ``_reads`` (show, search, list, the reference for
batches), ``_tariffs`` (what new periods do to the recorded ones; set-tariff), ``_acts``
(add, update, retire), ``_key_letters``, ``_files`` (the import format on file, export),
``_imports`` (the tariff import), ``_indexation`` (index, diff), ``_rule_periods`` and
``_act_rules`` (act rules dated like tariffs: read, written), ``_fixtures``, ``_checks``.
Reads go through the generated Core tables (``db.tables``), writes through the models
(``_tables``); the writing modules are imported on first use (``services.lazy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inami_cli.domain.nomenclature import ActView, NomenclatureIndex
from inami_cli.domain.tariffs import TariffView
from inami_cli.services.lazy import lazy_names
from inami_cli.services.nomenclature._reads import (
    ListedAct,
    PeriodLine,
    ProfileLine,
    SearchHit,
    ShowResult,
    get_act,
    list_acts,
    load_reference,
    profile_lines,
    search,
    show,
    tariff_in_force,
)
from inami_cli.services.nomenclature._rule_periods import (
    act_on,
    list_act_rules,
    load_act_rules,
    period_record,
)

# The modules that write (and import the SQLModel tables) load on first use: a one-shot
# read imports only the two above (issue 19).
_LAZY = {
    "_act_rules": ("ACT_RULE_COLUMNS", "RuleImport", "import_act_rules", "parse_period",
                   "set_act_rule"),
    "_acts": ("ActResult", "add_act", "retire_act", "update_act"),
    "_checks": ("CHECKS",),
    "_files": ("ImportTable", "export_rows", "read_table"),
    "_fixtures": ("load_fixtures",),
    "_imports": ("ImportSummary", "import_rows"),
    "_indexation": ("IndexSummary", "TariffChange", "diff_dates", "index_tariffs"),
    "_key_letters": ("KeyLetterLine", "list_key_letters", "set_key_letter"),
    "_tariffs": ("set_tariff",),
}  # fmt: skip
__getattr__ = lazy_names(__name__, _LAZY)

if TYPE_CHECKING:
    from inami_cli.services.nomenclature._act_rules import (
        ACT_RULE_COLUMNS,
        RuleImport,
        import_act_rules,
        parse_period,
        set_act_rule,
    )
    from inami_cli.services.nomenclature._acts import (
        ActResult,
        add_act,
        retire_act,
        update_act,
    )
    from inami_cli.services.nomenclature._checks import CHECKS
    from inami_cli.services.nomenclature._files import ImportTable, export_rows, read_table
    from inami_cli.services.nomenclature._fixtures import load_fixtures
    from inami_cli.services.nomenclature._imports import ImportSummary, import_rows
    from inami_cli.services.nomenclature._indexation import (
        IndexSummary,
        TariffChange,
        diff_dates,
        index_tariffs,
    )
    from inami_cli.services.nomenclature._key_letters import (
        KeyLetterLine,
        list_key_letters,
        set_key_letter,
    )
    from inami_cli.services.nomenclature._tariffs import set_tariff

__all__ = [
    "ACT_RULE_COLUMNS",
    "CHECKS",
    "ActResult",
    "ActView",
    "ImportSummary",
    "ImportTable",
    "IndexSummary",
    "KeyLetterLine",
    "ListedAct",
    "NomenclatureIndex",
    "PeriodLine",
    "ProfileLine",
    "RuleImport",
    "SearchHit",
    "ShowResult",
    "TariffChange",
    "TariffView",
    "act_on",
    "add_act",
    "diff_dates",
    "export_rows",
    "get_act",
    "import_act_rules",
    "import_rows",
    "index_tariffs",
    "list_act_rules",
    "list_acts",
    "list_key_letters",
    "load_act_rules",
    "load_fixtures",
    "load_reference",
    "parse_period",
    "period_record",
    "profile_lines",
    "read_table",
    "retire_act",
    "search",
    "set_act_rule",
    "set_key_letter",
    "set_tariff",
    "show",
    "tariff_in_force",
    "update_act",
]
