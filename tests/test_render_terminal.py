"""``render.table`` and ``render.terminal`` without a terminal: fitting a table to a width,
colour and pager decisions (issue 17, "Output a person reads")."""

from __future__ import annotations

import io

import pytest

from inami_cli.render.table import (
    SHORT_HEADERS,
    colour_cell,
    fit_pairs,
    fit_rows,
    table_text,
    text_width,
)
from inami_cli.render.terminal import (
    DEFAULT_PAGER,
    colour_enabled,
    pager_command,
    table_width,
)

LONG = "Consultation au cabinet par un médecin généraliste agréé accrédité, droits acquis"


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _widest(text: str) -> int:
    return max(text_width(line) for line in text.splitlines())


# ------------------------------------------------------------------ width


def test_table_width_from_columns_or_the_terminal_only() -> None:
    assert table_width(io.StringIO(), env={}) is None  # a pipe or a file: the whole table
    assert table_width(io.StringIO(), env={"COLUMNS": "80"}) == 80  # COLUMNS set explicitly
    assert table_width(Tty(), env={"COLUMNS": "100"}) == 100
    assert isinstance(table_width(Tty(), env={}), int)  # the terminal's own width
    assert table_width(Tty(), wide=True, env={"COLUMNS": "80"}) is None  # --wide
    assert table_width(io.StringIO(), env={"COLUMNS": "abc"}) is None


def test_a_list_cuts_text_with_an_ellipsis_and_never_a_code() -> None:
    headers = ["code", "date", "label", "fee"]
    rows = [["101076", "2026-03-02", LONG, "33.73"], ["CASS 2026/001", "", "short", "1"]]
    headers = [*headers[:1], "number", *headers[1:]]
    rows = [[r[0], "CASS 2026/001", *r[1:]] for r in rows]
    text = table_text(headers, rows, style="simple", width=60, colour=False)
    assert _widest(text) <= 60
    assert "101076" in text and "CASS 2026/001" in text and "33.73" in text
    assert "2026-03-02" in text
    assert "…" in text and LONG not in text
    assert len(text.splitlines()) == 2 + len(rows)  # one line a row


def test_a_table_that_fits_is_unchanged() -> None:
    headers, rows = ["code", "label"], [["101076", "short"]]
    assert fit_rows(headers, rows, 80, "simple") == (headers, rows)
    wide = table_text(headers, [["101076", LONG]], style="simple", width=None, colour=False)
    assert LONG in wide


def test_headers_wrap_at_underscores_before_text_is_cut() -> None:
    headers = ["code", "reimbursement_amount", "personal_share_amount", "label"]
    rows = [["101076", "27.73", "6.00", LONG]]
    fitted = fit_rows(headers, rows, 50, "simple")
    assert fitted is not None
    new_headers, new_rows = fitted
    assert "reimbursement_\namount" in new_headers
    assert new_rows[0][:3] == rows[0][:3]


def test_too_many_code_columns_are_shown_record_by_record() -> None:
    headers = [f"column_{i}" for i in range(12)]
    rows = [[f"{i:08d}" for i in range(12)], [f"{i:08d}" for i in range(12, 24)]]
    assert fit_rows(headers, rows, 80, "simple") is None
    text = table_text(headers, rows, style="simple", width=80, colour=False)
    assert _widest(text) <= 80
    assert "00000023" in text and "column_11" in text
    assert text.count("column_0 ") == 2  # one key/value view per record


def test_explanations_wrap_and_lose_no_word() -> None:
    headers = ["rule", "what", "source"]
    rows = [["R1", "personal share", LONG], ["R2", "fee", "x"]]
    text = table_text(headers, rows, style="simple", width=50, colour=False, wrap=True)
    assert _widest(text) <= 50
    assert "…" not in text
    for word in LONG.split():
        assert word.strip(",") in text
    assert text.count("------") >= 2 * 3  # a rule between rows of several lines


def test_a_key_value_view_wraps_its_values() -> None:
    pairs = fit_pairs([["code", "101076"], ["source", LONG]], 40, "simple")
    assert pairs[0] == ["code", "101076"]
    assert "\n" in pairs[1][1] and " ".join(pairs[1][1].split()) == LONG
    text = table_text(None, [["source", LONG]], style="grid", width=40, colour=False)
    assert _widest(text) <= 40


