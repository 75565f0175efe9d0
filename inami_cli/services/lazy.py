"""Names of a feature's public face loaded on first use (PEP 562 module ``__getattr__``).

A one-shot read (``inami reimburse CODE``, ``insured NISS``, ``nomenclature show``) imports
a feature package for two or three functions; importing every private module with it
would import the SQLModel tables that its imports and writes use, which the read does not
need (issue 19). A package's ``__init__`` imports its light modules as usual and names the
others here; the type checker sees them through imports under ``TYPE_CHECKING``, and a
test checks that every lazy name resolves. The same idea as Scientific Python's SPEC 1
(lazy loading of submodules and functions).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_names(package: str, modules: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for *package*: each name of ``modules[m]`` is imported from
    *m* (a submodule ``_name``, or a dotted module name) the first time it is read, then kept
    on the package."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        path = module if "." in module else f"{package}.{module}"
        value = getattr(importlib.import_module(path), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
