"""The cyclic garbage collector around a command: off for the start-up, on for real work
(issue 19, cold single answers)."""

from __future__ import annotations

import gc


def pause_gc_for_start_up() -> None:
    """Pause the cyclic garbage collector while the command starts (``main``; issue 19).

    A cold ``inami`` creates some 80 000 long-lived objects as it imports typer, pydantic,
    SQLAlchemy and the database driver (modules, classes, functions) and makes next to no
    garbage cycles doing so; the collector would still scan that growing heap about 180
    times: 60 ms of CPU, a seventh of a one-shot answer (``reimburse CODE``, ``insured
    NISS``, ``nomenclature show``). Reference counting frees everything else as usual.
    ``resume_gc`` switches the collector back on where a command starts work that may run
    long and make cycles: an ORM session (every write, import and batch, the desk) and a
    progress bar. A one-shot read (``AppState.reader``) ends before it would matter.
    """
    gc.disable()


def resume_gc() -> None:
    """Switch the cyclic garbage collector back on (``pause_gc_for_start_up``); the bulk
    imports and batches pause it again around their own loops (``services.bulkio``)."""
    gc.enable()
