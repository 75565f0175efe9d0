"""The input of a batch: its columns, the header line, and the words its cells may hold
(yes/no flags, regimes, providers)."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from inami_cli import tabular
from inami_cli.domain import reimbursement as rules
from inami_cli.domain.cells import yes_no
from inami_cli.domain.errors import InvalidInput

BATCH_INPUT_COLUMNS = (
    "code",
    "date",
    "niss",
    "regime",
    "dmg",
    "age",
    "chronic",
    "provider",
    "charged",
    "setting",
    "bim_automatic",
    # issue 14: the provider from the register, the time of care, a special requirement
    "provider_id",
    "time",
    "special_requirement",
    # issue 15: third-party payment, the GP's referral (specialists)
    "third_party",
    "referred",
)

# The header as every input's is read (inami_cli.tabular): case, spaces, BOM, `INSZ` for niss.
BATCH_INPUT = tabular.Columns(
    required=("code",), optional=BATCH_INPUT_COLUMNS[1:], aliases=tabular.NISS_ALIASES
)

_FLAGS: dict[str, bool | None] = {
    "": None,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}
_PROVIDERS = {p: p for p in rules.PROVIDERS}
_REGIMES = {
    "ordinary": "ordinary",
    "preferential": "preferential",
    "bim": "preferential",
    "vt": "preferential",
}


_flag = yes_no  # a yes/no cell (domain.cells)


def parse_header(
    header: list[str] | None, filename: str
) -> tuple[Callable[[list[str]], tuple[str, ...]], int]:
    """The picker of a row's cells (in the order of ``BATCH_INPUT_COLUMNS``) and the number
    of fields of a row, from the header line (None: the file is empty)."""
    if header is None:
        raise InvalidInput(f"{filename}: empty file (expected a header line)")
    names = [BATCH_INPUT.canonical(h) for h in header]
    unknown = [n for n in names if n not in BATCH_INPUT_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{filename}:1: unknown column {unknown[0]!r} "
            f"(expected {', '.join(BATCH_INPUT_COLUMNS)})"
        )
    if "code" not in names:
        raise InvalidInput(f"{filename}:1: missing column 'code'")
    col = {name: names.index(name) for name in names}
    width = len(names)
    # One C-level call picks every known column; an absent column reads the "" appended
    # to each row (index ``width``).
    pick = itemgetter(*(col.get(name, width) for name in BATCH_INPUT_COLUMNS))
    return pick, width
