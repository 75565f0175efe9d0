"""Floors of the benchmarks, and the in-process search measurement.

Each floor is the least work the scenario cannot avoid, done with the standard library only,
so the ratio ``scenario / floor`` says how much ``inami`` adds:

- ``executemany CSV DB``: read a CSV and insert every row, as text, into a plain SQLite
  table with one ``executemany`` in one transaction (the floor of the imports);
- ``copy CSV URL``: the same on PostgreSQL, as fast as it loads: the file sent as it is
  through ``COPY ... FROM STDIN (FORMAT csv)`` (psycopg), in one transaction, into a plain
  table of text columns of the database at URL (the floor of the imports on PostgreSQL);
- ``passthrough CSV OUT``: read a CSV and write every row back out (the floor of a
  streaming batch: parse one line, write one line);
- ``search-sqlite DB QUERY...``: the ``LIKE`` scan of the act table for the words of each
  query, no ranking (the floor of ``nomenclature search`` after start-up);
- ``search-warm URL QUERY...``: not a floor but the measured scenario: the service function
  ``inami_cli.services.nomenclature.search`` called on one warm session.

The two search commands print one JSON object ``{"times": {query: [seconds, ...]}}``.
Run as ``python -m benchmarks.floors COMMAND ARGS...``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

Timings = dict[str, list[float]]


def executemany(csv_path: Path, db_path: Path, table: str = "data") -> int:
    """Insert every row of *csv_path* into a new plain table; return the row count."""
    con = sqlite3.connect(db_path)
    try:
        with csv_path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"{name}" TEXT' for name in header)
            marks = ", ".join("?" * len(header))
            with con:
                con.execute(f'CREATE TABLE "{table}" ({columns})')
                con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', reader)
            (count,) = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    finally:
        con.close()
    return int(count)


def copy(csv_path: Path, url: str, table: str = "data") -> int:
    """``COPY`` every row of *csv_path* into a new plain table (replacing one of that name) of
    the PostgreSQL database at *url* (``postgresql+psycopg://...`` or ``postgresql://...``);
    return the row count."""
    import psycopg
    from psycopg import sql

    conninfo = "postgresql://" + url.split("://", 1)[1]
    with psycopg.connect(conninfo) as con, csv_path.open("rb") as handle:
        header = next(csv.reader([handle.readline().decode("utf-8")]))
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(h)) for h in header)
        name = sql.Identifier(table)
        con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))  # the previous run's
        con.execute(sql.SQL("CREATE TABLE {} ({})").format(name, columns))
        with con.cursor().copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(name)) as load:
            while block := handle.read(1 << 20):
                load.write(block)
        row = con.execute(sql.SQL("SELECT count(*) FROM {}").format(name)).fetchone()
    return int(row[0]) if row else 0


def passthrough(csv_path: Path, out_path: Path) -> int:
    """Copy a CSV row by row through ``csv.reader`` and ``csv.writer``; return the rows."""
    rows = 0
    with (
        csv_path.open(newline="", encoding="utf-8") as source,
        out_path.open("w", newline="", encoding="utf-8") as sink,
    ):
        write = csv.writer(sink, lineterminator="\n").writerow
        for row in csv.reader(source):
            write(row)
            rows += 1
    return rows


def _timed(queries: Sequence[str], repeats: int, call: Callable[[str], object]) -> Timings:
    times: Timings = {}
    for query in queries:
        call(query)  # warm: first statement compiled, pages cached
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            call(query)
            runs.append(time.perf_counter() - start)
        times[query] = runs
    return times


def search_sqlite(db_path: Path, queries: Sequence[str], repeats: int) -> Timings:
    """Time the bare ``LIKE`` scan of each query's words on the ``act`` table."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def scan(query: str) -> object:
        words = query.lower().split()
        where = " AND ".join("search_text LIKE ?" for _ in words)
        rows = con.execute(
            f"SELECT code, label_fr, label_nl, article FROM act WHERE {where}",
            [f"%{w}%" for w in words],
        ).fetchall()
        return sorted(rows)[:20]

    try:
        return _timed(queries, repeats, scan)
    finally:
        con.close()


def search_warm(url: str, queries: Sequence[str], repeats: int) -> Timings:
    """Time ``services.nomenclature.search`` on one warm session (start-up excluded)."""
    from datetime import date

    from inami_cli.db.engine import make_engine, transaction
    from inami_cli.services import nomenclature

    engine = make_engine(url)
    day = date(2026, 3, 2)
    with transaction(engine, write=False) as session:
        return _timed(
            queries,
            repeats,
            lambda q: nomenclature.search(session=session, text=q, on=day, limit=20),
        )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.floors COMMAND ARGS...`` (see the module docstring)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    if command == "executemany":
        print(executemany(Path(rest[0]), Path(rest[1])))
    elif command == "copy":
        print(copy(Path(rest[0]), rest[1]))
    elif command == "passthrough":
        print(passthrough(Path(rest[0]), Path(rest[1])))
    elif command in ("search-sqlite", "search-warm"):
        repeats, target, queries = int(rest[0]), rest[1], rest[2:]
        if command == "search-sqlite":
            times = search_sqlite(Path(target), queries, repeats)
        else:
            times = search_warm(target, queries, repeats)
        print(json.dumps({"times": times}))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
