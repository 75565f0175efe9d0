"""Fuzzed input never produces a Python traceback.

hypothesis generates command lines for every command (options, values, dates, amounts,
NISS numbers, codes, unknown options) and import files (random bytes, latin-1 / UTF-16 /
cp1252 text, missing and extra columns, huge fields, NUL bytes, a 10 MB line). Every run
must end with a documented exit code (0-6; 70 = internal error = a bug) and, on failure,
exactly one ``inami: error:`` line, the last one on stderr.

Runs in-process (the ``Cli`` runner of tests/conftest.py) on SQLite holding the demo data:
the parsing under test does not depend on the backend.
"""

from __future__ import annotations

import os
import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inami_cli.domain.nomenclature import TARIFF_COLUMNS
from inami_cli.services.funding import INPUT_COLUMNS
from inami_cli.services.insurability import ENTITLEMENT_COLUMNS, PERSON_COLUMNS
from inami_cli.services.maf import COUNTER_COLUMNS, PARAM_COLUMNS
from inami_cli.services.reimbursement import BATCH_INPUT_COLUMNS
from tests.conftest import Cli, CliResult
from tests.helpers import decision_record_argv
from tests.reliability.commands import leaf_commands, param_names
from tests.reliability.conftest import copy_db, niss_for, valid_code

pytestmark = pytest.mark.slow

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6}
# The seed comes from the hypothesis profile (tests/conftest.py): fixed in `make test`,
# random in `make fuzz`, which also searches far longer.
LONG_SEARCH = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FUZZ = settings(
    max_examples=1000 if LONG_SEARCH else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_no_traceback(result: CliResult, argv: Any) -> None:
    """The contract of every run: a documented exit code and a one-line error."""
    where = f"argv={argv!r}\nexit={result.exit_code}\nstderr={result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, where
    assert result.exit_code in DOCUMENTED, where
    errors = [line for line in result.stderr.splitlines() if line.startswith("inami: error:")]
    if result.exit_code >= 2:
        assert len(errors) == 1, where
        assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0], where
    else:
        assert len(errors) <= (1 if result.exit_code == 1 else 0), where


@pytest.fixture
def fuzz_cli(sqlite_demo_template: Path, tmp_path: Path) -> Cli:
    """``inami`` on a private copy of the demo database."""
    db = copy_db(sqlite_demo_template, tmp_path / "fuzz.db")
    return Cli(f"sqlite:///{db}")


# ---------------------------------------------------------------- value strategies

text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
)  # any text, NUL and control characters included


Values = tuple[st.SearchStrategy[str], st.SearchStrategy[str]]


def mostly(valid: st.SearchStrategy[str], *junk: st.SearchStrategy[str]) -> Values:
    """(well-formed values, any values): a "clean" example draws only well-formed ones, to
    get past the parsing into the services; a "dirty" one mixes in junk."""
    return valid, st.one_of(valid, *junk, text_values)


