"""The feature packages whose writing modules load on first use (``services.lazy``): every
public name still resolves, to the object its module defines, and importing a package for
its reads imports no SQLModel (issue 19)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ("nomenclature", "insurability", "reimbursement")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_resolves(name: str) -> None:
    package = importlib.import_module(f"inami_cli.services.{name}")
    for attribute in package.__all__:
        assert getattr(package, attribute) is not None, attribute
    for module, names in package._LAZY.items():
        path = module if "." in module else f"{package.__name__}.{module}"
        for attribute in names:
            assert attribute in package.__all__, attribute
            assert getattr(package, attribute) is getattr(importlib.import_module(path), attribute)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        package.nothing_here  # noqa: B018


def test_the_read_faces_import_no_sqlmodel() -> None:
    script = (
        "import sys\n"
        "from inami_cli.services import insurability, nomenclature, reimbursement\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy.orm', 'inami_cli.db.models')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
