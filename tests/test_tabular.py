"""The one reader of tabular input (inami_cli.tabular): what real-world files it accepts."""

from __future__ import annotations

import hashlib
import io

import pytest

from inami_cli.domain.errors import FileErrors, InvalidInput
from inami_cli.tabular import Columns, check_encoding, read_table, sniff_delimiter, text_lines

SPEC = Columns(
    required=("niss", "date"),
    optional=("code",),
    aliases={"insz": "niss", "rijksregisternummer": "niss", "datum": "date"},
)


def rows(data: bytes, name: str = "f.csv", spec: Columns = SPEC, encoding: str = "utf-8"):
    return list(read_table(io.BytesIO(data), filename=name, spec=spec, encoding=encoding).rows())


def error(data: bytes, name: str = "f.csv", **kw) -> str:
    with pytest.raises(FileErrors) as exc:
        rows(data, name, **kw)
    (message,) = exc.value.problems
    assert "\n" not in message
    return message


def test_comma_semicolon_and_tab_are_detected_from_the_header():
    for sep in (",", ";", "\t"):
        data = f"niss{sep}date{sep}code\n85061508234{sep}2026-03-02{sep}101076\n".encode()
        assert rows(data) == [(2, ["85061508234", "2026-03-02", "101076"])]


def test_semicolon_file_whose_cells_hold_commas():
    data = b"niss;date;code\n85061508234;2026-03-02;1,2\n"
    assert rows(data) == [(2, ["85061508234", "2026-03-02", "1,2"])]


def test_sniff_prefers_known_columns_then_most_cells():
    assert sniff_delimiter("a;b,c;d\n") == ";"
    assert sniff_delimiter("niss,date\n", SPEC) == ","
    assert sniff_delimiter("x\n") == ","


def test_bom_crlf_case_spaces_and_aliases_in_the_header():
    data = "\ufeffINSZ ; Datum\r\n85061508234;2026-03-02\r\n".encode()
    table = read_table(io.BytesIO(data), filename="f.csv", spec=SPEC)
    assert table.columns == ("niss", "date")
    assert list(table.records()) == [(2, {"niss": "85061508234", "date": "2026-03-02"})]


def test_columns_come_back_in_file_order_with_optional_ones_absent():
    assert rows(b"date,niss\n2026-03-02,85061508234\n") == [(2, ["2026-03-02", "85061508234"])]


def test_latin1_file_without_the_option_names_line_and_option():
    data = "niss,date,code\n1,2,3\n4,5,6\n7,8,caf\xe9\n".encode("latin-1")
    message = error(data)
    assert message.startswith("f.csv:4: not utf-8 text (byte 0xe9)")
    assert "--encoding" in message
    assert rows(data, encoding="latin-1")[-1] == (4, ["7", "8", "café"])
    assert rows(data, encoding="cp1252")[-1] == (4, ["7", "8", "café"])


def test_unknown_encoding_is_a_usage_error():
    with pytest.raises(InvalidInput, match="--encoding 'klingon'"):
        rows(b"niss,date\n", encoding="klingon")


def test_line_numbers_count_physical_lines_and_skip_blank_rows():
    data = b'niss,date,code\n\n1,2,"multi\nline"\n,,\n3,4,5\n'
    assert rows(data) == [(4, ["1", "2", "multi\nline"]), (6, ["3", "4", "5"])]


def test_unicode_line_separators_inside_a_field_do_not_split_the_record():
    data = 'niss,date,code\n1,2,"a\u2028b\x85c"\n'.encode()
    assert rows(data) == [(2, ["1", "2", "a\u2028b\x85c"])]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "f.csv:1: empty file (expected a header: niss,date,code)"),
        (b"\n\n", "f.csv:1: empty file (expected a header: niss,date,code)"),
        (b"niss,niss,date\n", "f.csv:1: column 'niss' appears twice in the header"),
        (b"niss,insz,date\n", "f.csv:1: column 'niss' appears twice in the header"),
        (b"niss,date,colour\n", "f.csv:1: unknown column(s) colour; expected niss, date, code"),
        (b"niss,code\n", "f.csv:1: missing column(s) date"),
        (b"niss,date\n1,2,3\n", "f.csv:2: 3 fields, the header has 2"),
    ],
)
def test_bad_files_give_one_line_naming_file_and_line(data, expected):
    assert error(data) == expected