dates = mostly(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)).map(str),
    st.dates().map(lambda d: f"{d.day}/{d.month}/{d.year}"),
    st.sampled_from(
        [
            "today",
            "2026-02-29",
            "2026-13-01",
            "0000-00-00",
            "",
            "2026-1-1",
            "31/12/2025",
            "9999-12-31",
            "2026-03-02T10:00",
        ]
    ),
)
amounts = mostly(
    st.decimals(min_value=0, max_value=500, places=2).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.sampled_from(["31,81", "1e400", "-0", "-5.00", "0.001", "NaN", "inf", "1_000", ""]),
)
nisses = mostly(
    st.sampled_from(["85061508234", "72110313704", "16042205863", "03022817561"]),
    st.integers(0, 200_000).map(niss_for),
    st.from_regex(r"\A[0-9]{11}\Z"),
    st.sampled_from(["85.06.15-082.34", "00000000000", "8506150823", ""]),
)
codes = mostly(
    st.sampled_from(["101076", "101010", "101032", "103132", "560011"]),
    st.integers(10000, 99999).map(valid_code),
    st.from_regex(r"\A[0-9]{1,8}\Z"),
)
integers = mostly(st.integers(0, 5).map(str), st.integers(-(10**12), 10**12).map(str))
paths = st.sampled_from(
    [
        "missing.csv",
        "-",
        "empty.csv",
        "junk.bin",
        "dir",
        "out/x.csv",
        "tariffs.csv",
        "members.csv",
        "cases.csv",
        "nisses.txt",
        "result.csv",
    ]
)
votes = mostly(
    st.lists(
        st.tuples(
            st.sampled_from(["doctors_dentists", "sickness_funds", "institutions", "doctors", "x"]),
            st.integers(-2, 30),
            st.integers(-2, 30),
            st.integers(-2, 30),
        ),
        max_size=5,
    ).map(lambda gs: ",".join(f"{g}:{a}/{b}/{c}" for g, a, b, c in gs)),
)
config_keys = mostly(
    st.sampled_from(
        [
            "database.busy_timeout_ms",
            "output.format",
            "locale.language",
            "audit.operator",
            "rules.missing_tariff",
            "nope.key",
            "database",
        ]
    ),
)
reimbursements = mostly(
    st.tuples(
        st.sampled_from(
            [
                "ordinary",
                "preferential",
                "dmg",
                "no-dmg",
                "chronic",
                "any",
                "age=0-17",
                "age=x",
                "ordinary,dmg",
                "bogus",
            ]
        ),
        amounts[0],
    ).map(lambda t: f"{t[0]}={t[1]}"),
)
committees = mostly(st.sampled_from(["CASS", "CNMM", "CTM", "cass", "XX"]))
kinds = mostly(
    st.sampled_from(
        [
            "tariff",
            "budget",
            "agreement",
            "opinion",
            "bim",
            "dmg",
            "chronic",
            "third-party",
            "third_party",
            "proposal",
            "advice",
            "x",
        ]
    )
)
groups = mostly(st.sampled_from(["doctors_dentists", "sickness_funds", "doctors", "x"]))
insurers = mostly(st.sampled_from(["100", "300", "500", "900", "999", "1"]))
numbers = mostly(
    st.sampled_from(
        ["CASS 2026/001", "CASS 2026/002", "CNMM 2026/001", "CASS 2026/999", "2026/001"]
    )
)
rates = mostly(st.decimals(min_value=-5, max_value=10, places=2).map(str))

DATE_WORDS = (
    "date",
    "from",
    "to",
    "since",
    "until",
    "effective",
    "recorded",
    "death",
    "old",
    "new",
    "on",
)
AMOUNT_WORDS = ("fee", "value", "charged", "amount")
PATH_WORDS = ("file", "destination", "out", "fixtures", "vote_file", "tariff_file")
BY_NAME: dict[str, Values] = {
    "niss": nisses,
    "titular": nisses,
    "code": codes,
    "not_combinable_with": codes,
    "votes": votes,
    "reimbursement": reimbursements,
    "key": config_keys,
    "committee": committees,
    "body": committees,
    "kind": kinds,
    "group": groups,
    "insurer": insurers,
    "to_insurer": insurers,
    "number": numbers,
    "decision": numbers,
    "rate": rates,
    "index_code": mostly(st.sampled_from(["N265", "Q124", "K", ""])),
    "present": mostly(
        st.lists(st.integers(0, 95), max_size=6).map(lambda ids: ",".join(map(str, ids)))
    ),
}


def strategy_for(name: str, param: Any, clean: bool) -> st.SearchStrategy[str]:
    """Values for a parameter, chosen by its name and type (paths stay in the cwd)."""
    lowered = name.lower().rstrip("_")
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    values: Values = (st.text(string.ascii_letters + " -", max_size=20), text_values)
    if lowered in PATH_WORDS or annotation is Path:
        values = (paths, paths)
    elif lowered in BY_NAME:
        values = BY_NAME[lowered]
    elif any(word in lowered.split("_") for word in DATE_WORDS) or lowered.endswith("date"):
        values = dates
    elif any(word in lowered for word in AMOUNT_WORDS):
        values = amounts
    elif annotation is int:
        values = integers
    return values[0] if clean else values[1]


