"""What ``--help`` shows, set once on every command as typer converts it (issue 17).

- Metavariables name what a value is (``DATE``, ``NISS``, ``CODE``, ``AMOUNT``, ``FILE``, ...),
  never a Python type (``<str>``, ``<list[str]>``, ``<int range>``): one table below, by
  parameter name; a parameter that declares its own ``metavar`` keeps it.
- The summary listed for a command is its whole first sentence, never cut at 45 characters.
- ``Example:`` lines of a docstring are gathered into one ``Examples:`` block, printed as
  written (click re-wraps paragraphs, which breaks a command line in two).
- Every subcommand's help ends with the global options it accepts (``app._hoist_globals``
  moves them to the front, so they may be written after the subcommand too).

Only the standard library here: it runs on the ``inami --help`` path.
"""

from __future__ import annotations

import re
from typing import Any

DATE = "DATE"
AMOUNT = "AMOUNT"

# Parameter name (without dashes) -> metavariable. A name not listed is shown by its own
# name in capitals (argparse's convention), numbers as N and paths as FILE.
METAVARS: dict[str, str] = {
    # dates (YYYY-MM-DD or D/M/YYYY: inami_cli.domain.dates.parse_date)
    **dict.fromkeys(
        (
            "date",
            "from",
            "to",
            "on",
            "until",
            "since",
            "start",
            "effective",
            "birth",
            "birth-date",
            "death-date",
            "expected",
            "billed-on",
            "concluded-on",
            "published-on",
            "publication-date",
            "registered-on",
            "reimbursed-on",
            "service-date",
            "accredited-from",
            "accredited-to",
            "end-accreditation",
            "incapacity-start",
            "incapacity-end",
            "prenatal-from",
            "fraud-end",
            "as-recorded-on",
            "death",
        ),
        DATE,
    ),
    # money in euros (Decimal, two decimals)
    **dict.fromkeys(
        (
            "fee",
            "charged",
            "gross-daily",
            "gross-monthly",
            "earnings",
            "net-taxable",
            "unemployment-daily",
            "indu",
            "objective",
            "tm",
            "amount",
        ),
        AMOUNT,
    ),
    **dict.fromkeys(("niss", "titular", "claimant-niss", "deceased-niss"), "NISS"),
    **dict.fromkeys(("nihii", "provider-id"), "NIHII"),
    **dict.fromkeys(("code", "supplement", "qualification", "insurer", "mutuality"), "CODE"),
    **dict.fromkeys(("rate", "indexation", "mali-cap"), "PERCENT"),
    **dict.fromkeys(("year", "income-year"), "YEAR"),
    **dict.fromkeys(("meeting", "id"), "ID"),
    **dict.fromkeys(("out", "file", "tariff-file", "vote-file", "plot", "config"), "FILE"),
    "not-combinable-with": "CODES",
    "special-requirement": "REQUIREMENT",
    "decision": "NUMBER",
    "time": "HH:MM",
    "db": "URL",
    "table-style": "STYLE",
    "limit": "N",
}

GLOBAL_OPTIONS_LINE = (
    "Global options, also after the command: --config FILE, --db URL, --format FORMAT, "
    "--fields A,B,C, --summary-json, --wait SECONDS, --table-style STYLE, --wide, --no-pager, "
    "--no-input, -q/--quiet, -v/--verbose (see `inami --help`)."
)

_EXAMPLE = re.compile(r"^\s*Examples?:\s*(.*)$")


def metavar_for(param: Any) -> str:
    """The metavariable of a typer parameter that declares none."""
    name = (param.opts[0] if getattr(param, "opts", None) else param.name or "").lstrip("-")
    name = name.lower().replace("_", "-")
    if name in METAVARS:
        return METAVARS[name]
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(descriptor, "is_choice", False):
        return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    if descriptor is not None and getattr(descriptor, "is_path", False):
        return "FILE"
    annotation = getattr(descriptor, "annotation", None)
    inner = getattr(annotation, "__args__", None) or (annotation,)
    if int in inner and param.param_type_name == "option":
        return "N"
    return name.upper().replace("-", "_")


def _no_type(ctx: Any) -> None:
    """``display_type_rich`` of an argument: its metavariable says it all."""
    return None


def name_params(command: Any) -> None:
    """Give each valued parameter of *command* a metavariable (never a Python type)."""
    for param in getattr(command, "params", []):
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        if param.metavar is None:
            param.metavar = metavar_for(param)  # the usage line adds "..." when repeatable
        if param.param_type_name == "argument":
            param.display_type_rich = _no_type  # "NISS", not "NISS <str>"


def first_sentence(text: str) -> str:
    """The first sentence of *text* (up to a word ending with ".", as click cuts it)."""
    words: list[str] = []
    for word in " ".join(text.split("\n\n", 1)[0].split()).split(" "):
        words.append(word)
        if word.endswith("."):
            break
    return " ".join(words)


def gather_examples(text: str) -> str:
    """*text* with its ``Example:`` lines moved to one ``Examples:`` block kept as written."""
    lines = text.splitlines()
    kept: list[str] = []
    examples: list[str] = []
    index = 0
    while index < len(lines):
        match = _EXAMPLE.match(lines[index])
        if match is None:
            kept.append(lines[index])
            index += 1
            continue
        if match.group(1):
            examples.append(match.group(1).strip())
        index += 1
        while index < len(lines) and lines[index].strip().startswith("inami "):
            examples.append(lines[index].strip())
            index += 1
    if not examples:
        return text
    body = "\n".join(kept).rstrip()
    return body + "\n\n\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)


def examples_of(help_text: str) -> list[str]:
    """The example command lines of a rendered ``--help`` (its ``Examples:`` block)."""
    found: list[str] = []
    inside = False
    for line in help_text.splitlines():
        if line.strip() == "Examples:":
            inside = True
            continue
        if inside and line.strip().startswith("inami "):
            found.append(line.strip())
        elif inside:
            inside = False
    return found


def polish(command: Any, *, root: bool = False) -> Any:
    """Apply this module's rules to one converted click command; return it."""
    import inspect

    from inami_cli.cli.completion import attach_completers

    name_params(command)
    attach_completers(command)
    if command.help:
        help_text = inspect.cleandoc(command.help)
        if not command.short_help:
            command.short_help = first_sentence(help_text.partition("\f")[0])
        command.help = gather_examples(help_text)
    if not root and GLOBAL_OPTIONS_LINE not in (command.epilog or ""):
        command.epilog = f"{command.epilog or ''}\n\n{GLOBAL_OPTIONS_LINE}".lstrip()
    return command
