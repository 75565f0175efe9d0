"""Configuration: documented defaults, resolution order, validation, editing."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from inami_cli.config import (
    KEYS,
    SCHEMA,
    load_settings,
    mask_url,
    parse_file,
    render_default_config,
    set_value,
)
from inami_cli.domain.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_file_is_the_documented_default():
    text = (ROOT / "config" / "inami.toml").read_text(encoding="utf-8")
    assert text == render_default_config()
    data = tomllib.loads(text)
    for key in SCHEMA:
        assert data[key.section][key.name] == key.default, key.dotted
    assert all(line.startswith("#") for line in text.splitlines() if line.startswith("# "))


def test_every_key_is_commented_in_the_shipped_file():
    lines = (ROOT / "config" / "inami.toml").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[i - 1].startswith("#"), f"key without comment: {line}"


def test_missing_file_means_defaults(tmp_path):
    settings = load_settings(None, env={})
    assert settings.path is None
    assert settings.get("output.format") == "table"
    assert settings.database_url.endswith("inami-cli/inami.db")


def test_resolution_order(tmp_path, monkeypatch):
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[output]\nformat = "csv"\n')
    from_env = tmp_path / "env.toml"
    from_env.write_text('[output]\nformat = "ndjson"\n')
    Path("inami.toml").write_text('[output]\nformat = "json"\n')
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "inami-cli" / "inami.toml"
    user.parent.mkdir(parents=True)
    user.write_text('[locale]\nlanguage = "nl"\n')

    assert (
        load_settings(explicit, env={"INAMI_CONFIG": str(from_env)}).get("output.format") == "csv"
    )
    assert load_settings(None, env={"INAMI_CONFIG": str(from_env)}).get("output.format") == "ndjson"
    assert load_settings(None, env={}).get("output.format") == "json"
    Path("inami.toml").unlink()
    assert load_settings(None, env={}).get("locale.language") == "nl"


def test_environment_overrides_single_keys(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[database]\nurl = "sqlite:///a.db"\n[output]\nformat = "csv"\n')
    env = {"INAMI_DATABASE_URL": "sqlite:///b.db", "INAMI_FORMAT": "json"}
    settings = load_settings(path, env=env)
    assert settings.database_url == "sqlite:///b.db"
    assert settings.get("output.format") == "json"
    assert set(settings.overridden) == {"database.url", "output.format"}
    with pytest.raises(ConfigError, match="INAMI_FORMAT"):
        load_settings(path, env={"INAMI_FORMAT": "xml"})


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('[output]\nformat = "json"\nformat = "csv"\n', 3, ""),
        ("[output\n", 1, ""),
        ('[output]\nstyle = "x"\n', 2, "unknown key 'output.style'"),
        ("[nope]\na = 1\n", 1, "unknown section [nope]"),
        ('[database]\nbusy_timeout_ms = "soon"\n', 2, "expected int"),
        ('[output]\nformat = "xml"\n', 2, "not one of"),
        ("[audit]\nlog_consultations = 1\n", 2, "expected bool"),
    ],
)
def test_broken_files_name_file_and_line(tmp_path, content, line, message):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        parse_file(path)
    assert info.value.message.startswith(f"{path}:{line}: ")
    assert message in info.value.message


def test_set_keeps_comments_and_validates(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(render_default_config())
    set_value(path, "output.format", "json")
    set_value(path, "database.busy_timeout_ms", "250")
    text = path.read_text()
    assert 'format = "json"' in text and "busy_timeout_ms = 250" in text
    assert "# How long a writer waits" in text
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ConfigError, match="expected int"):
        set_value(path, "database.busy_timeout_ms", "soon")
    with pytest.raises(ConfigError, match="unknown configuration key"):
        set_value(path, "output.colour", "red")
    assert parse_file(path)["output.format"] == "json"


def test_mask_url():
    assert mask_url("postgresql+psycopg://bob:s3cret@db:5432/inami") == (
        "postgresql+psycopg://bob:***@db:5432/inami"
    )
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"


def test_cli_show_masks_password_and_warns_on_readable_file(cli_nodb, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[database]\nurl = "postgresql+psycopg://bob:s3cret@db/inami"\n')
    path.chmod(0o644)
    result = cli_nodb("--config", str(path), "--format", "json", "config", "show")
    assert result.exit_code == 0
    assert "s3cret" not in result.stdout + result.stderr
    assert result.json()["database.url"] == "postgresql+psycopg://bob:***@db/inami"
    assert "readable by others" in result.stderr


def test_cli_broken_file_exit_5(cli_nodb, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[output]\nformat = \n")
    result = cli_nodb("--config", str(path), "config", "show")
    assert result.exit_code == 5
    assert result.stderr.startswith(f"inami: error: {path}:2:")
    assert "Traceback" not in result.stderr


def test_cli_set_get_and_path(cli_nodb, tmp_path):
    path = tmp_path / "c.toml"
    assert cli_nodb("--config", str(path), "config", "set", "locale.language", "nl").exit_code == 0
    result = cli_nodb("--config", str(path), "config", "get", "locale.language")
    assert result.stdout.strip() == "nl"
    bad = cli_nodb("--config", str(path), "config", "set", "locale.language", "de")
    assert bad.exit_code == 5 and "locale.language" in bad.stderr
    unknown = cli_nodb("--config", str(path), "config", "get", "x.y")
    assert unknown.exit_code == 5
    info = cli_nodb("--config", str(path), "--format", "json", "config", "path").json()
    assert info == {"path": str(path), "exists": True}


def test_cli_config_init_refuses_to_overwrite(cli_nodb, tmp_path):
    path = tmp_path / "c.toml"
    assert cli_nodb("--config", str(path), "config", "init").exit_code == 0
    assert path.read_text() == render_default_config()
    again = cli_nodb("--config", str(path), "config", "init")
    assert again.exit_code == 4 and "--force" in again.stderr


def test_keys_documented():
    assert all(k.doc for k in KEYS.values())