@st.composite
def command_lines(draw: st.DrawFn, path: tuple[str, ...], command: Any) -> list[str]:
    """A command line for *command*: some of its options, its arguments, maybe junk."""
    argv = list(path)
    clean = draw(st.booleans())
    for name, param in param_names(command):
        if param.param_type_name == "argument":
            if param.required or draw(st.booleans()):
                value = draw(strategy_for(name, param, clean))
                argv.append(value)
            continue
        if not (param.required and draw(st.integers(0, 9)) > 0) and draw(st.integers(0, 3)) == 0:
            continue
        flag = param.opts[0]
        if getattr(param, "is_flag", False):
            argv.append(flag)
        else:
            for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
                argv += [flag, draw(strategy_for(name, param, clean))]
    if clean:
        return argv
    extra = draw(
        st.sampled_from(
            [
                [],
                ["--bogus"],
                ["--format", "json"],
                ["--format", "xml"],
                ["--format", "csv"],
                ["--format", "ndjson"],
                ["-v"],
                ["--help"],
                ["--limit"],
                ["--", "x"],
            ]
        )
    )
    position = draw(st.integers(len(path), len(argv)))
    return argv[:position] + extra + argv[position:]


def _prepare_cwd() -> None:
    from tests.reliability.conftest import persons_csv, tariff_csv

    Path("tariffs.csv").write_text(tariff_csv(range(40000, 40003)), encoding="utf-8")
    Path("members.csv").write_text(persons_csv(range(3)), encoding="utf-8")
    Path("cases.csv").write_text(
        "code,date,niss,regime,dmg,charged\n101076,2026-03-02,85061508234,,,\n"
        "101076,2026-03-02,,preferential,yes,40.00\n",
        encoding="utf-8",
    )
    Path("nisses.txt").write_text("85061508234\n72110313704,2026-01-01\n", encoding="utf-8")
    Path("empty.csv").write_bytes(b"")
    Path("junk.bin").write_bytes(bytes(range(256)) * 4)
    Path("dir").mkdir(exist_ok=True)


COMMANDS = leaf_commands()


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_generated_command_lines_never_crash(path: tuple[str, ...], fuzz_cli: Cli):
    _prepare_cwd()

    @FUZZ
    @given(argv=command_lines(path, COMMANDS[path]))
    def run(argv: list[str]) -> None:
        assert_no_traceback(fuzz_cli(*argv), argv)

    run()


# ---------------------------------------------------------------- import files

# The columns the importers read, from the code itself (a renamed column stays fuzzed); an
# extra column the member-file importer ignores (``death_date``) is fuzzed too.
NOMENCLATURE = list(TARIFF_COLUMNS)
PERSONS = [*PERSON_COLUMNS, "death_date"]
ENTITLEMENTS = list(ENTITLEMENT_COLUMNS)
CASES = [c for c in BATCH_INPUT_COLUMNS if c != "bim_automatic"]
INSURED = ["niss", "date"]
VOTE_FILE = ["group", "for", "against", "abstain"]

# (command line with FILE where the file goes, the columns it expects)
IMPORTERS: dict[str, tuple[list[str], list[str]]] = {
    "nomenclature import": (["nomenclature", "import", "FILE"], NOMENCLATURE),
    "nomenclature import --dry-run": (
        ["nomenclature", "import", "FILE", "--dry-run"],
        NOMENCLATURE,
    ),
    "person import": (["person", "import", "FILE"], PERSONS),
    "entitlement import": (["entitlement", "import", "FILE"], ENTITLEMENTS),
    "insured batch": (["insured", "batch", "FILE"], INSURED),
    "maf counter import": (["maf", "counter", "import", "FILE"], list(COUNTER_COLUMNS.known)),
    "maf params import": (["maf", "params", "import", "FILE"], list(PARAM_COLUMNS.known)),
    "funding input import": (
        ["funding", "input", "import", "FILE", "--year", "2027"],
        list(INPUT_COLUMNS.known),
    ),
    "reimburse batch": (["reimburse", "batch", "FILE"], CASES),
    "reimburse batch --record": (["reimburse", "batch", "FILE", "--record"], CASES),
    "decision record --tariff-file": (
        [
            *decision_record_argv("1", "t", "tariff"),
            "--votes",
            "doctors_dentists:9/0/0,sickness_funds:17/0/1",
            "--tariff-file",
            "FILE",
        ],
        NOMENCLATURE,
    ),
    "decision record --vote-file": (
        [*decision_record_argv("1", "t", "budget"), "--vote-file", "FILE"],
        VOTE_FILE,
    ),
    "committee sync --file": (["committee", "sync", "--file", "FILE"], ["[CASS]", "name_fr"]),
}

