"""Nomenclature rules: codes, key-letter arithmetic, import rows, indexation, label search.

Pure functions and frozen records (stdlib only). The facts come from DOMAIN.md section 2
(each private module quotes those it implements):

- ``_acts``: codes (6 digits, observed check digit and pairs) and acts (labels, rules);
- ``_act_rules``: act rules dated like tariffs (``ActRulePeriod``, ``rules_on``);
- ``_key_letters``: fees as key-letter terms, key-letter values over time;
- ``_indexation``: amounts and key-letter values raised by a rate;
- ``_search``: the normalised labels and the ranking of a search;
- ``_rows``: the import columns and the parsing of one import row;
- ``_grouping``: import rows grouped into tariff periods;
- ``_reference``: a tariff as in force on a day, and the in-memory index for batches.
"""

from __future__ import annotations

from inami_cli.domain.frequency import FREQUENCY_PERIODS
from inami_cli.domain.nomenclature._act_rules import (
    RULE_FIELDS,
    ActRulePeriod,
    DatedAct,
    check_rule_period,
    overlapping,
    rules_on,
)
from inami_cli.domain.nomenclature._acts import (
    CATEGORIES,
    SETTINGS,
    ActFields,
    ActView,
    check_act_rules,
    check_digit,
    code_warnings,
    normalise_article,
    pair_code,
    pair_warnings,
    validate_code,
)
from inami_cli.domain.nomenclature._grouping import (
    GroupedImport,
    TariffSpec,
    close_open_periods,
    group_rows,
    profile_key,
)
from inami_cli.domain.nomenclature._indexation import (
    INDEXATION_RULE,
    KEY_VALUE_QUANTUM,
    index_amount,
    index_key_value,
    index_profiles,
    keep_shares,
    parse_rate,
)
from inami_cli.domain.nomenclature._key_letters import (
    KeyTermSpec,
    KeyValue,
    fee_from_terms,
    format_key_terms,
    parse_key_terms,
    validate_index_code,
    value_on,
)
from inami_cli.domain.nomenclature._reference import (
    NomenclatureIndex,
    TariffRecord,
    personal_share,
    view_of,
)
from inami_cli.domain.nomenclature._rows import (
    ACT_COLUMNS,
    ACT_RULE_COLUMNS,
    ALL_COLUMNS,
    TARIFF_COLUMNS,
    TariffRow,
    TariffRowParser,
    check_columns,
    parse_act_fields,
    parse_code_list,
    parse_tariff_row,
    parse_whole,
    parse_yes_no,
    typed_row,
)
from inami_cli.domain.nomenclature._search import normalize_label, search_score, search_text

__all__ = [
    "ACT_COLUMNS",
    "ACT_RULE_COLUMNS",
    "ALL_COLUMNS",
    "CATEGORIES",
    "FREQUENCY_PERIODS",
    "INDEXATION_RULE",
    "KEY_VALUE_QUANTUM",
    "RULE_FIELDS",
    "SETTINGS",
    "TARIFF_COLUMNS",
    "ActFields",
    "ActRulePeriod",
    "ActView",
    "DatedAct",
    "GroupedImport",
    "KeyTermSpec",
    "KeyValue",
    "NomenclatureIndex",
    "TariffRecord",
    "TariffRow",
    "TariffRowParser",
    "TariffSpec",
    "check_act_rules",
    "check_columns",
    "check_digit",
    "check_rule_period",
    "close_open_periods",
    "code_warnings",
    "fee_from_terms",
    "format_key_terms",
    "group_rows",
    "index_amount",
    "index_key_value",
    "index_profiles",
    "keep_shares",
    "normalise_article",
    "normalize_label",
    "overlapping",
    "pair_code",
    "pair_warnings",
    "parse_act_fields",
    "parse_code_list",
    "parse_key_terms",
    "parse_rate",
    "parse_tariff_row",
    "parse_whole",
    "parse_yes_no",
    "personal_share",
    "profile_key",
    "rules_on",
    "search_score",
    "search_text",
    "typed_row",
    "validate_code",
    "validate_index_code",
    "value_on",
    "view_of",
]
