"""Fixtures of the command-line tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo(cli: Any) -> Any:
    """The ``inami`` command on a database made by the real ``inami init --demo`` (a module
    that needs another start defines its own ``demo``)."""
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.stderr
    return cli