cells = st.one_of(
    st.integers(0, 200_000).map(niss_for),
    st.integers(10000, 99999).map(valid_code),
    dates[1],
    amounts[1],
    st.sampled_from(
        [
            "ordinary",
            "preferential",
            "yes",
            "no",
            "bim",
            "dmg",
            "300",
            "110",
            "titular",
            "dependent",
            "é",
            "ë",
            "ß",
            "€",
            "\x00",
            '"',
            '""',
            "\n",
        ]
    ),
    text_values,
)


@st.composite
def import_files(draw: st.DrawFn, columns: list[str]) -> bytes:
    """An import file that is wrong in some way (or right, now and then)."""
    kind = draw(st.sampled_from(["bytes", "table", "table", "table", "json"]))
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    header = list(columns)
    if draw(st.booleans()):  # missing columns
        header = [c for c in header if draw(st.integers(0, 3))]
    if draw(st.booleans()):  # extra columns
        header += draw(st.lists(st.sampled_from(["extra", "code", "", "niss", "x y"]), max_size=3))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=6))
    if kind == "json":
        import json

        objects = [dict(zip(header, row, strict=False)) for row in rows]
        text = json.dumps(draw(st.sampled_from([objects, objects[:1], {"a": 1}, "x", None])))
    else:
        sep = draw(st.sampled_from([",", ",", ";", "\t"]))
        lines = [sep.join(header)] + [
            sep.join(f'"{c}"' if sep in c else c for c in row) for row in rows
        ]
        text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    mutation = draw(st.sampled_from(["none", "none", "nul", "huge", "truncate"]))
    if mutation == "nul" and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" * draw(st.integers(1, 3)) + data[at:]
    elif mutation == "huge":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"x" * 200_000 + data[at:]
    elif mutation == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _run_with_file(
    cli: Cli, argv: list[str], data: bytes, name: str
) -> tuple[list[str], CliResult]:
    target = Path(name)
    target.write_bytes(data)
    args = [str(target) if a == "FILE" else a for a in argv]
    return args, cli(*args)


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_generated_import_files_never_crash(importer: str, fuzz_cli: Cli):
    argv, columns = IMPORTERS[importer]
    suffix = ".toml" if "sync" in importer else ".csv"

    @FUZZ
    @given(data=import_files(columns))
    def run(data: bytes) -> None:
        args, result = _run_with_file(fuzz_cli, argv, data, "input" + suffix)
        assert_no_traceback(result, (args, data[:300]))

    run()


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_a_10_mb_line_and_stdin_never_crash(importer: str, fuzz_cli: Cli):
    argv, columns = IMPORTERS[importer]
    huge = (",".join(columns) + "\n" + "1," + "x" * 10_000_000 + "\n").encode()
    args, result = _run_with_file(fuzz_cli, argv, huge, "huge.csv")
    assert_no_traceback(result, args)
    assert result.exit_code != 0
    if "FILE" in argv[:3] or argv[-1] == "FILE":
        piped = [("-" if a == "FILE" else a) for a in argv]
        for stdin in (b"", b"\x00\xff\xfe garbage", huge[:300_000]):
            result = fuzz_cli(*piped, input=stdin)
            assert_no_traceback(result, (piped, stdin[:50]))
