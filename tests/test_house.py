"""The house (issue 13): modules a reader can hold in mind.

The purity of the domain layer is checked in test_contract.py.

The layer, private-module and no-circle contracts are import-linter's (``make lint``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "inami_cli"
MAX_LINES = 520  # the house style says ~500 lines; a little slack for a docstring


def _modules() -> list[tuple[str, Path]]:
    """(path relative to inami_cli, path) of every module, the migrations aside."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith("db/migrations/"):
            found.append((relative, path))
    return found


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    too_long = []
    for relative, path in _modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES:
            too_long.append(f"inami_cli/{relative}: {count} lines")
    assert too_long == [], f"split by sub-topic (at most {MAX_LINES} lines a module)"
