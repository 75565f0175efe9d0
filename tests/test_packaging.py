"""Packaging (issue 17): the demo data ships inside the package, a plain (non-editable) install
runs ``inami init --demo``, the licence is an SPDX string, and ``make demo`` installs no test
tool and leaves a configuration naming its database."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_demo_data_is_package_data():
    from inami_cli.services.setup import demo_data_dir, fixtures_root

    package = Path(__import__("inami_cli").__file__).parent
    assert demo_data_dir() == package / "data" / "demo"
    assert fixtures_root() == demo_data_dir()
    assert (ROOT / "fixtures").resolve() == demo_data_dir().resolve()  # the tests' path
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["inami_cli"]
    shipped = [p.relative_to(package).as_posix() for p in demo_data_dir().rglob("*.*")]
    missing = [f for f in shipped if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert shipped and missing == []


def test_the_licence_is_an_spdx_string():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in project["license-files"])
    requires = PYPROJECT["build-system"]["requires"]
    assert "setuptools>=77" in requires  # the first setuptools that reads an SPDX string


@pytest.mark.slow
def test_a_plain_install_runs_init_demo(tmp_path):
    """Built as a wheel (no editable finder, no checkout), installed apart, run elsewhere."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    assert "deprecated" not in build.stderr.lower(), build.stderr
    (wheel,) = wheels.glob("inami_cli-*.whl")
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-t", str(target), wheel],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import inami_cli; assert inami_cli.__file__.startswith(sys.argv[1]), inami_cli.__file__\n"
        "from inami_cli.cli.app import run\n"
        "sys.exit(run(['--db', sys.argv[2], 'init', '--demo']))\n"
    )
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    ran = subprocess.run(
        [sys.executable, "-c", code, str(target), url],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 0, ran.stderr
    assert "demo data loaded: nomenclature" in ran.stderr


def test_make_demo_installs_the_package_only_and_says_what_to_export(tmp_path):
    """`make -n`: what `make demo` would run in a checkout without a virtual environment."""
    venv = tmp_path / "venv"
    dry = subprocess.run(
        ["make", "-n", "demo", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert "pip install --quiet -e . " in dry.stdout.replace("\n", " ")
    assert "[dev" not in dry.stdout  # no test tools (pytest, ruff, mypy...)
    config = ROOT / ".demo" / "inami.toml"
    assert 'url = "sqlite:///%s"' in dry.stdout  # the absolute database URL, below
    assert f"'{ROOT / '.demo' / 'inami.db'}' > {config}" in dry.stdout
    assert f"echo 'export INAMI_CONFIG={config}'" in dry.stdout