@pytest.mark.parametrize("style", ["simple", "grid", "github", "psql", "pretty", "plain"])
def test_every_table_style_fits(style: str) -> None:
    headers = ["code", "label", "status"]
    rows = [["101076", LONG, "ok"], ["101032", LONG, "refused"]]
    assert _widest(table_text(headers, rows, style=style, width=50, colour=False)) <= 50


# ------------------------------------------------------------------ colour


def test_colour_only_on_a_terminal_without_no_color_or_dumb() -> None:
    assert colour_enabled(Tty(), env={"TERM": "xterm"})
    assert not colour_enabled(io.StringIO(), env={"TERM": "xterm"})  # a pipe, a file
    assert not colour_enabled(Tty(), env={"TERM": "xterm", "NO_COLOR": ""})  # any value
    assert not colour_enabled(Tty(), env={"TERM": "xterm", "NO_COLOR": "1"})
    assert not colour_enabled(Tty(), env={"TERM": "dumb"})


def test_status_words_are_coloured_and_nothing_else() -> None:
    assert colour_cell("status", "refused") == "\x1b[31mrefused\x1b[0m"
    assert colour_cell("status", "ok") == "\x1b[32mok\x1b[0m"
    assert colour_cell("insured", "no") == "\x1b[31mno\x1b[0m"
    assert colour_cell("insured", "yes") == "\x1b[32myes\x1b[0m"
    assert colour_cell("label", "refused") == "refused"  # not a status column
    assert colour_cell("dmg", "no") == "no"
    text = table_text(["code", "status"], [["101076", "refused"]], style="simple", width=80,
                      colour=True)  # fmt: skip
    assert "\x1b[31mrefused\x1b[0m" in text
    plain = table_text(["code", "status"], [["101076", "refused"]], style="simple", width=80,
                       colour=False)  # fmt: skip
    assert "\x1b" not in plain


# ------------------------------------------------------------------ pager


def test_pager_decision() -> None:
    tty = Tty()
    env = {"TERM": "xterm"}
    assert pager_command(tty, fmt="table", env=env) == DEFAULT_PAGER.split()
    assert pager_command(tty, fmt="table", env={**env, "PAGER": "more"}) == ["more"]
    assert pager_command(tty, fmt="table", env={**env, "PAGER": "more", "INAMI_PAGER": "less -R"}) \
        == ["less", "-R"]  # fmt: skip
    # off: --no-pager, an empty INAMI_PAGER or PAGER, a pipe, machine formats, TERM=dumb
    assert pager_command(tty, fmt="table", no_pager=True, env=env) is None
    assert pager_command(tty, fmt="table", env={**env, "INAMI_PAGER": ""}) is None
    assert pager_command(tty, fmt="table", env={**env, "PAGER": ""}) is None
    assert pager_command(io.StringIO(), fmt="table", env=env) is None
    for fmt in ("json", "ndjson", "csv"):
        assert pager_command(tty, fmt=fmt, env=env) is None
    assert pager_command(tty, fmt="table", env={"TERM": "dumb"}) is None
    assert pager_command(tty, fmt="table", env={**env, "PAGER": "cat"}) is None
    assert pager_command(tty, fmt="table", env={**env, "PAGER": "no-such-pager-x"}) is None


def test_an_empty_column_goes_first_when_the_table_is_too_wide() -> None:
    headers = ["code", "valid_to", "label"]
    rows = [["101076", "", LONG], ["101032", "", "short"]]
    text = table_text(headers, rows, style="simple", width=50, colour=False)
    assert "valid_to" not in text and "101076" in text and _widest(text) <= 50
    narrow = [["101076", "", "short"]]
    assert "valid_to" in table_text(headers, narrow, style="simple", width=50, colour=False)
    assert "valid_to" in table_text(headers, rows, style="simple", width=None, colour=False)


PROVIDERS = (
    ["formatted", "last_name", "first_name", "profession", "qualification", "accredited",
     "region"],
    [["1-90033-87-003", "Dubois", "Marc", "doctor", "003", "no", "wallonia"],
     ["5-90041-10-001", "Renard", "Julie", "physiotherapist", "001", "no", "wallonia"],
     ["3-90058-76-001", "Schmitz", "Anna", "dentist", "001", "no", "german-speaking"]],
)  # fmt: skip


