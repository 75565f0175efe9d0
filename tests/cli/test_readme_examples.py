"""Every example of README.md runs as written on the `make demo` database (issue 17).

An example is a line of a code block starting with ``inami ``, or an inline code span
starting with ``inami `` in a table row (the command tables of each area). Examples run in
order, section by section (a section's examples may build on each other: `person add`, then
`affiliation add`), each section on a fresh copy of the demo database, configured as
`make demo` leaves it: ``INAMI_CONFIG`` naming a file with the database's absolute URL. The
working directory has the checkout's ``fixtures/`` and ``config/`` (paths as written). An
example exits 0, or the code the README states next to it: a comment starting ``# exit N`` in
a code block, ``(exit N...`` right after the span in a table.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHELL_OPERATORS = {"&&", "||", "|", ">", ">>", "<", ";", "2>", "2>&1"}
_SPAN = re.compile(r"`(inami [^`]+)`")
_STATED_IN_BLOCK = re.compile(r"^exit (\d+)\b")  # `inami ...   # exit 1 not insured`
_STATED_IN_TABLE = re.compile(r"\(exit (\d+)\b")  # `inami ...` (exit 1: abolished)


@dataclass(frozen=True)
class Example:
    section: str
    line: int
    command: str
    exit_code: int


def readme_examples(text: str) -> list[Example]:
    """The examples of *text* (README.md), in order."""
    found: list[Example] = []
    section = ""
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_block = not in_block
            continue
        if not in_block and line.startswith("## "):
            section = line[3:].strip()
        if in_block and line.strip().startswith("inami "):
            command, _, comment = line.strip().partition(" #")
            stated = _STATED_IN_BLOCK.match(comment.strip())
            found.append(
                Example(section, number, command.strip(), int(stated.group(1)) if stated else 0)
            )
        elif not in_block and line.startswith("|"):
            for match in _SPAN.finditer(line):
                after = line[match.end() :].split("`", 1)[0]
                stated = _STATED_IN_TABLE.search(after)
                code = int(stated.group(1)) if stated else 0
                found.append(Example(section, number, match.group(1), code))
    return found


def _argv(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    argv: list[str] = []
    for word in words[1:]:
        if word in SHELL_OPERATORS:
            break
        argv.append(word)
    return argv


def test_the_readme_has_examples_of_every_area():
    sections = {e.section for e in readme_examples(README.read_text(encoding="utf-8"))}
    for area in ("Nomenclature", "Reimbursement", "Insurability", "Committees and decisions"):
        assert area in sections, area


def test_examples_are_found_in_blocks_and_tables():
    text = (
        "## A\n```sh\ninami db status   # rows\ninami insured 1 --date D  # exit 1 not\n```\n"
        "| show | `inami nomenclature show 101076` · `inami x` (exit 4) |\n"
        "Prose `inami not an example` here.\n"
    )
    assert [(e.command, e.exit_code, e.section) for e in readme_examples(text)] == [
        ("inami db status", 0, "A"),
        ("inami insured 1 --date D", 1, "A"),
        ("inami nomenclature show 101076", 0, "A"),
        ("inami x", 4, "A"),
    ]


@pytest.fixture
def demo_dir(sqlite_demo_template: Path, isolated_env: Path) -> Path:
    """The working directory of the examples: the checkout's fixtures/ and config/."""
    for name in ("fixtures", "config"):
        (isolated_env / name).symlink_to(ROOT / name)
    return isolated_env


def test_every_readme_example_runs_on_the_demo(demo_dir: Path, sqlite_demo_template: Path):
    examples = readme_examples(README.read_text(encoding="utf-8"))
    failures: list[str] = []
    by_section: dict[str, list[Example]] = {}
    for example in examples:
        by_section.setdefault(example.section, []).append(example)
    for index, (_section, items) in enumerate(by_section.items()):
        base = demo_dir / f".demo-{index}"
        base.mkdir()
        database = base / "inami.db"
        shutil.copyfile(sqlite_demo_template, database)
        config = base / "inami.toml"
        config.write_text(f'[database]\nurl = "sqlite:///{database}"\n', encoding="utf-8")
        run = Cli(None)
        for example in items:
            result = run(*_argv(example.command), input="", env={"INAMI_CONFIG": str(config)})
            if result.exit_code != example.exit_code:
                failures.append(
                    f"README.md:{example.line}: {example.command} -> exit {result.exit_code}"
                    f" (expected {example.exit_code}): {result.stderr.strip()[:300]}"
                )
    assert failures == [], "\n".join(failures)
