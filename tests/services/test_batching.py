"""Chunked batches: chunks end on whole CSV records; results come back in order."""

from __future__ import annotations

import csv
import io

import pytest

from inami_cli.services import batching

CSV_TEXT = (
    'code,label\n101076,"two\nlines"\n102012,plain\n\n103015,"a ""quoted"" word"\n'
    '104011,"three\nlines\nhere"\n105013,x"y\n106015,last\n'
)


def _rows_with_lines(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    reader = csv.reader(lines)
    return [(first - 1 + reader.line_num, row) for row in reader]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 100])
def test_csv_chunks_give_the_rows_and_line_numbers_of_one_reader(size: int) -> None:
    source = io.StringIO(CSV_TEXT, newline="")
    whole = csv.reader(io.StringIO(CSV_TEXT, newline=""))
    expected = [(whole.line_num, row) for row in whole]
    header = next(csv.reader(source))
    assert header == ["code", "label"]
    got: list[tuple[int, list[str]]] = [(1, header)]
    line = 2
    for chunk in batching.csv_chunks(source, size):
        got += _rows_with_lines(chunk, line)
        line += len(chunk)
    assert got == expected


def _square(lines: list[str], first: int) -> tuple[int, list[int]]:
    return first, [int(x) ** 2 for x in lines]


def test_parallel_chunks_come_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INAMI_BATCH_MIN_ROWS", "0")
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "2")
    got: list[tuple[int, list[int]]] = []
    lines = [str(i) for i in range(1, 200)]
    batching.run_chunks(batching.line_chunks(lines, 7), 1, _square, got.append)
    assert [first for first, _ in got] == list(range(1, 200, 7))
    assert [x for _, part in got for x in part] == [i * i for i in range(1, 200)]


def test_settings_fall_back_on_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "lots")
    assert batching.chunk_size() == batching.DEFAULT_CHUNK
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "0")
    assert batching.chunk_size() == 1


def test_one_worker_policy_ignores_the_load_average(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batches and ``control audit`` share ``worker_count``: the usable CPUs (at most
    ``MAX_WORKERS``) whatever the load average, and ``INAMI_BATCH_WORKERS`` overrides."""
    from inami_cli.services.control import _parallel

    monkeypatch.delenv("INAMI_BATCH_WORKERS", raising=False)
    monkeypatch.setattr(batching.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(batching.os, "getloadavg", lambda: (40.0, 40.0, 40.0))
    assert batching.worker_count() == 2
    monkeypatch.setattr(batching.os, "sched_getaffinity", lambda pid: set(range(16)))
    assert batching.worker_count() == batching.MAX_WORKERS
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "3")
    assert batching.worker_count() == 3
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "0")
    assert batching.worker_count() == 1
    assert not hasattr(_parallel, "worker_count")  # no second policy