def test_headers_break_only_between_words_or_are_shortened() -> None:
    headers, rows = PROVIDERS
    fitted = fit_rows(headers, rows, 80, "simple")
    assert fitted is not None
    shown, cut = fitted
    pieces = {p for h in headers for p in h.replace("_", "_ ").split()}
    for header in shown:  # every line of a header is a whole word of it, or its short form
        for line in header.splitlines():
            assert line in pieces or line in SHORT_HEADERS.values(), (header, shown)
    # the short headers of the code columns leave the room to the text
    assert shown[4:6] == ["qual", "accr"]
    assert cut[1][3].startswith("physiothera") and cut[1][3] != "physi…"
    text = table_text(headers, rows, style="simple", width=80, colour=False)
    assert _widest(text) <= 80
    short = fit_rows(headers, rows, 80, "simple", short={"qualification": "q."})
    assert short is not None and short[0][4] == "q."  # a table's own mapping wins


DECISIONS = (
    ["number", "date", "kind", "title", "state", "reason", "effective_date", "applied"],
    [["CASS 2026/001", "2026-01-19", "tariff", f"Physiotherapy session: {LONG}", "adopted",
      "adopted: 34 for, 0 against, 2 abstaining", "2026-02-01", "yes"],
     ["CNMM 2026/001", "2026-02-10", "agreement", "Amendment: teleconsultation fees",
      "rejected", "no quorum: doctors 4 present, 5 required", "", "no"]],
)  # fmt: skip


def test_low_value_columns_are_dropped_before_records_one_by_one() -> None:
    headers, rows = DECISIONS
    # without a priority list: too many code columns, one record at a time (the last resort)
    records = table_text(headers, rows, style="simple", width=80, colour=False)
    assert records.count("number ") == 2
    drop = ["applied", "effective_date", "reason", "kind"]
    text = table_text(headers, rows, style="simple", width=80, colour=False, drop=drop)
    lines = text.splitlines()
    assert _widest(text) <= 80 and len(lines) == 2 + len(rows)  # one table, a row a line
    assert lines[0].split() == ["number", "date", "kind", "title", "state"]
    assert "CASS 2026/001" in text and "Physiotherapy session: Consul" in text
    # dropped only as many as needed: a wider terminal keeps the reason
    wider = table_text(headers, rows, style="simple", width=100, colour=False, drop=drop)
    assert wider.splitlines()[0].split() == ["number", "date", "kind", "title", "state", "reason"]
    whole = table_text(headers, rows, style="simple", width=None, colour=False, drop=drop)
    assert "applied" in whole and "effective_date" in whole  # --wide: every column


def test_wrapped_columns_share_the_width_by_the_lines_they_take() -> None:
    headers = ["rule", "what", "value", "source"]
    rows = [["R2", "reimbursement for profile preferential,dmg", "32.73", LONG + "; " + LONG],
            ["", "beneficiary", "preferential, dmg, age 40", "given explicitly"]]  # fmt: skip
    fitted = fit_rows(headers, rows, 80, "simple", wrap=True)
    assert fitted is not None
    cells = fitted[1]
    # the long source takes the room: no row taller than the text needs at equal shares
    assert cells[0][3].count("\n") + 1 <= 7, cells[0][3]
    assert " ".join(cells[0][3].split()) == LONG + "; " + LONG  # no word lost
    text = table_text(headers, rows, style="simple", width=80, colour=False, wrap=True)
    assert _widest(text) <= 80


def test_wrapped_text_keeps_its_words_whole_when_the_width_allows() -> None:
    headers = ["rule", "what", "value", "valid_from", "valid_to", "source"]
    rows = [["R2", "reimbursement for profile ordinary", "20.85", "2025-01-01", "2025-12-31",
             LONG + "; " + LONG]]  # fmt: skip
    fitted = fit_rows(headers, rows, 80, "simple", wrap=True)
    assert fitted is not None
    assert "reimbursement" in fitted[1][0][1].splitlines()  # not "reimburseme" + "nt"