def test_extra_columns_can_be_ignored_by_a_command_that_says_so():
    spec = Columns(required=("niss",), extra="ignore")
    table = read_table(io.BytesIO(b"niss,name\n1,x\n"), filename="f.csv", spec=spec)
    assert list(table.rows()) == [(2, ["1"])]
    assert table.header.ignored == ("name",)


def test_digest_sees_every_byte():
    data = b"\xef\xbb\xbfniss,date\n" + b"1,2\n" * 50_000
    digest = hashlib.sha256()
    assert (
        len(list(read_table(io.BytesIO(data), filename="f.csv", spec=SPEC, digest=digest).rows()))
        == 50_000
    )
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_text_lines_split_like_open_newline_empty():
    data = b"a\r\nb\rc\nd"
    assert list(text_lines(io.BytesIO(data), filename="f")) == ["a\r\n", "b\r", "c\n", "d"]


def test_json_array_pretty_printed_with_line_numbers_and_types():
    data = (
        b'[\n  {"niss": "1", "date": "2026-01-01", "code": 101076},\n'
        b'  {"INSZ": "2",\n   "datum": "2026-01-02", "code": null}\n]\n'
    )
    assert rows(data, "f.json") == [
        (2, ["1", "2026-01-01", "101076"]),
        (3, ["2", "2026-01-02", ""]),
    ]


def test_ndjson_and_numbers_keep_their_text():
    data = b'{"niss": "1", "date": "d", "code": 12.50}\n{"niss": "2", "date": "d", "code": true}\n'
    assert rows(data, "f.ndjson") == [(1, ["1", "d", "12.50"]), (2, ["2", "d", "yes"])]


def test_json_recognised_by_its_first_character_whatever_the_name():
    assert rows(b' [{"niss": "1", "date": "d"}]', "f.txt") == [(1, ["1", "d", ""])]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'[{"niss": "1", "date": "d"},\n {"niss": }]', "f.json:2: invalid JSON: Expecting value"),
        (b'[{"niss": "1", "date": "d"}', "f.json:1: invalid JSON: the array is not closed"),
        (b"[1]", "f.json:1: expected an object per row"),
        (b"[]", "f.json:1: no rows to import"),
        (b'[{"niss": "1"}]', "f.json:1: missing column(s) date"),
        (
            b'[{"niss": "1", "date": "d", "x": 1}]',
            "f.json:1: unknown column(s) x; expected niss, date, code",
        ),
        (b'[{"niss": "1", "insz": "2", "date": "d"}]', "f.json:1: key 'niss' appears twice"),
        (
            b'[{"niss": {"a": 1}, "date": "d"}]',
            "f.json:1: niss: an object where a value was expected",
        ),
    ],
)
def test_bad_json(data, expected):
    assert error(data, "f.json") == expected


def test_deeply_nested_json_is_an_error_not_a_crash():
    data = b'[{"niss": ' + b"[" * 100_000 + b"]" * 100_000 + b', "date": "d"}]'
    assert error(data, "f.json") == "f.json:1: JSON nested too deeply"


def test_json_objects_larger_than_a_block_are_read_whole():
    big = "x" * 300_000
    data = (
        "[\n" + ",\n".join(f'{{"niss": "{i}", "date": "{big}"}}' for i in range(3)) + "\n]"
    ).encode()
    got = rows(data, "f.json")
    assert [line for line, _ in got] == [2, 3, 4]
    assert all(cells[1] == big for _, cells in got)


def test_json_array_of_many_rows_is_read_in_one_pass():
    # 40 000 rows: a quadratic reader took minutes here; a linear one well under a second.
    data = (
        "[" + ",\n".join(f'{{"niss": "{i}", "date": "d"}}' for i in range(40_000)) + "]"
    ).encode()
    got = rows(data, "f.json")
    assert len(got) == 40_000
    assert got[-1] == (40_000, ["39999", "d", ""])


@pytest.mark.parametrize("name", ["UNDEFINED", "undefined", "base64", "zlib", "rot13"])
def test_an_encoding_that_decodes_no_text_is_refused(name: str) -> None:
    """`make fuzz` found `maf counter import FILE --encoding UNDEFINED` exiting 70: the
    "undefined" codec exists but refuses every byte; bytes-to-bytes codecs decode no text."""
    with pytest.raises(InvalidInput, match="--encoding"):
        check_encoding(name)


def test_text_encodings_are_accepted() -> None:
    assert [check_encoding(n) for n in ("UTF-8", "latin-1", "cp1252", "utf-16")] == [
        "utf-8", "iso8859-1", "cp1252", "utf-16",
    ]  # fmt: skip
