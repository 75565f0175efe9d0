"""``inami nomenclature``: acts, dated tariffs, key letters, import/export, indexation.

The commands live in private modules by sub-topic (``_reads``: show, search, list;
``_acts``: add, update, retire; ``_tariffs``: set-tariff, import, export, index, diff;
``_key_letters``; ``_check``: check; ``_act_rules``: act rules dated like tariffs); they are
registered here, in the order ``--help`` lists them.
"""

from __future__ import annotations

import typer

from inami_cli.cli.nomenclature._act_rules import (
    act_rules_import,
    act_rules_list,
    act_rules_set,
)
from inami_cli.cli.nomenclature._acts import (
    nomenclature_add,
    nomenclature_retire,
    nomenclature_update,
)
from inami_cli.cli.nomenclature._check import nomenclature_check
from inami_cli.cli.nomenclature._key_letters import key_letter_list, key_letter_set
from inami_cli.cli.nomenclature._reads import (
    nomenclature_list,
    nomenclature_search,
    nomenclature_show,
)
from inami_cli.cli.nomenclature._tariffs import (
    nomenclature_diff,
    nomenclature_export,
    nomenclature_import,
    nomenclature_index,
    nomenclature_set_tariff,
)

__all__ = ["act_rules_app", "app", "key_letter_app"]

app = typer.Typer(
    help="Nomenclature codes, their dated tariffs by beneficiary profile, key letters.",
    no_args_is_help=True,
)
key_letter_app = typer.Typer(
    help="Values of key-letter indexes (N265, Q124...) over time.", no_args_is_help=True
)
app.add_typer(key_letter_app, name="key-letter")
act_rules_app = typer.Typer(
    help="Act rules dated like tariffs: age and frequency limits, prerequisite, setting.",
    no_args_is_help=True,
)
app.add_typer(act_rules_app, name="act-rules")

app.command("show")(nomenclature_show)
app.command("search")(nomenclature_search)
app.command("list")(nomenclature_list)
app.command("add")(nomenclature_add)
app.command("update")(nomenclature_update)
app.command("retire")(nomenclature_retire)
app.command("set-tariff")(nomenclature_set_tariff)
app.command("import")(nomenclature_import)
app.command("export")(nomenclature_export)
app.command("index")(nomenclature_index)
app.command("diff")(nomenclature_diff)
app.command("check")(nomenclature_check)

key_letter_app.command("set")(key_letter_set)
key_letter_app.command("list")(key_letter_list)

act_rules_app.command("set")(act_rules_set)
act_rules_app.command("list")(act_rules_list)
act_rules_app.command("import")(act_rules_import)
